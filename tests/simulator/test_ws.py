"""Websocket protocol and faults, checked with a raw aiohttp client."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from sjcl import SJCL

from simulator import Simulator
from tests.simulator.conftest import RawClient

FIRST, SECOND = "BCU100001", "BCU100002"


async def test_nothing_is_sent_before_the_client_speaks(
    simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(simulator.ws_url) as ws:
        with pytest.raises(asyncio.TimeoutError):
            await ws.receive(timeout=0.2)
    assert simulator.stats.connections == 1
    assert simulator.stats.frames_sent == 0


async def test_password_login(simulator: Simulator, http: aiohttp.ClientSession) -> None:
    blob = SJCL().encrypt(b"demo", "d9ab2352a935be4ade182ce4921044f8")
    encrypted = json.dumps({k: v.decode() if isinstance(v, bytes) else v for k, v in blob.items()})
    async with http.ws_connect(simulator.ws_url) as ws:
        raw = RawClient(simulator, ws)
        for password, accepted in (
            (encrypted, True),
            ("demo", True),
            ("nope", False),
            ('{"ct": "broken"}', False),
            (12, False),
        ):
            await raw.send(
                "VALIDATE_PASSWORD", auth=False, username="DEMO@example.com", password=password
            )
            reply = await raw.recv()
            assert reply["object"] == "STATUS_PASSWORD"
            assert reply["accepted"] is accepted
            assert ("token" in reply) is accepted
    assert simulator.stats.logins == 2


async def test_unknown_and_malformed_input(client: RawClient) -> None:
    assert await client.request("DANCE") == {
        "object": "ERROR",
        "error": 0,
        "message": "Unknown command",
    }
    await client.ws.send_str("{not json")
    assert (await client.recv())["object"] == "ERROR"
    await client.ws.send_str("[1, 2]")
    assert (await client.recv())["error"] == 0
    await client.ws.send_str('{"command": 5}')
    assert (await client.recv())["error"] == 0
    await client.ws.send_bytes(b"\x00\x01")
    assert (await client.recv())["object"] == "ERROR"
    await client.send("SET_PUBLIC_CHARGING", evse_id=FIRST, value="yes")
    received = await client.recv()
    assert received["object"] == "RECEIVED_SET_PUBLIC_CHARGING"
    assert received["success"] is False
    await client.send("POST_CLEAR_OVERRIDE_CURRENT", schedule_id="x")
    assert (await client.recv())["error"] == 9
    # Still alive.
    assert (await client.request("GET_ACCOUNT"))["object"] == "ACCOUNT"


async def test_auth_errors(simulator: Simulator, http: aiohttp.ClientSession) -> None:
    async with http.ws_connect(simulator.haserver_url) as ws:
        raw = RawClient(simulator, ws)
        invalid = {"object": "ERROR", "error": 1, "message": "Invalid Auth Token"}
        assert await raw.request("GET_ACCOUNT") == invalid
        raw.token = "made-up"
        assert await raw.request("HELLO") == invalid
        await raw.login()
        assert (await raw.request("GET_ACCOUNT"))["object"] == "ACCOUNT"
        simulator.expire_tokens()
        assert await raw.request("GET_ACCOUNT") == invalid
        await raw.send("VALIDATE_API_TOKEN", auth=False, token="wrong")
        assert await raw.recv() == {"object": "STATUS_API_TOKEN", "success": False, "error": ""}


async def test_forbidden_evse(client: RawClient, simulator: Simulator) -> None:
    forbidden = {"object": "ERROR", "error": 2, "message": "forbidden"}
    assert await client.request("GET_CH_STATUS", evse_id="BCU999999") == forbidden
    assert await client.request("GET_CH_STATUS") == forbidden
    simulator.faults.forbid_evse.add(SECOND)
    reply = await client.request("SET_INOPERATIVE", evse_id=SECOND, flow_id="f1")
    assert reply == {**forbidden, "flow_id": "f1"}
    points = await client.request("GET_CHARGE_POINTS")
    assert [cp["evse_id"] for cp in points["data"]] == [FIRST, SECOND]


async def test_reads(client: RawClient, simulator: Simulator) -> None:
    account = await client.request("GET_ACCOUNT")
    assert account["login"] == "demo@example.com"
    cards = await client.request("GET_CHARGE_CARDS", limit=2)
    assert len(cards["cards"]) == 2
    status = await client.request("GET_CH_STATUS", evse_id=FIRST)
    assert status["evse_id"] == FIRST
    assert isinstance(status["data"]["start_datetime"], str)
    assert status["data"]["offline_since"] == ""
    settings = await client.request("GET_CH_SETTINGS", evse_id=SECOND)
    assert settings["data"]["chargepoint_name"] == simulator.charge_point(SECOND).name
    grid = await client.request("GET_GRID_STATUS", evse_id=FIRST)
    assert set(grid["data"]) == {
        "id",
        "grid_actual_p1",
        "grid_actual_p2",
        "grid_actual_p3",
        "grid_max_install",
        "grid_max_reserved",
    }
    sustainability = await client.request("GET_SUSTAINABILITY_STATUS")
    assert sustainability["co2"] > 0


async def test_actions_answer_received_then_status_then_push(
    client: RawClient, simulator: Simulator
) -> None:
    await client.send("SET_INOPERATIVE", evse_id=SECOND, flow_id="abc")
    received = await client.recv()
    assert received == {
        "object": "RECEIVED_SET_INOPERATIVE",
        "success": True,
        "error": "",
        "flow_id": "abc",
        "evse_id": SECOND,
        "result": {},
    }
    assert (await client.recv())["object"] == "STATUS_SET_INOPERATIVE"
    pushed = await client.recv()
    assert pushed["object"] == "CH_STATUS"
    assert pushed["data"]["activity"] == "unavailable"

    await client.send("SET_PLUG_AND_CHARGE", evse_id=SECOND, value=False)
    await client.until("RECEIVED_SET_PLUG_AND_CHARGE")
    status = await client.recv()
    assert status["result"] == {"setting": "false"}
    settings = await client.recv()
    assert settings["object"] == "CH_SETTINGS"
    assert settings["data"]["plug_and_charge"]["value"] is False

    # Blocked: a session cannot start.
    await client.send("START_SESSION", evse_id=SECOND, session_token="BCU-APP")
    refused = await client.recv()
    assert refused["success"] is False
    assert "not available" in refused["error"]


async def test_push_reaches_only_hello_sockets(
    client: RawClient, simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    async with http.ws_connect(simulator.ws_url) as ws:
        quiet = RawClient(simulator, ws)
        await quiet.login(hello=False)
        await simulator.push_grid()
        assert (await client.recv())["object"] == "GRID_CURRENT"
        with pytest.raises(asyncio.TimeoutError):
            await quiet.recv(wait=0.1)
        await quiet.request("HELLO")
        await simulator.push_status(FIRST)
        assert (await quiet.recv())["object"] == "CH_STATUS"
        assert (await client.recv())["object"] == "CH_STATUS"


async def test_start_session_records_card(client: RawClient, simulator: Simulator) -> None:
    card = simulator.account.cards[1]
    await client.send("START_SESSION", evse_id=SECOND, session_token=card.id)
    await client.until("STATUS_START_SESSION")
    session = simulator.charge_point(SECOND).session
    assert session is not None
    assert session.card == card
    await simulator.advance(1800)
    await client.send("STOP_SESSION", evse_id=SECOND)
    assert (await client.until("STATUS_STOP_SESSION"))["success"] is True
    booked = simulator.charge_point(SECOND).transactions[-1]
    assert booked.card_id == card.id
    assert booked.card_name == card.name
    assert booked.kwh == pytest.approx(3.45, rel=0.1)

    await client.send("START_SESSION", evse_id=SECOND, session_token="BCU-APP", socket_id=2)
    await client.until("STATUS_START_SESSION")
    session = simulator.charge_point(SECOND).session
    assert session is not None
    assert session.card is None
    assert session.socket_id == 2
    await client.send("START_SESSION", evse_id=SECOND, session_token="BCU-APP")
    assert "already active" in (await client.until("RECEIVED_START_SESSION"))["error"]
    transaction = await simulator.stop_charging(SECOND)
    assert transaction is not None
    assert transaction.card_id == "BCU-APP"
    assert transaction.card_name is None

    await client.send("STOP_SESSION", evse_id=SECOND)
    refused = await client.until("RECEIVED_STOP_SESSION")
    assert refused["error"] == f"no active session for chargepoint: {SECOND}"
    invalid = simulator.account.cards[2]
    await client.send("START_SESSION", evse_id=SECOND, session_token=invalid.uid)
    assert (await client.until("RECEIVED_START_SESSION"))["success"] is False


async def test_pnc_card_and_public_charging(client: RawClient, simulator: Simulator) -> None:
    card = simulator.account.cards[0]
    await client.send("SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id=FIRST, token_uid=card.uid)
    assert (await client.until("STATUS_SET_PLUG_AND_CHARGE_CHARGE_CARD"))["success"] is True
    settings = await client.until("CH_SETTINGS")
    assert settings["data"]["plug_and_charge_charge_card"]["uid"] == card.uid
    await client.send("SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id=FIRST, token_uid="BCU-APP")
    await client.until("STATUS_SET_PLUG_AND_CHARGE_CHARGE_CARD")
    settings = await client.until("CH_SETTINGS")
    assert settings["data"]["plug_and_charge_charge_card"]["uid"] == "BCU_HOME_USE"
    for bad in ("nonexistent", 7, simulator.account.cards[2].uid):
        await client.send("SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id=FIRST, token_uid=bad)
        assert (await client.until("RECEIVED_SET_PLUG_AND_CHARGE_CHARGE_CARD"))["success"] is False

    await client.send("SET_PUBLIC_CHARGING", evse_id=FIRST, value=True)
    assert (await client.until("STATUS_SET_PUBLIC_CHARGING"))["result"] == {"setting": "true"}
    assert simulator.charge_point(FIRST).public_charging is True
    simulator.charge_point(FIRST).permissions["public_charging"] = "read"
    await client.send("SET_PUBLIC_CHARGING", evse_id=FIRST, value=False)
    assert "not allowed" in (await client.until("RECEIVED_SET_PUBLIC_CHARGING"))["error"]


async def test_action_verdict_faults(client: RawClient, simulator: Simulator) -> None:
    simulator.faults.action_result = "rejected"
    await client.send("SOFT_RESET", evse_id=FIRST, flow_id="r")
    await client.until("RECEIVED_SOFT_RESET")
    status = await client.recv()
    assert (status["success"], status["error"], status["flow_id"]) == (False, "REJECTED", "r")

    simulator.faults.action_result = "timeout"
    await client.send("REBOOT", evse_id=FIRST)
    await client.until("RECEIVED_REBOOT")
    with pytest.raises(asyncio.TimeoutError):
        await client.recv(wait=0.2)
    assert simulator.charge_point(FIRST).reboots == 0

    simulator.faults.action_result = "success"
    await simulator.set_online(FIRST, False)
    offline = await client.until("CH_STATUS")
    assert offline["data"]["activity"] == "offline"
    assert offline["data"]["offline_since"] != ""
    await client.send("UNLOCK_CONNECTOR", evse_id=FIRST)
    assert (await client.until("STATUS_UNLOCK_CONNECTOR"))["error"] == "TIMEOUT"
    await simulator.set_online(FIRST, True)
    assert (await client.until("CH_STATUS"))["data"]["activity"] == "charging"
    await client.send("UNLOCK_CONNECTOR", evse_id=FIRST)
    assert (await client.until("STATUS_UNLOCK_CONNECTOR"))["success"] is True
    assert simulator.charge_point(FIRST).unlocks == 1


async def test_request_limit(
    client: RawClient, simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    simulator.faults.request_limit = True
    assert await client.request("GET_ACCOUNT", flow_id="x") == {
        "object": "ERROR",
        "error": 42,
        "message": "Request limit reached",
        "flow_id": "x",
    }
    with pytest.raises(aiohttp.WSServerHandshakeError) as info:
        await http.ws_connect(simulator.haserver_url)
    assert info.value.status == 403
    assert info.value.headers is not None
    assert info.value.headers["x-websocket-reject-reason"] == "Request limit reached"
    await simulator.close_with_limit()
    closing = await client.ws.receive(timeout=2)
    assert closing.type == aiohttp.WSMsgType.CLOSE
    assert client.ws.close_code == 4001


async def test_drop_connections(client: RawClient, simulator: Simulator) -> None:
    await simulator.drop_connections()
    message = await client.ws.receive(timeout=2)
    assert message.type == aiohttp.WSMsgType.CLOSE
    assert client.ws.close_code == aiohttp.WSCloseCode.GOING_AWAY
    assert not simulator.connections


async def test_reply_delay_and_silence(client: RawClient, simulator: Simulator) -> None:
    simulator.faults.reply_delay = 0.15
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await client.request("GET_ACCOUNT"))["object"] == "ACCOUNT"
    assert loop.time() - started >= 0.15
    simulator.faults.reply_delay = 0
    simulator.faults.silent_commands = {"GET_ACCOUNT"}
    await client.send("GET_ACCOUNT")
    with pytest.raises(asyncio.TimeoutError):
        await client.recv(wait=0.2)
    assert simulator.stats.ws_commands["GET_ACCOUNT"] == 2


async def test_injected_frames(client: RawClient, simulator: Simulator) -> None:
    simulator.faults.malformed_frames = 4
    texts = []
    for _ in range(4):
        await client.send("GET_ACCOUNT")
        texts.append(await client.recv_text())
        assert (await client.recv())["object"] == "ACCOUNT"
    with pytest.raises(json.JSONDecodeError):
        json.loads(texts[0])
    assert isinstance(json.loads(texts[1]), list)
    assert "object" not in json.loads(texts[2])
    garbage = json.loads(texts[3])
    assert garbage["object"] == "CH_STATUS"
    assert garbage["data"]["vehicle_status"] == "Z"

    simulator.faults.unknown_frames = 1
    await client.send("GET_ACCOUNT")
    assert (await client.recv())["object"] == "SOMETHING_NEW"
    assert (await client.recv())["object"] == "ACCOUNT"
    await client.send("GET_ACCOUNT")
    assert (await client.recv())["object"] == "ACCOUNT"


async def test_hostile_input_never_kills_the_socket(
    client: RawClient,
    simulator: Simulator,
    http: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await client.ws.send_str("[" * 100_000 + "]" * 100_000)
    assert (await client.recv())["error"] == 9
    await client.send(
        "PATCH_PRICE_BASED_CHARGING_SETTINGS", evse_id=FIRST, expected_kwh=float("nan")
    )
    refused = await client.recv()
    assert (refused["success"], refused["error"]) == (
        False,
        "expected_kwh must be a finite number >= 0",
    )
    assert simulator.charge_point(FIRST).price_based_charging.expected_kwh == 25.0

    from simulator import ws as ws_module

    async def boom(*_: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setitem(ws_module.HANDLERS, "GET_ACCOUNT", boom)
    assert (await client.request("GET_ACCOUNT"))["error"] == 9
    assert (await client.request("GET_CHARGE_CARDS"))["object"] == "CHARGE_CARDS"

    token = client.token
    async with http.post(
        f"{simulator.api_url}/gettransactions",
        data="[" * 100_000,
        headers={"Authorization": f"Token {token}"},
    ) as response:
        assert response.status == 400

"""Every error type, produced by the simulator's fault switches."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import logging

import pytest

from custom_components.bluecurrent.api import (
    ActionRejectedError,
    BlueCurrentClient,
    CannotConnectError,
    ForbiddenError,
    InvalidCredentialsError,
    InvalidSessionTokenError,
    RequestLimitReachedError,
    RequestTimeoutError,
)
from custom_components.bluecurrent.api.const import TIMEZONE
from simulator import Simulator

from .conftest import ClientFactory


def _evse(simulator: Simulator, index: int = 0) -> str:
    return list(simulator.account.charge_points)[index]


def _assert_midnight(error: RequestLimitReachedError) -> None:
    reset = error.reset_at.astimezone(TIMEZONE)
    assert (reset.hour, reset.minute, reset.second) == (0, 0, 0)
    assert timedelta(0) < reset - datetime.now(TIMEZONE) <= timedelta(days=1)


@pytest.mark.parametrize("token", [False, True])
async def test_invalid_credentials(
    make_client: ClientFactory, simulator: Simulator, token: bool
) -> None:
    simulator.faults.reject_credentials = True
    client = (
        make_client(username=None, password=None, api_token=simulator.api_token)
        if token
        else make_client()
    )
    with pytest.raises(InvalidCredentialsError):
        await client.connect()
    assert not client.connected
    with pytest.raises(CannotConnectError, match="connect"):
        await client.get_account()


async def test_wrong_password(make_client: ClientFactory) -> None:
    with pytest.raises(InvalidCredentialsError):
        await make_client(password="wrong").connect()


async def test_cannot_connect(make_client: ClientFactory, simulator: Simulator) -> None:
    with pytest.raises(CannotConnectError):
        await make_client(ws_url=simulator.ws_url.replace("appserver", "nowhere")).connect()
    with pytest.raises(CannotConnectError):
        await make_client(ws_url="ws://127.0.0.1:1/appserver/2.0").connect()


async def test_forbidden(client: BlueCurrentClient, simulator: Simulator) -> None:
    evse_id = _evse(simulator)
    simulator.faults.forbid_evse.add(evse_id)
    with pytest.raises(ForbiddenError):
        await client.get_charge_point_settings(evse_id)
    with pytest.raises(ForbiddenError):
        await client.soft_reset(evse_id)
    with pytest.raises(ForbiddenError):
        await client.get_charge_point_status(evse_id)
    with pytest.raises(ForbiddenError):
        await client.set_status(evse_id, False, socket_id=1)
    # other charge points are unaffected
    assert (await client.get_charge_point_settings(_evse(simulator, 1))).evse_id


async def test_request_limit_on_commands_and_rest(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    ws_client, rest_client = make_client(), make_client()
    await ws_client.connect()
    await rest_client.connect()
    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReachedError) as ws_error:
        await ws_client.get_account()  # ERROR 42
    _assert_midnight(ws_error.value)
    assert ws_client.limited_until == ws_error.value.reset_at
    with pytest.raises(RequestLimitReachedError) as rest_error:
        await rest_client.get_contracts()  # HTTP 429
    _assert_midnight(rest_error.value)
    assert rest_client.limited_until == rest_error.value.reset_at


async def test_request_limit_on_handshake(make_client: ClientFactory, simulator: Simulator) -> None:
    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReachedError) as err:
        await make_client().connect()
    _assert_midnight(err.value)


async def test_request_timeout(make_client: ClientFactory, simulator: Simulator) -> None:
    client = make_client(request_timeout=0.2)
    await client.connect()
    simulator.faults.silent_commands.add("GET_ACCOUNT")
    with pytest.raises(RequestTimeoutError) as err:
        await client.get_account()
    assert isinstance(err.value, TimeoutError)
    simulator.faults.silent_commands.clear()
    assert (await client.get_account()).login


async def test_slow_replies_time_out(make_client: ClientFactory, simulator: Simulator) -> None:
    client = make_client(request_timeout=0.1)
    await client.connect()
    simulator.faults.reply_delay = 0.3
    with pytest.raises(RequestTimeoutError):
        await client.get_charge_points()
    with pytest.raises(RequestTimeoutError):
        await client.get_grids()
    simulator.faults.reply_delay = 0
    await asyncio.sleep(0.3)  # let the late reply arrive and be ignored
    assert len(await client.get_charge_points()) == 2


async def test_login_timeout(make_client: ClientFactory, simulator: Simulator) -> None:
    simulator.faults.silent_commands.add("VALIDATE_PASSWORD")
    with pytest.raises(RequestTimeoutError):
        await make_client(request_timeout=0.1).connect()


async def test_rest_server_errors(client: BlueCurrentClient, simulator: Simulator) -> None:
    simulator.faults.rest_errors = 1
    with pytest.raises(CannotConnectError, match="503"):
        await client.get_contracts()
    assert await client.get_contracts()


async def test_action_rejected(client: BlueCurrentClient, simulator: Simulator) -> None:
    simulator.faults.action_result = "rejected"
    evse_id = _evse(simulator)
    with pytest.raises(ActionRejectedError) as err:
        await client.soft_reset(evse_id)
    assert err.value.reason == "REJECTED"
    assert err.value.result is not None
    assert err.value.result.command == "STATUS_SOFT_RESET"
    with pytest.raises(ActionRejectedError):
        await client.set_status(evse_id, False, socket_id=1)
    with pytest.raises(ActionRejectedError) as err:
        await client.unlock_connector(evse_id, socket_id=1)
    assert err.value.reason == "REJECTED"
    with pytest.raises(ActionRejectedError):
        await client.set_plug_and_charge_charge_card(evse_id, None)


async def test_action_refused_up_front(client: BlueCurrentClient, simulator: Simulator) -> None:
    idle = _evse(simulator, 1)
    with pytest.raises(ActionRejectedError, match="no active session") as err:
        await client.stop_session(idle)
    assert err.value.result is not None
    assert err.value.result.command == "RECEIVED_STOP_SESSION"


async def test_action_without_verdict_times_out(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client(action_timeout=0.2)
    await client.connect()
    simulator.faults.action_result = "timeout"
    with pytest.raises(RequestTimeoutError):
        await client.reboot(_evse(simulator))
    with pytest.raises(RequestTimeoutError):
        await client.set_status(_evse(simulator), True, socket_id=1)
    with pytest.raises(CannotConnectError, match="504"):
        await client.unlock_connector(_evse(simulator), socket_id=1)


async def test_offline_charge_point_times_out(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    evse_id = _evse(simulator)
    await simulator.set_online(evse_id, False)
    with pytest.raises(ActionRejectedError) as err:
        await client.soft_reset(evse_id)
    assert err.value.reason == "TIMEOUT"


async def test_expired_token_relogin_ws_and_rest(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client(max_relogins=4)
    await client.connect()
    simulator.expire_tokens()
    assert (await client.get_account()).login
    assert simulator.stats.logins == 2
    simulator.expire_tokens()
    assert await client.get_contracts()
    assert simulator.stats.logins == 3
    simulator.expire_tokens()
    await client.set_status(_evse(simulator, 1), False, socket_id=1)
    assert simulator.stats.logins == 4
    simulator.expire_tokens()
    assert (await client.soft_reset(_evse(simulator))).success


async def test_concurrent_calls_share_one_relogin(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    simulator.expire_tokens()
    results = await asyncio.gather(
        client.get_account(),
        client.get_charge_cards(),
        client.get_charge_points(),
        client.get_sustainability_status(),
    )
    assert results[0].login
    assert simulator.stats.logins == 2


async def test_relogins_are_bounded(make_client: ClientFactory, simulator: Simulator) -> None:
    client = make_client(max_relogins=2)
    await client.connect()
    for _ in range(2):
        simulator.expire_tokens()
        await client.get_account()
    simulator.expire_tokens()
    with pytest.raises(InvalidSessionTokenError, match="2 re-logins"):
        await client.get_account()
    assert simulator.stats.logins == 3


async def test_credentials_revoked_during_relogin(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    seen: list[object] = []
    client.subscribe(seen.append)
    simulator.expire_tokens()
    simulator.faults.reject_credentials = True
    with pytest.raises(InvalidCredentialsError):
        await client.get_account()
    with pytest.raises(InvalidCredentialsError):
        await client.get_account()
    assert not client.connected
    assert any(isinstance(getattr(e, "error", None), InvalidCredentialsError) for e in seen)


async def test_malformed_frames_are_skipped_and_logged_once(
    client: BlueCurrentClient, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="custom_components.bluecurrent.api")
    seen: list[object] = []
    client.subscribe(seen.append)
    simulator.faults.malformed_frames = 8
    for _ in range(8):
        assert (await client.get_account()).login
    assert simulator.faults.malformed_frames == 0
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 4  # one per kind: not JSON, list, no object, bad CH_STATUS
    assert not seen


async def test_unknown_frames_are_ignored(client: BlueCurrentClient, simulator: Simulator) -> None:
    simulator.faults.unknown_frames = 3
    for _ in range(3):
        assert len(await client.get_charge_points()) == 2
    assert simulator.faults.unknown_frames == 0

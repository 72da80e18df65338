"""The real bluecurrent-api 1.3.3 (what Home Assistant core uses) against the simulator."""

from __future__ import annotations

import asyncio

from bluecurrent_api import Client
from bluecurrent_api.exceptions import InvalidApiToken, RequestLimitReached, WebsocketError
import pytest

from simulator import Simulator
from tests.simulator.conftest import Receiver

FIRST, SECOND = "BCU100001", "BCU100002"


async def _activities(receiver: Receiver, simulator: Simulator, evse_id: str) -> set[str]:
    """Activities of the CH_STATUS frames pushed for a change: one frame per socket."""
    frames = [
        await receiver.next("CH_STATUS", evse_id)
        for _ in simulator.charge_point(evse_id).socket_ids
    ]
    return {frame["data"]["activity"] for frame in frames}


async def test_validate_and_email(bca: Client, simulator: Simulator) -> None:
    assert await bca.validate_api_token("demo-api-token") == simulator.account.customer_id
    assert await bca.get_email() == "demo@example.com"
    with pytest.raises(InvalidApiToken):
        await bca.validate_api_token("wrong")
    simulator.faults.reject_credentials = True
    with pytest.raises(InvalidApiToken):
        await bca.validate_api_token("demo-api-token")


async def test_expired_token(bca: Client, simulator: Simulator) -> None:
    await bca.validate_api_token("demo-api-token")
    simulator.expire_tokens()
    with pytest.raises(WebsocketError, match="Invalid Auth Token"):
        await bca.get_email()


async def test_request_limit(bca: Client, simulator: Simulator) -> None:
    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReached):
        await bca.validate_api_token("demo-api-token")


async def test_start_up_sequence_and_pushes(
    connected: tuple[Client, Receiver], simulator: Simulator
) -> None:
    bca, receiver = connected
    points = receiver.seen[0]
    assert points["object"] == "CHARGE_POINTS"
    assert [cp["evse_id"] for cp in points["data"]] == [FIRST, SECOND]
    assert points["data"][0]["public_charging"]["value"] is False

    for evse_id in (FIRST, SECOND):
        await bca.get_status(evse_id)
    await bca.get_grid_status(FIRST)
    first = await receiver.next("CH_STATUS", FIRST)
    assert first["data"]["activity"] == "charging"
    assert first["data"]["vehicle_status"] == "ready"
    assert first["data"]["total_kw"] > 3  # BCA: avg A x avg V x 1.732
    assert first["data"]["stop_datetime"] is None
    assert first["data"]["start_datetime"].tzinfo is not None
    second = await receiver.next("CH_STATUS", SECOND)
    assert second["data"]["activity"] == "available"
    grid = await receiver.next("GRID_STATUS")
    assert grid["data"]["grid_max_current"] == max(
        simulator.grid.actual_p1, simulator.grid.actual_p2, simulator.grid.actual_p3
    )

    kwh_before = first["data"]["actual_kwh"]
    await simulator.advance(600)
    pushed = await receiver.next("CH_STATUS", FIRST)
    assert pushed["data"]["actual_kwh"] > kwh_before + 1
    current = await receiver.next("GRID_CURRENT")
    assert current["data"]["grid_actual_p1"] == simulator.grid.actual_p1

    await simulator.set_enabled(SECOND, False)
    assert await _activities(receiver, simulator, SECOND) == {"unavailable"}
    await simulator.set_enabled(SECOND, True)
    assert await _activities(receiver, simulator, SECOND) == {"available"}


async def test_actions(connected: tuple[Client, Receiver], simulator: Simulator) -> None:
    bca, receiver = connected
    await bca.block(SECOND, True)
    assert await _activities(receiver, simulator, SECOND) == {"unavailable"}
    assert simulator.charge_point(SECOND).enabled is False
    await bca.block(SECOND, False)
    assert await _activities(receiver, simulator, SECOND) == {"available"}

    await bca.set_plug_and_charge(SECOND, False)
    assert (await receiver.next("PLUG_AND_CHARGE"))["result"] is False
    settings = await receiver.next("CH_SETTINGS", SECOND)
    assert settings["data"]["plug_and_charge"] is False
    await bca.set_linked_charge_cards_only(SECOND, False)
    assert (await receiver.next("LINKED_CHARGE_CARDS_ONLY"))["result"] is False
    assert simulator.charge_point(SECOND).public_charging is True

    card = simulator.account.cards[1]
    await bca.start_session(SECOND, card.uid)
    started = await receiver.next("START_SESSION")
    assert started["error"] == ""
    # The session takes the first socket; the other one stays available.
    assert await _activities(receiver, simulator, SECOND) == {"charging", "available"}
    await simulator.advance(300)
    await bca.stop_session(SECOND)
    await receiver.next("STOP_SESSION")
    booked = simulator.charge_point(SECOND).transactions[-1]
    assert (booked.card_id, booked.card_name) == (card.id, card.name)
    assert booked.kwh > 0

    await bca.reset(FIRST)
    await receiver.next("SOFT_RESET")
    simulator.faults.action_result = "rejected"
    await bca.reboot(FIRST)
    rejected = await receiver.next("REBOOT")
    assert rejected["error"] == f"reboot rejected for chargepoint: {FIRST}"


async def test_close_with_limit(bca: Client, simulator: Simulator) -> None:
    receiver = Receiver()
    await bca.validate_api_token("demo-api-token")

    async def on_open() -> None:
        await bca.get_charge_points()

    task = asyncio.create_task(bca.connect(receiver, on_open))
    async with asyncio.timeout(3):
        await bca.wait_for_charge_points()
    await simulator.close_with_limit()
    with pytest.raises(RequestLimitReached):
        async with asyncio.timeout(3):
            await task

    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReached):
        async with asyncio.timeout(3):
            await bca.connect(receiver, on_open)

"""Boost (override the active smart-charging profile) and the fault switches of smart commands."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from simulator import Simulator
from tests.simulator.conftest import RawClient
from tests.simulator.smart_calls import VALID, SmartCaller, snapshot

FIRST, SECOND = "BCU100001", "BCU100002"


@pytest.fixture(params=["ws", "rest"])
def call(
    request: pytest.FixtureRequest,
    client: RawClient,
    http: aiohttp.ClientSession,
    simulator: Simulator,
) -> SmartCaller:
    return SmartCaller(request.param, client, http, simulator)


async def v21_boosting(sim: Simulator, http: aiohttp.ClientSession, token: str) -> bool:
    async with http.get(
        f"{sim.api_v21_url}/chargepointstatus",
        params={"evse_id": FIRST},
        headers={"Authorization": f"Token {token}"},
    ) as response:
        return bool((await response.json())["items"][0]["boosting"])


async def drain(client: RawClient) -> None:
    """Read away the pushes already sent."""
    try:
        while True:
            await client.recv(wait=0.1)
    except TimeoutError:
        return


@pytest.mark.parametrize(
    ("boost", "profile"), [("boost_price", "price"), ("boost_delayed", "delayed")]
)
async def test_boost_needs_its_profile_and_a_session(
    call: SmartCaller, simulator: Simulator, client: RawClient, boost: str, profile: str
) -> None:
    cp = simulator.charge_point(FIRST)
    refused = await call(boost, FIRST, value=True)
    assert refused == {"success": False, "error": "no active smart charging profile"}
    other = "delayed" if profile == "price" else "price"
    await call(other, FIRST, value=True)
    assert (await call(boost, FIRST, value=True))["success"] is False  # the other one is on
    await call(profile, FIRST, value=True)
    await simulator.stop_charging(FIRST)
    refused = await call(boost, FIRST, value=True)
    assert refused == {"success": False, "error": f"no active session for chargepoint: {FIRST}"}

    await simulator.start_charging(FIRST)
    await drain(client)
    assert (await call(boost, FIRST, value=True))["success"] is True
    assert cp.session is not None
    assert cp.session.boosting is True
    pushed = await client.until("CH_STATUS")
    assert (pushed["evse_id"], pushed["data"]["boosting"]) == (FIRST, True)
    assert client.token is not None
    assert await v21_boosting(simulator, call.http, client.token) is True

    # Switching the profile off ends the boost (and the status says so at once).
    await call(profile, FIRST, value=False)
    assert cp.session.boosting is False
    assert (await client.until("CH_STATUS"))["data"]["boosting"] is False
    assert await v21_boosting(simulator, call.http, client.token) is False


async def test_boost_ends_with_the_session_or_the_other_profile(
    call: SmartCaller, simulator: Simulator
) -> None:
    cp = simulator.charge_point(FIRST)
    await call("price", FIRST, value=True)
    await call("boost_price", FIRST, value=True)
    assert cp.session is not None
    assert cp.session.boosting
    await call("delayed", FIRST, value=True)  # price-based goes off, and with it the boost
    assert not cp.session.boosting
    await call("boost_delayed", FIRST)
    assert (cp.session.boosting, cp.session.boosted_profile) == (True, "delayed")
    await simulator.stop_charging(FIRST)
    await simulator.start_charging(FIRST)
    assert cp.session is not None
    assert cp.session.boosting is False
    # The websocket and the price-based REST route can also take a boost back.
    await call("price", FIRST, value=True)
    await call("boost_price", FIRST, value=True)
    assert (await call("boost_price", FIRST, value=False))["success"] is True
    assert (cp.session.boosting, cp.session.boosted_profile) == (False, None)


async def test_rejected_verdict_changes_nothing(call: SmartCaller, simulator: Simulator) -> None:
    simulator.faults.action_result = "rejected"
    cp = simulator.charge_point(FIRST)
    before = snapshot(cp)
    for name in ("delayed", "schedule", "price_settings", "capacity"):
        assert await call(name, FIRST, **VALID[name]) == {"success": False, "error": "REJECTED"}
    assert snapshot(cp) == before
    # A refusal still says why (the check comes before the verdict).
    assert (await call("delayed", FIRST, value="x"))["error"] == "invalid value"


async def test_timeout_verdict_never_answers_on_the_websocket(
    client: RawClient, simulator: Simulator
) -> None:
    simulator.faults.action_result = "timeout"
    before = snapshot(simulator.charge_point(FIRST))
    await client.send("SET_DELAYED_CHARGING", evse_id=FIRST, value=True)
    with pytest.raises(asyncio.TimeoutError):
        await client.recv(wait=0.2)
    assert snapshot(simulator.charge_point(FIRST)) == before


async def test_timeout_verdict_over_rest_is_a_gateway_timeout(
    simulator: Simulator, http: aiohttp.ClientSession, token: str
) -> None:
    simulator.faults.action_result = "timeout"
    async with http.post(
        f"{simulator.api_url}/setdelayedcharging",
        json={"evse_id": FIRST, "value": True},
        headers={"Authorization": f"Token {token}"},
    ) as response:
        assert response.status == 504
        assert await response.json() == {"success": False, "error": "TIMEOUT"}
    assert simulator.charge_point(FIRST).delayed_charging.value is False


async def test_silent_commands_and_paths(
    client: RawClient, simulator: Simulator, http: aiohttp.ClientSession, token: str
) -> None:
    simulator.faults.silent_commands = {"SET_PRICE_BASED_CHARGING"}
    await client.send("SET_PRICE_BASED_CHARGING", evse_id=FIRST, value=True)
    with pytest.raises(asyncio.TimeoutError):
        await client.recv(wait=0.2)

    headers = {"Authorization": f"Token {token}"}
    full = "/app/bc_api/api/v2.0/setcapacitytariff"
    for silent, path in (("setpricebasedcharging", "setpricebasedcharging"), (full, full)):
        simulator.faults.silent_paths = {silent}
        url = (
            f"{simulator.base_url}{path}" if path.startswith("/") else f"{simulator.api_url}/{path}"
        )
        with pytest.raises(asyncio.TimeoutError):
            async with asyncio.timeout(0.3):
                await http.post(url, json={"evse_id": FIRST, **VALID["capacity"]}, headers=headers)
    cp = simulator.charge_point(FIRST)
    assert (cp.price_based_charging.value, cp.capacity_tariff.value) == (False, False)
    assert simulator.stats.rest_requests[f"POST {full}"] == 1

    # Other paths still answer; a held request ends when the simulator stops.
    async with http.get(f"{simulator.api_url}/getgrids", headers=headers) as response:
        assert response.status == 200
    held = asyncio.create_task(
        http.post(f"{simulator.base_url}{full}", json={"evse_id": FIRST}, headers=headers)
    )
    await asyncio.sleep(0.05)
    await simulator.stop()
    response = await asyncio.wait_for(held, 5)
    assert response.status == 503
    response.release()

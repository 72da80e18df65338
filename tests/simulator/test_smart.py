"""Smart charging (protocol §3, §3.4, §5) over both the websocket and REST: rules and refusals."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from simulator import Simulator
from tests.simulator.conftest import RawClient
from tests.simulator.smart_calls import COMMANDS, VALID, SmartCaller, snapshot

FIRST, SECOND = "BCU100001", "BCU100002"


# Every command over both transports, except the capacity tariff, which only REST has.
ALL = [
    (transport, name)
    for transport in ("ws", "rest")
    for name, (command, _) in COMMANDS.items()
    if transport == "rest" or command is not None
]


@pytest.fixture(params=["ws", "rest"])
def call(
    request: pytest.FixtureRequest,
    client: RawClient,
    http: aiohttp.ClientSession,
    simulator: Simulator,
) -> SmartCaller:
    return SmartCaller(request.param, client, http, simulator)


def _profiles_on(sim: Simulator, evse_id: str, name: str) -> None:
    cp = sim.charge_point(evse_id)
    cp.delayed_charging.value = name == "boost_delayed"
    cp.price_based_charging.value = name == "boost_price"


@pytest.mark.parametrize("permission", ["read", "none"])
@pytest.mark.parametrize(("call", "name"), ALL, indirect=["call"])
async def test_without_write_permission_nothing_changes(
    call: SmartCaller, simulator: Simulator, name: str, permission: str
) -> None:
    _profiles_on(simulator, FIRST, name)
    cp = simulator.charge_point(FIRST)
    setting = {"delayed": "delayed_charging", "schedule": "delayed_charging"}.get(name)
    setting = setting or (
        "capacity_tariff"
        if name == "capacity"
        else "delayed_charging"
        if name == "boost_delayed"
        else "price_based_charging"
    )
    cp.permissions[setting] = permission
    before = snapshot(cp)
    verdict = await call(name, FIRST, **VALID[name])
    assert verdict == {"success": False, "error": f"not allowed for chargepoint: {FIRST}"}
    assert snapshot(cp) == before
    cp.permissions[setting] = "write"
    assert (await call(name, FIRST, **VALID[name]))["success"] is True
    assert snapshot(cp) != before


async def test_delayed_and_price_based_exclude_each_other(
    call: SmartCaller, simulator: Simulator
) -> None:
    cp = simulator.charge_point(FIRST)
    assert (await call("price", FIRST, value=True))["success"] is True
    assert (cp.price_based_charging.value, cp.delayed_charging.value) == (True, False)
    assert (await call("delayed", FIRST, value=True))["success"] is True
    assert (cp.price_based_charging.value, cp.delayed_charging.value) == (False, True)
    assert (await call("price", FIRST, value=True))["success"] is True
    assert (cp.price_based_charging.value, cp.delayed_charging.value) == (True, False)
    # Switching one off leaves the other off too.
    assert (await call("price", FIRST, value=False))["success"] is True
    assert (cp.price_based_charging.value, cp.delayed_charging.value) == (False, False)


async def test_read_side_shapes(call: SmartCaller, client: RawClient, simulator: Simulator) -> None:
    simulator.faults.no_settings_push = True  # so the next CH_SETTINGS is the answer

    async def settings() -> dict:
        return (await client.request("GET_CH_SETTINGS", evse_id=SECOND))["data"]

    data = await settings()
    assert data["delayed_charging"] == {"value": False, "permission": "write"}
    assert data["price_based_charging"] == {"value": False, "permission": "write"}
    assert data["capacity_tariff"] == {
        "value": False,
        "permission": "write",
        "capacitytariffmaxkwh": None,
    }
    await call("schedule", SECOND, days="[7,1,3,3]", start_time="9:05", end_time="17:30")
    await call("price_settings", SECOND, expected_departure_time="06:45", minimum_kwh=2)
    await call("capacity", SECOND, value=True, capacitytariffmaxkwh=0.01)
    data = await settings()
    assert data["delayed_charging"] == {
        "value": False,
        "permission": "write",
        "start_time": "09:05",
        "end_time": "17:30",
        "selected_days": [1, 3, 7],
    }
    assert "expected_leave_time" not in data["price_based_charging"]  # only while it is on
    assert data["capacity_tariff"]["capacitytariffmaxkwh"] == 0.01
    await call("price", SECOND, value=True)
    assert (await settings())["price_based_charging"] == {
        "value": True,
        "permission": "write",
        "expected_leave_time": "06:45",
        "expected_kwh": 25.0,
        "minimum_kwh": 2.0,
    }


INVALID = [
    ("delayed", {"value": "on"}, "invalid value"),
    ("price", {"value": 1}, "invalid value"),
    ("schedule", {**VALID["schedule"], "start_time": "25:00"}, "invalid time"),
    ("schedule", {**VALID["schedule"], "end_time": "7"}, "invalid time"),
    ("schedule", {**VALID["schedule"], "end_time": "07:60"}, "invalid time"),
    ("schedule", {**VALID["schedule"], "start_time": 700}, "invalid time"),
    ("schedule", {"days": "[1]", "start_time": "07:00"}, "invalid time"),
    ("schedule", {**VALID["schedule"], "days": "[0,1]"}, "invalid days"),
    ("schedule", {**VALID["schedule"], "days": "[8]"}, "invalid days"),
    ("schedule", {**VALID["schedule"], "days": "[]"}, "invalid days"),
    ("schedule", {**VALID["schedule"], "days": "1,2"}, "invalid days"),
    ("schedule", {**VALID["schedule"], "days": [1, 2]}, "invalid days"),
    ("schedule", {**VALID["schedule"], "days": "[true]"}, "invalid days"),
    ("price_settings", {"expected_departure_time": "7h"}, "expected_departure_time"),
    ("price_settings", {"expected_kwh": 5, "minimum_kwh": 6}, "must not exceed"),
    ("price_settings", {"minimum_kwh": 26}, "must not exceed"),
    ("price_settings", {"expected_kwh": -1}, "expected_kwh must be"),
    ("price_settings", {"minimum_kwh": "5"}, "minimum_kwh must be"),
    ("price_settings", {"current_battery_pct": 101}, "between 0 and 100"),
    ("price_settings", {"battery_size_kwh": 0}, "battery_size_kwh"),
    ("price_settings", {}, "no price-based settings"),
    ("capacity", {"value": True, "capacitytariffmaxkwh": 0}, "between 0.01 and 80"),
    ("capacity", {"value": True, "capacitytariffmaxkwh": 80.5}, "between 0.01 and 80"),
    ("capacity", {"value": True}, "between 0.01 and 80"),
    ("capacity", {"value": True, "capacitytariffmaxkwh": "4"}, "between 0.01 and 80"),
    ("capacity", {"value": "yes"}, "invalid value"),
    ("boost_price", {"value": "yes"}, "invalid value"),
]


@pytest.mark.parametrize(
    ("call", "name", "body", "message"),
    [
        (transport, name, body, message)
        for transport in ("ws", "rest")
        for name, body, message in INVALID
        if (transport, name) in ALL
    ],
    indirect=["call"],
)
async def test_strict_validation_refuses_and_changes_nothing(
    call: SmartCaller, simulator: Simulator, name: str, body: dict, message: str
) -> None:
    _profiles_on(simulator, FIRST, name)
    cp = simulator.charge_point(FIRST)
    before = snapshot(cp)
    verdict = await call(name, FIRST, **body)
    assert verdict["success"] is False
    assert message in verdict["error"]
    assert snapshot(cp) == before


async def test_bluecurrent_api_battery_fields_are_kept(
    call: SmartCaller, simulator: Simulator
) -> None:
    body = {"current_battery_pct": 20, "minimum_pct": 50, "battery_size_kwh": 60}
    assert (await call("price_settings", FIRST, **body))["success"] is True
    settings = simulator.charge_point(FIRST).price_based_charging
    assert (settings.current_battery_pct, settings.minimum_pct, settings.battery_size_kwh) == (
        20,
        50,
        60,
    )


async def test_accepted_changes_push_settings_unless_switched_off(
    call: SmartCaller, simulator: Simulator, client: RawClient
) -> None:
    await call("schedule", FIRST, **VALID["schedule"])
    pushed = await client.until("CH_SETTINGS")
    assert pushed["data"]["delayed_charging"]["start_time"] == "22:00"

    simulator.faults.no_settings_push = True
    await call("delayed", FIRST, value=True)
    assert simulator.charge_point(FIRST).delayed_charging.value is True
    with pytest.raises(asyncio.TimeoutError):
        await client.until("CH_SETTINGS", wait=0.2)
    # A re-read shows the change.
    reread = await client.request("GET_CH_SETTINGS", evse_id=FIRST)
    assert reread["data"]["delayed_charging"]["value"] is True

"""Device triggers and conditions of a charge point, driven by real changes in the simulator.

Each trigger fires once per change, never on the way to or from unavailable, and keeps working
after the user renames the entity behind it.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)

from custom_components.bluecurrent.const import DOMAIN
from custom_components.bluecurrent.device_condition import CONDITIONS
from custom_components.bluecurrent.device_trigger import TRIGGERS
from simulator import Simulator

from ..conftest import find_device
from .conftest import WaitFor, entity_id, settle, state_of

EVSE = "BCU100002"  # at rest at the start, two sockets


def _device_id(hass: HomeAssistant, evse_id: str = EVSE) -> str:
    device = find_device(hass, evse_id)
    assert device is not None
    return device.id


async def _automations(hass: HomeAssistant, device_id: str) -> list[ServiceCall]:
    """One automation per trigger type; each records its type when it fires."""
    calls: list[ServiceCall] = []

    @callback
    def record(call: ServiceCall) -> None:
        calls.append(call)

    hass.services.async_register("test", "record", record)
    config = [
        {
            "alias": trigger_type,
            "triggers": [
                {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device_id,
                    "type": trigger_type,
                }
            ],
            "actions": [{"action": "test.record", "data": {"type": trigger_type}}],
        }
        for trigger_type in TRIGGERS
    ]
    assert await async_setup_component(hass, automation.DOMAIN, {automation.DOMAIN: config})
    await hass.async_block_till_done()
    return calls


def _fired(calls: list[ServiceCall]) -> list[str]:
    return [call.data["type"] for call in calls]


async def test_listed_for_charge_points_only(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The automation editor lists every trigger and condition for a charge point, none for
    the grid or the account."""
    device_id = _device_id(hass)
    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, device_id)
    assert {t["type"] for t in triggers if t["domain"] == DOMAIN} == set(TRIGGERS)
    conditions = await async_get_device_automations(hass, DeviceAutomationType.CONDITION, device_id)
    assert {c["type"] for c in conditions if c["domain"] == DOMAIN} == set(CONDITIONS)
    for identifier in ("GRID-BCU100001", loaded_entry.entry_id):
        other = find_device(hass, identifier)
        assert other is not None
        found = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, other.id)
        assert not [t for t in found if t["domain"] == DOMAIN]


async def test_each_trigger_fires_once_per_change(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A session from plug-in to its end, then offline and an error: each trigger once."""
    calls = await _automations(hass, _device_id(hass))

    await cloud.start_charging(EVSE, socket_id=2)
    await wait_for(lambda: {"charging_started", "vehicle_connected"} <= set(_fired(calls)))
    await cloud.advance(600)
    await settle(hass)
    await cloud.stop_charging(EVSE)
    await wait_for(lambda: "session_ended" in _fired(calls))
    assert sorted(_fired(calls)) == sorted(
        [
            "vehicle_connected",
            "charging_started",
            "charging_stopped",
            "vehicle_disconnected",
            "session_ended",
        ]
    )

    calls.clear()
    await cloud.set_online(EVSE, False)
    await wait_for(lambda: "went_offline" in _fired(calls))
    await cloud.set_online(EVSE, True)
    await wait_for(lambda: state_of(hass, "sensor", f"{EVSE}_activity") == "available")
    await _set_activity(cloud, EVSE, "error")
    await wait_for(lambda: "error" in _fired(calls))
    await settle(hass)
    assert _fired(calls) == ["went_offline", "error"]


async def _set_activity(cloud: Simulator, evse_id: str, activity: str) -> None:
    """Push a status with another activity (the simulator has no fault state of its own)."""
    from simulator import wire

    frame = wire.ch_status(cloud.account.charge_points[evse_id])
    frame["data"]["activity"] = activity
    await cloud.broadcast(frame)


@pytest.mark.usefixtures("fast_reconnect")
async def test_no_trigger_on_the_way_to_or_from_unavailable(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A dropped connection makes everything unavailable and back: nothing fires."""
    calls = await _automations(hass, _device_id(hass, "BCU100001"))  # charging throughout
    activity = entity_id(hass, "sensor", "BCU100001_activity")
    await cloud.drop_connections()
    await wait_for(lambda: hass.states.get(activity).state == "unavailable")  # type: ignore[union-attr]
    await wait_for(lambda: hass.states.get(activity).state == "charging", 10)  # type: ignore[union-attr]
    await settle(hass)
    assert calls == []


async def test_triggers_survive_a_renamed_entity(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Triggers name the device, not the entity: a new entity id changes nothing."""
    registry = er.async_get(hass)
    old = entity_id(hass, "binary_sensor", f"{EVSE}_charging")
    registry.async_update_entity(old, new_entity_id="binary_sensor.my_car_charges")
    await settle(hass)
    calls = await _automations(hass, _device_id(hass))
    await cloud.start_charging(EVSE)
    await wait_for(lambda: "charging_started" in _fired(calls))


async def test_conditions(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Each condition says what the charge point is doing now."""
    device_id = _device_id(hass)
    results: dict[str, list[Any]] = {}

    async def check() -> dict[str, bool]:
        from homeassistant.helpers import condition

        found = {}
        for condition_type in CONDITIONS:
            config = {
                "condition": "device",
                "domain": DOMAIN,
                "device_id": device_id,
                "type": condition_type,
            }
            config = await condition.async_validate_condition_config(hass, config)
            test = await condition.async_from_config(hass, config)
            found[condition_type] = bool(test(hass, {}))
        return found

    results["rest"] = [await check()]
    assert results["rest"][0] == {
        "is_charging": False,
        "vehicle_connected": False,
        "is_available": True,
        "is_disabled": False,
    }
    await cloud.start_charging(EVSE)
    await wait_for(lambda: state_of(hass, "binary_sensor", f"{EVSE}_charging") == "on")
    assert await check() == {
        "is_charging": True,
        "vehicle_connected": True,
        "is_available": False,
        "is_disabled": False,
    }
    await cloud.set_enabled(EVSE, False)
    await wait_for(lambda: state_of(hass, "sensor", f"{EVSE}_activity") == "disabled")
    assert (await check())["is_disabled"] is True

"""Override-current schedules: the actions, the sensor of the value in force, and its reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.settings import DEFAULT_SETTINGS
from simulator import Simulator
from simulator.state import OverrideSchedule

from .conftest import fire_poll, jump_clock
from .smart_common import EVSE, TWIN, action, attributes, device, load, state

# Entities disabled by default are among those these tests drive.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")

# Monday 17:30 in Amsterdam (winter time, UTC+1).
MONDAY_EVENING = "2026-03-02 16:30:00+00:00"
OVERRIDE = "current_override"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


async def _set(hass: HomeAssistant, **data: Any) -> Any:
    fields: dict[str, Any] = {
        "device_id": [device(hass)],
        "current": 10,
        "start_time": "17:00",
        "start_days": WEEKDAYS,
        "end_time": "21:00",
        "end_days": WEEKDAYS,
    }
    return await action(hass, "set_current_override", **(fields | data))


def _schedule(schedule_id: int, evse_ids: list[str], value: float = 8.0) -> OverrideSchedule:
    days = ["MO", "TU", "WE", "TH", "FR"]
    return OverrideSchedule(schedule_id, evse_ids, "17:00", days, "21:00", days, value)


@pytest.mark.freeze_time(MONDAY_EVENING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_set_override_shows_the_value_in_force(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """The schedule reaches the cloud; the sensor follows it as it starts and ends."""
    assert state(hass, "sensor", OVERRIDE) == STATE_UNKNOWN
    response = await _set(hass, device_id=[device(hass), device(hass, TWIN)], return_response=True)
    (made,) = cloud.account.override_schedules
    assert response == {"schedule_id": made.schedule_id}
    assert (made.chargepoints, made.override_value) == ([EVSE, TWIN], 10.0)
    assert made.override_start_days == ["MO", "TU", "WE", "TH", "FR"]
    assert state(hass, "sensor", OVERRIDE) == "10.0"
    assert state(hass, "sensor", OVERRIDE, TWIN) == "10.0"
    assert attributes(hass, "sensor", OVERRIDE)["schedules"] == [
        {
            "schedule_id": made.schedule_id,
            "current": 10.0,
            "start_time": "17:00",
            "start_days": WEEKDAYS,
            "end_time": "21:00",
            "end_days": WEEKDAYS,
            "charge_points": [EVSE, TWIN],
        }
    ]
    cloud.stats.reset()
    await jump_clock(hass, freezer, timedelta(hours=3, minutes=30))  # 21:00
    assert state(hass, "sensor", OVERRIDE) == STATE_UNKNOWN
    # The end comes from Home Assistant's clock: nothing was read for it.
    assert "LIST_OVERRIDE_CURRENT" not in cloud.stats.ws_commands
    await jump_clock(hass, freezer, timedelta(hours=20))  # Tuesday 17:00
    assert state(hass, "sensor", OVERRIDE) == "10.0"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"current": 30}, "current_out_of_range"),
        ({"current": -1}, "current_out_of_range"),
        ({"current": float("nan")}, "current_out_of_range"),
        ({"start_time": "5 pm"}, "invalid_time"),
        ({"end_days": []}, "no_days"),
        ({"start_days": ["mo"]}, "invalid_day"),
        ({"device_id": []}, "no_charge_point"),
    ],
)
async def test_bad_override_is_refused_before_sending(
    hass: HomeAssistant,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    """Within 0 to what the charge point draws at most (its statuses' maximum)."""
    cloud.account.charge_points[EVSE].max_usage = 20
    await load(hass, config_entry)
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _set(hass, **data)
    assert err.value.translation_key == key
    if key == "current_out_of_range":
        assert (err.value.translation_placeholders or {})["maximum"] == "20"
    assert not cloud.stats.ws_commands
    assert cloud.account.override_schedules == []


@pytest.mark.freeze_time(MONDAY_EVENING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_range_while_an_override_caps_the_status(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """An override in force caps what the status reports: the range is then Type 2's 63 A."""
    cloud.account.override_schedules.append(_schedule(1, [EVSE], value=6))
    await cloud.refresh_overrides()
    await load(hass, config_entry)
    assert state(hass, "sensor", OVERRIDE) == "6.0"
    await _set(hass, current=40)
    with pytest.raises(ServiceValidationError):
        await _set(hass, current=64)
    assert [s.override_value for s in cloud.account.override_schedules] == [6, 40]


async def test_override_permission_is_the_clouds_to_refuse(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The cloud shows no permission for overrides: its refusal is translated."""
    cloud.account.charge_points[EVSE].permissions["override_current"] = "read"
    with pytest.raises(HomeAssistantError) as err:
        await _set(hass)
    assert err.value.translation_key == "command_rejected"
    assert err.value.translation_placeholders == {"error": f"not allowed for chargepoint: {EVSE}"}
    assert cloud.account.override_schedules == []


async def test_clear_by_charge_point_keeps_the_others(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """A shared schedule goes on for the other charge points; one of its own is deleted."""
    cloud.account.override_schedules += [_schedule(1, [EVSE, TWIN]), _schedule(2, [EVSE])]
    await load(hass, config_entry)
    # Made in the app since the last read: the action reads the schedules first.
    cloud.account.override_schedules.append(_schedule(3, [EVSE]))
    await action(hass, "clear_current_override", device_id=device(hass))
    assert [(s.schedule_id, s.chargepoints) for s in cloud.account.override_schedules] == [
        (1, [TWIN])
    ]
    assert attributes(hass, "sensor", OVERRIDE)["schedules"] == []
    assert [s["schedule_id"] for s in attributes(hass, "sensor", OVERRIDE, TWIN)["schedules"]] == [
        1
    ]


async def test_clear_by_schedule(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    cloud.account.override_schedules += [_schedule(1, [EVSE]), _schedule(2, [TWIN])]
    await load(hass, config_entry)
    await action(hass, "clear_current_override", schedule_id=2)
    assert [s.schedule_id for s in cloud.account.override_schedules] == [1]
    assert attributes(hass, "sensor", OVERRIDE, TWIN)["schedules"] == []

    cloud.stats.reset()
    for data, key in (
        ({"schedule_id": 9}, "unknown_schedule"),
        ({}, "clear_what"),
        ({"schedule_id": 1, "device_id": device(hass)}, "clear_what"),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await action(hass, "clear_current_override", **data)
        assert err.value.translation_key == key
    assert not cloud.stats.ws_commands


@pytest.mark.freeze_time(MONDAY_EVENING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_schedules_made_in_the_app_are_read_with_the_slow_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """Read as seldom as the grid list; a failed read is unavailable and tried every poll."""
    cloud.account.override_schedules.append(_schedule(1, [EVSE], value=7))
    await fire_poll(hass)
    assert state(hass, "sensor", OVERRIDE) == STATE_UNKNOWN  # not due yet
    cloud.faults.command_errors = {"LIST_OVERRIDE_CURRENT": (9, "Unknown error")}
    await jump_clock(hass, freezer, DEFAULT_SETTINGS.slow_interval + timedelta(seconds=1))
    assert state(hass, "sensor", OVERRIDE) == STATE_UNAVAILABLE
    cloud.faults.command_errors = {}
    await jump_clock(hass, freezer, DEFAULT_SETTINGS.poll_interval + timedelta(seconds=1))
    assert state(hass, "sensor", OVERRIDE) == STATE_UNKNOWN  # 17:30 + 6h10: after 21:00
    assert attributes(hass, "sensor", OVERRIDE)["schedules"][0]["current"] == 7.0


async def test_failed_read_after_a_change_is_no_error(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The schedule was made: the action succeeds; the sensor waits for the next poll."""
    cloud.faults.command_errors = {"LIST_OVERRIDE_CURRENT": (9, "Unknown error")}
    await _set(hass)
    assert len(cloud.account.override_schedules) == 1
    assert state(hass, "sensor", OVERRIDE) == STATE_UNAVAILABLE
    cloud.faults.command_errors = {}
    await fire_poll(hass)
    assert len(attributes(hass, "sensor", OVERRIDE)["schedules"]) == 1


async def test_one_override_per_account(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Charge points of two accounts cannot share one schedule."""
    async with Simulator(charge_points=0, seed=2) as other:
        await other.add_charge_point("BCU900001", name="Elders")
        second = MockConfigEntry(
            domain="bluecurrent",
            unique_id="other@example.com",
            data={**loaded_entry.data, "cloud_url": other.base_url},
        )
        await load(hass, second)
        cloud.stats.reset()
        with pytest.raises(ServiceValidationError) as err:
            await _set(hass, device_id=[device(hass), device(hass, "BCU900001")])
        assert err.value.translation_key == "several_accounts"
        assert not cloud.stats.ws_commands
        assert await hass.config_entries.async_unload(second.entry_id)

"""Delayed charging's window: the action, the start and end times and the days sensor."""

from __future__ import annotations

from typing import Any

from homeassistant.components.time import DOMAIN as TIME, SERVICE_SET_VALUE
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from .conftest import WaitFor, fire_poll
from .smart_common import (
    EVSE,
    SMART_PATH,
    action,
    device,
    exists,
    load,
    press,
    save_window,
    state,
)

# Entities disabled by default are among those these tests drive.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")

START, END, DAYS = "delayed_charging_start", "delayed_charging_end", "delayed_charging_days"


async def _set_window(hass: HomeAssistant, **data: Any) -> None:
    fields = {"days": ["mon", "tue", "wed", "thu", "fri"], "start_time": "22:00"}
    fields |= {"end_time": "06:30", "device_id": device(hass)} | data
    await action(hass, "set_delayed_charging", **fields)


async def test_action_saves_the_window_and_turns_delayed_charging_on(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The window and days as the cloud keeps them; the entities show what it reports."""
    point = cloud.account.charge_points[EVSE]
    assert state(hass, TIME, START) == STATE_UNAVAILABLE  # no window saved yet
    assert state(hass, "sensor", DAYS) == STATE_UNKNOWN
    cloud.stats.reset()
    await _set_window(hass, start_time="22:00:00")  # as the time selector gives it
    assert cloud.stats.rest_requests == {
        SMART_PATH + "savescheduledelayedcharging": 1,
        SMART_PATH + "setdelayedcharging": 1,
    }
    delayed = point.delayed_charging
    assert (delayed.value, delayed.days, delayed.start_time, delayed.end_time) == (
        True,
        [1, 2, 3, 4, 5],
        "22:00",
        "06:30",
    )
    assert state(hass, TIME, START) == "22:00:00"
    assert state(hass, TIME, END) == "06:30:00"
    assert state(hass, "sensor", DAYS) == "mon_tue_wed_thu_fri"
    assert state(hass, "select", "smart_charging_mode") == "delayed"

    cloud.stats.reset()
    await _set_window(hass, days="sat,sun", start_time="9:00")
    # Delayed charging is on already: only the window is sent.
    assert cloud.stats.rest_requests == {SMART_PATH + "savescheduledelayedcharging": 1}
    assert state(hass, "sensor", DAYS) == "sat_sun"
    assert state(hass, TIME, START) == "09:00:00"


@pytest.mark.parametrize(
    ("data", "key", "placeholders"),
    [
        ({"start_time": "7.30"}, "invalid_time", {"time": "7.30", "field": "start_time"}),
        ({"end_time": "24:00"}, "invalid_time", {"time": "24:00", "field": "end_time"}),
        ({"start_time": "07:30:15"}, "invalid_time", {"time": "07:30:15", "field": "start_time"}),
        ({"days": []}, "no_days", {"field": "days"}),
        ({"days": ["mon", "someday"]}, "invalid_day", {"day": "someday", "field": "days"}),
    ],
)
@pytest.mark.usefixtures("loaded_entry")
async def test_action_refuses_bad_input(
    hass: HomeAssistant,
    cloud: Simulator,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Bad input: a translated validation error, and nothing is sent."""
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _set_window(hass, **data)
    assert (err.value.translation_key, err.value.translation_placeholders) == (key, placeholders)
    assert not cloud.stats.rest_requests


async def test_times_keep_the_other_end_and_the_days(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """Moving one end of the window leaves the other and the days as they were."""
    save_window(cloud, [1, 3, 5], "23:00", "07:00")
    await load(hass, config_entry)
    assert state(hass, "sensor", DAYS) == "mon_wed_fri"
    await press(hass, TIME, SERVICE_SET_VALUE, START, time="21:15")
    delayed = cloud.account.charge_points[EVSE].delayed_charging
    assert (delayed.start_time, delayed.end_time, delayed.days) == ("21:15", "07:00", [1, 3, 5])
    assert delayed.value is False  # the window alone does not turn it on
    await press(hass, TIME, SERVICE_SET_VALUE, END, time="05:45")
    assert (delayed.start_time, delayed.end_time, delayed.days) == ("21:15", "05:45", [1, 3, 5])
    assert (state(hass, TIME, START), state(hass, TIME, END)) == ("21:15:00", "05:45:00")

    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, TIME, SERVICE_SET_VALUE, END, time="05:45:30")
    assert err.value.translation_key == "invalid_time"
    assert not cloud.stats.rest_requests


async def test_app_changes_reach_the_window(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Pushed at once, or read at the next poll when the cloud pushes nothing."""
    save_window(cloud, [1], "23:00", "07:00")
    await load(hass, config_entry)
    save_window(cloud, [1, 2, 3, 4, 5, 6, 7], "01:00", "05:00")
    await cloud.push_settings(EVSE)
    await wait_for(lambda: state(hass, "sensor", DAYS) == "mon_tue_wed_thu_fri_sat_sun", 5)
    assert state(hass, TIME, START) == "01:00:00"

    save_window(cloud, [6, 7], "02:00", "04:00")
    await fire_poll(hass)
    assert (state(hass, "sensor", DAYS), state(hass, TIME, END)) == ("sat_sun", "04:00:00")


@pytest.mark.parametrize("permission", ["read", "none"])
async def test_window_permissions(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, permission: str
) -> None:
    """Read: shown, every change refused before sending. None: no entities at all."""
    cloud.account.charge_points[EVSE].permissions["delayed_charging"] = permission
    save_window(cloud, [2], "23:00", "07:00")
    await load(hass, config_entry)
    for domain, key in ((TIME, START), (TIME, END), ("sensor", DAYS)):
        assert exists(hass, domain, key) == (permission == "read")
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _set_window(hass)
    assert err.value.translation_key == "read_only"
    if permission == "read":
        assert state(hass, TIME, START) == "23:00:00"
        with pytest.raises(ServiceValidationError) as err:
            await press(hass, TIME, SERVICE_SET_VALUE, START, time="21:00")
        assert err.value.translation_key == "read_only"
    assert not cloud.stats.rest_requests
    assert cloud.account.charge_points[EVSE].delayed_charging.start_time == "23:00"

"""The README's smart-charging automations, read from README.md and run against the simulator.

Entity ids are the demo's (the charge point "Carport 001").
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddEntitiesCallback
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockPlatform, mock_platform
import yaml

from custom_components.bluecurrent.api.const import TIMEZONE
from simulator import Simulator

from .conftest import jump_clock
from .readme_examples import block_with
from .smart_common import EVSE, load

# The README's blocks, read from README.md (with the helpers they configure).
PRICE_ON_WEEKDAYS = block_with("Charge on price before workdays").text
BOOST_WHEN_LEAVING_EARLY = block_with("Boost when leaving early").text
EVENING_PEAK = block_with("Lower current in the evening peak").text

# Monday 2 March 2026, 20:59 in Amsterdam (UTC+1).
MONDAY_EVENING = "2026-03-02 19:59:00+00:00"
# Tuesday 3 March 2026, 05:55 in Amsterdam.
TUESDAY_MORNING = "2026-03-03 04:55:00+00:00"


async def _configure(hass: HomeAssistant, snippet: str) -> None:
    """Set up what a README snippet configures (its helpers, then its automations)."""
    config = yaml.safe_load(snippet)
    for domain, part in config.items():
        assert await async_setup_component(hass, domain, {domain: part})
    await hass.async_block_till_done()


@pytest.fixture(autouse=True)
async def automations_off(hass: HomeAssistant) -> AsyncIterator[None]:
    """Turn the automations off after each test, so their triggers' timers end with it."""
    yield
    if hass.services.has_service("automation", "turn_off"):
        await hass.services.async_call(
            "automation", "turn_off", {"entity_id": "all"}, blocking=True
        )


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


@pytest.fixture
async def carport(hass: HomeAssistant, cloud: Simulator) -> Simulator:
    """The demo's names and time zone: the first charge point is "Carport 001", in Amsterdam."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    cloud.account.charge_points[EVSE].name = "Carport 001"
    return cloud


@pytest.mark.freeze_time(MONDAY_EVENING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_price_based_charging_before_workdays(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, carport: Simulator, config_entry: Any
) -> None:
    await load(hass, config_entry)
    await _configure(hass, PRICE_ON_WEEKDAYS)
    point = carport.account.charge_points[EVSE]
    await jump_clock(hass, freezer, timedelta(minutes=1, seconds=1))  # Monday 21:00
    assert point.price_based_charging.value is True
    assert point.price_based_charging.expected_leave_time == "07:30"
    assert _state(hass, "time.carport_001_departure_time") == "07:30:00"

    await jump_clock(hass, freezer, timedelta(days=4))  # Friday 21:00
    assert point.price_based_charging.value is False
    assert _state(hass, "select.carport_001_smart_charging") == "off"


class FamilyCalendar(CalendarEntity):
    """A calendar of Home Assistant's own kind, with the one event the automation looks for."""

    _attr_name = "Family"

    def __init__(self, events: list[CalendarEvent]) -> None:
        self._events = events

    @property
    def event(self) -> CalendarEvent | None:
        return self._events[0] if self._events else None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        return [e for e in self._events if e.start < end_date and e.end > start_date]


@pytest.mark.freeze_time(TUESDAY_MORNING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
# The calendar entity keeps a timer for its event's start (Home Assistant's own, not ours).
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_boost_when_leaving_early(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, carport: Simulator, config_entry: Any
) -> None:
    point = carport.account.charge_points[EVSE]
    point.delayed_charging.value = True  # the car waits for the night window
    await load(hass, config_entry)
    leaving = dt_util.now().astimezone(TIMEZONE).replace(hour=8, minute=0, second=0, microsecond=0)
    event = CalendarEvent(leaving, leaving + timedelta(hours=1), "Leave early: dentist")

    async def setup(hass: HomeAssistant, _c: Any, add: AddEntitiesCallback, _d: Any) -> None:
        add([FamilyCalendar([event])])

    mock_platform(hass, "test.calendar", MockPlatform(async_setup_platform=setup))
    assert await async_setup_component(hass, "calendar", {"calendar": {"platform": "test"}})
    await _configure(hass, BOOST_WHEN_LEAVING_EARLY)
    assert point.session is not None
    assert point.session.boosting is False
    await jump_clock(hass, freezer, timedelta(minutes=5, seconds=1))  # 06:00
    assert point.session.boosting is True


@pytest.mark.freeze_time(MONDAY_EVENING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
@pytest.mark.usefixtures("all_entities_enabled")  # drives entities off by default
async def test_lower_current_in_the_evening_peak(
    hass: HomeAssistant, carport: Simulator, config_entry: Any
) -> None:
    await load(hass, config_entry)
    await _configure(hass, EVENING_PEAK)
    await hass.services.async_call(
        "input_boolean", "turn_on", {"entity_id": "input_boolean.evening_peak_limit"}, blocking=True
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    (schedule,) = carport.account.override_schedules
    assert (schedule.chargepoints, schedule.override_value) == ([EVSE], 10.0)
    assert (schedule.override_start_time, schedule.override_end_time) == ("17:00", "21:00")
    assert _state(hass, "sensor.carport_001_current_override") == "10.0"  # 20:59 on Monday

    await hass.services.async_call(
        "input_boolean",
        "turn_off",
        {"entity_id": "input_boolean.evening_peak_limit"},
        blocking=True,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert carport.account.override_schedules == []
    assert _state(hass, "sensor.carport_001_current_override") == "unknown"

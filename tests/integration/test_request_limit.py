"""The daily request limit: once met, nothing leaves for the account until the reset.

Not at setup, not on setup retries or reloads, not on polls; a repair issue says until when and
goes once the integration is connected again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.api.errors import next_limit_reset
from custom_components.bluecurrent.const import DOMAIN
from custom_components.bluecurrent.limit import issue_id
from simulator import Simulator

from .conftest import POLL_INTERVAL, WaitFor, jump_clock, settle, state_of

# 11:00 in Amsterdam: the daily request budget resets 13 hours later.
MORNING = "2026-03-02 10:00:00+00:00"
pytestmark = [pytest.mark.freeze_time(MORNING, tick=True), pytest.mark.usefixtures("clock_jumps")]


def _reset_text(now: datetime) -> str:
    return dt_util.as_local(next_limit_reset(now)).strftime("%Y-%m-%d %H:%M")


def _issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id(entry.entry_id))


def _quiet(cloud: Simulator) -> bool:
    return not cloud.stats.ws_commands and not cloud.stats.rest_requests


def _reset_after(now: datetime) -> timedelta:
    """Time from now until just after the daily reset (with the integration's grace)."""
    return next_limit_reset(now) - now + timedelta(minutes=2)


async def _polls_send_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: Simulator, polls: int
) -> None:
    """Let ``polls`` poll intervals pass: not one request, not one connection."""
    cloud.stats.reset()
    for _ in range(polls):
        await jump_clock(hass, freezer, POLL_INTERVAL)
    assert _quiet(cloud)
    assert cloud.stats.connections == 0


async def _past_the_reset(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, cloud: Simulator
) -> None:
    """The cloud answers again, and the clock passes the daily reset."""
    cloud.faults.request_limit = False
    await jump_clock(hass, freezer, _reset_after(dt_util.now()))


async def test_limit_at_setup_waits_without_retrying(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """Setup meets the limit: the entry loads and waits; no request until the reset."""
    cloud.faults.request_limit = True
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    assert config_entry.state is ConfigEntryState.LOADED
    issue = _issue(hass, config_entry)
    assert issue is not None
    assert issue.translation_key == "request_limit"
    assert issue.translation_placeholders == {
        "account": config_entry.title,
        "reset": _reset_text(dt_util.utcnow()),
    }

    await _polls_send_nothing(hass, freezer, cloud, 12)  # two hours of polls
    assert await hass.config_entries.async_reload(config_entry.entry_id)
    await settle(hass)
    assert _quiet(cloud)
    assert cloud.stats.connections == 0

    await _past_the_reset(hass, freezer, cloud)
    coordinator = config_entry.runtime_data.coordinator
    await wait_for(lambda: bool(coordinator.data.charge_points), 10)
    await settle(hass)
    assert state_of(hass, "sensor", "BCU100001_activity") == "charging"
    assert _issue(hass, config_entry) is None
    assert cloud.stats.connections == 1


async def test_limit_on_poll_keeps_pushed_values(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """A poll over the limit: what it reads is unavailable, pushes go on, no more requests."""
    cloud.faults.request_limit = True
    cloud.stats.reset()
    await jump_clock(hass, freezer, POLL_INTERVAL)
    assert cloud.stats.ws_commands == {"GET_CHARGE_POINTS": 1}
    assert _issue(hass, loaded_entry) is not None
    assert state_of(hass, "switch", "BCU100001_plug_and_charge") == STATE_UNAVAILABLE
    assert state_of(hass, "sensor", "BCU100001_activity") == "charging"

    await _polls_send_nothing(hass, freezer, cloud, 6)

    await _past_the_reset(hass, freezer, cloud)
    assert _issue(hass, loaded_entry) is None
    assert state_of(hass, "switch", "BCU100001_plug_and_charge") == "on"


async def test_limit_is_remembered_across_a_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """Limit met, then Home Assistant restarts: the new setup sends nothing before the reset."""
    cloud.faults.request_limit = True
    await jump_clock(hass, freezer, POLL_INTERVAL)
    assert _issue(hass, loaded_entry) is not None
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await settle(hass)

    cloud.faults.request_limit = False  # the cloud would answer: the stored limit holds us back
    cloud.stats.reset()
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await settle(hass)
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert _quiet(cloud)
    assert cloud.stats.connections == 0
    assert _issue(hass, loaded_entry) is not None

    await jump_clock(hass, freezer, _reset_after(dt_util.now()))
    # The socket opens before the handshake ends; the issue goes once the client is connected.
    await wait_for(lambda: _issue(hass, loaded_entry) is None, 10)
    await settle(hass)
    assert cloud.stats.connections == 1
    assert state_of(hass, "sensor", "BCU100001_activity") == "charging"


async def test_limit_closes_the_connection(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """The cloud closes the socket over the limit: unavailable and silent until the reset."""
    cloud.faults.request_limit = True
    await cloud.close_with_limit()
    await wait_for(lambda: state_of(hass, "sensor", "BCU100001_activity") == STATE_UNAVAILABLE)
    assert _issue(hass, loaded_entry) is not None
    await _polls_send_nothing(hass, freezer, cloud, 6)

    await _past_the_reset(hass, freezer, cloud)
    await wait_for(lambda: state_of(hass, "sensor", "BCU100001_activity") == "charging", 10)
    await settle(hass)
    assert cloud.stats.connections == 1
    assert _issue(hass, loaded_entry) is None

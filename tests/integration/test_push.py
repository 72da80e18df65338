"""Pushed changes reach the state machine by themselves, without a poll."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from .conftest import WaitFor, state_of

# Some values checked here are disabled by default.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")


def _no_requests(cloud: Simulator) -> None:
    """Nothing was asked of the cloud: what changed was pushed."""
    assert not cloud.stats.ws_commands
    assert not cloud.stats.rest_requests


async def test_status_push_blocks_and_unblocks(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Blocking a charge point in the cloud turns its activity and switch over at once."""
    cloud.stats.reset()
    await cloud.set_enabled("BCU100002", False)
    await wait_for(lambda: state_of(hass, "sensor", "BCU100002_activity") == "disabled", 5)
    assert state_of(hass, "switch", "BCU100002_enabled") == "off"

    await cloud.set_enabled("BCU100002", True)
    await wait_for(lambda: state_of(hass, "sensor", "BCU100002_activity") == "available", 5)
    assert state_of(hass, "switch", "BCU100002_enabled") == "on"
    _no_requests(cloud)


async def test_session_progress_and_grid_are_pushed(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Simulated time passing raises the session energy and moves the grid currents."""
    before = float(state_of(hass, "sensor", "BCU100001_session_energy"))
    cloud.stats.reset()
    await cloud.advance(3600)
    session = cloud.account.charge_points["BCU100001"].session
    assert session is not None
    expected = round(session.kwh, 3)
    assert expected > before
    await wait_for(
        lambda: float(state_of(hass, "sensor", "BCU100001_session_energy")) == expected, 5
    )
    grid = cloud.grid  # the only grid: its pushes are attributed to it
    mean = round((grid.actual_p1 + grid.actual_p2 + grid.actual_p3) / 3, 1)
    await wait_for(
        lambda: float(state_of(hass, "sensor", "GRID-BCU100001_grid_current")) == mean, 5
    )
    assert float(state_of(hass, "sensor", "GRID-BCU100001_grid_current_max")) == max(
        grid.actual_p1, grid.actual_p2, grid.actual_p3
    )
    # GRID_CURRENT carries no capacities: the polled ones stay.
    assert float(state_of(hass, "sensor", "GRID-BCU100001_grid_max_installed")) == (
        grid.grid_max_install
    )
    _no_requests(cloud)


async def test_socket_push_changes_only_that_socket(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A session on the second socket shows on that socket's sensors, not on the first's."""
    cloud.stats.reset()
    await cloud.start_charging("BCU100002", socket_id=2)
    await wait_for(lambda: state_of(hass, "sensor", "BCU100002_socket_2_activity") == "charging", 5)
    assert state_of(hass, "sensor", "BCU100002_socket_1_activity") == "available"
    assert state_of(hass, "sensor", "BCU100002_socket_2_vehicle_status") == "ready"
    assert float(state_of(hass, "sensor", "BCU100002_socket_2_power")) > 0
    assert float(state_of(hass, "sensor", "BCU100002_socket_1_power")) == 0
    # The charge point combines its sockets: it charges when one does.
    assert state_of(hass, "sensor", "BCU100002_activity") == "charging"
    _no_requests(cloud)


async def test_offline_push(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A charge point that drops off the network says since when; its switch state is unknown."""
    cloud.stats.reset()
    await cloud.set_online("BCU100002", False)
    await wait_for(lambda: state_of(hass, "sensor", "BCU100002_activity") == "offline", 5)
    offline_since = cloud.account.charge_points["BCU100002"].offline_since
    assert offline_since is not None
    since = state_of(hass, "sensor", "BCU100002_offline_since")
    assert since == dt_util.as_utc(offline_since).isoformat()
    assert state_of(hass, "switch", "BCU100002_enabled") == "unknown"

    await cloud.set_online("BCU100002", True)
    await wait_for(lambda: state_of(hass, "sensor", "BCU100002_activity") == "available", 5)
    assert state_of(hass, "sensor", "BCU100002_offline_since") == "unknown"
    assert state_of(hass, "switch", "BCU100002_enabled") == "on"
    _no_requests(cloud)


async def test_settings_push(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Settings changed in the app arrive as CH_SETTINGS and update the switches and select."""
    cloud.stats.reset()
    point = cloud.account.charge_points["BCU100001"]
    point.public_charging = True
    point.plug_and_charge = False
    point.plug_and_charge_card_uid = cloud.account.cards[1].uid
    await cloud.push_settings("BCU100001")
    await wait_for(lambda: state_of(hass, "switch", "BCU100001_public_charging") == "on", 5)
    assert state_of(hass, "switch", "BCU100001_plug_and_charge") == "off"
    assert state_of(hass, "select", "BCU100001_plug_and_charge_card") == "Private card"
    # The other charge point heard nothing.
    assert state_of(hass, "switch", "BCU100002_public_charging") == "off"
    _no_requests(cloud)


async def test_settings_push_clears_the_card(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A card cleared in the app (the cloud pushes its "no card" pseudo card) clears the select."""
    point = cloud.account.charge_points["BCU100001"]
    unique_id = "BCU100001_plug_and_charge_card"
    point.plug_and_charge_card_uid = cloud.account.cards[0].uid
    await cloud.push_settings("BCU100001")
    await wait_for(lambda: state_of(hass, "select", unique_id) == cloud.account.cards[0].name, 5)

    cloud.stats.reset()
    point.plug_and_charge_card_uid = None
    point.public_charging = True
    await cloud.push_settings("BCU100001")
    await wait_for(lambda: state_of(hass, "switch", "BCU100001_public_charging") == "on", 5)
    assert state_of(hass, "select", unique_id) == "no_card"
    _no_requests(cloud)

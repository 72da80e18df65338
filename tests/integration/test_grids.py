"""Accounts with several grid connections: a device each, charge points linked to their own.

Pushed grid currents name no grid, so with several grids they are not attributed: each grid's
currents come from its own GRID_STATUS, read by the poll. One grid's currents never show on another.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator

from ..conftest import find_device
from .conftest import ENTRY_ID, PASSWORD, USERNAME, fire_poll, settle, state_of


@pytest.fixture
async def two_grids(socket_enabled: None) -> AsyncIterator[Simulator]:
    """Four charge points on two grids (round robin), the first one charging."""
    sim = Simulator(charge_points=4, seed=1, charging=1, grids=2)
    async with sim:
        yield sim


@pytest.fixture
async def grid_entry(
    hass: HomeAssistant, two_grids: Simulator, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The account with two grids, set up."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    return config_entry


def _mean(values: list[float]) -> float:
    used = [v for v in values if v]
    return round(sum(used) / len(used), 1)


def _grid_current(sim: Simulator, grid_id: str) -> float:
    grid = sim.grids[grid_id]
    return _mean([grid.actual_p1, grid.actual_p2, grid.actual_p3])


@pytest.fixture
def config_entry(two_grids: Simulator) -> MockConfigEntry:
    """An entry for the two-grid account (the default fixture's account has one grid)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=USERNAME,
        unique_id=USERNAME,
        entry_id=ENTRY_ID,
        data={"username": USERNAME, "password": PASSWORD, "cloud_url": two_grids.base_url},
    )


async def test_each_grid_has_its_device_and_charge_points(
    hass: HomeAssistant, two_grids: Simulator, grid_entry: MockConfigEntry
) -> None:
    """A device per grid, named apart; each charge point's device is linked to its own grid."""
    assert len(two_grids.grids) == 2
    grids = {}
    for grid_id in two_grids.grids:
        device = find_device(hass, grid_id)
        assert device is not None, grid_id
        grids[grid_id] = device
    assert len({device.name for device in grids.values()}) == 2
    for evse_id in two_grids.account.charge_points:
        device = find_device(hass, evse_id)
        assert device is not None
        assert device.via_device_id == grids[two_grids.grid_of(evse_id).id].id


async def test_grid_currents_stay_with_their_grid(
    hass: HomeAssistant, two_grids: Simulator, grid_entry: MockConfigEntry
) -> None:
    """Each grid shows its own currents; unattributable pushes change neither; the poll does."""
    first, second = two_grids.grids
    for grid_id in (first, second):
        value = float(state_of(hass, "sensor", f"{grid_id}_grid_current"))
        assert value == _grid_current(two_grids, grid_id)
    assert _grid_current(two_grids, first) != _grid_current(two_grids, second)

    before = {g: state_of(hass, "sensor", f"{g}_grid_current") for g in (first, second)}
    await two_grids.advance(1800)  # sessions move, and one GRID_CURRENT per grid is pushed
    await settle(hass)
    assert {g: state_of(hass, "sensor", f"{g}_grid_current") for g in (first, second)} == before

    await fire_poll(hass)
    for grid_id in (first, second):
        value = float(state_of(hass, "sensor", f"{grid_id}_grid_current"))
        assert value == _grid_current(two_grids, grid_id)

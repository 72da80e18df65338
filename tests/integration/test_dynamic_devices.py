"""Charge points that join the account, without a restart of Home Assistant.

Leaving is in test_stale_devices.py.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator, wire

from ..conftest import find_device
from .conftest import WaitFor, fire_poll, jump_clock, settle, state_of


def _device(hass: HomeAssistant, evse_id: str) -> dr.DeviceEntry | None:
    return find_device(hass, evse_id)


def _entities(hass: HomeAssistant, evse_id: str) -> list[er.RegistryEntry]:
    registry = er.async_get(hass)
    return [e for e in registry.entities.values() if e.unique_id.startswith(f"{evse_id}_")]


async def test_added_charge_point_appears_after_a_poll(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A new two-socket charge point gets its device and all its entities on the next poll."""
    point = await cloud.add_charge_point(name="Garage", socket_ids=[1, 2], history=4)
    assert _device(hass, point.evse_id) is None
    await fire_poll(hass)

    device = _device(hass, point.evse_id)
    assert device is not None
    assert (device.name, device.model_id) == ("Garage", point.model_type)
    assert device in dr.async_entries_for_config_entry(dr.async_get(hass), loaded_entry.entry_id)
    evse_id = point.evse_id
    assert state_of(hass, "sensor", f"{evse_id}_activity") == "available"
    assert state_of(hass, "sensor", f"{evse_id}_socket_2_activity") == "available"
    assert state_of(hass, "switch", f"{evse_id}_enabled") == "on"
    energy = round(sum(t.kwh for t in point.transactions), 3)
    assert float(state_of(hass, "sensor", f"{evse_id}_lifetime_energy")) == energy


async def test_status_of_an_unknown_charge_point_adds_it(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A push about a charge point not known yet makes the integration look it up at once."""
    point = await cloud.add_charge_point(name="Carport", history=0)
    await cloud.push_status(point.evse_id)
    await wait_for(lambda: _device(hass, point.evse_id) is not None, 5)
    await settle(hass)
    evse_id = point.evse_id
    assert state_of(hass, "sensor", f"{evse_id}_activity") == "available"
    # Brand new: nothing charged yet.
    assert float(state_of(hass, "sensor", f"{evse_id}_lifetime_energy")) == 0
    assert float(state_of(hass, "sensor", f"{evse_id}_lifetime_cost")) == 0


@pytest.mark.freeze_time("2026-03-02 10:00:00+00:00", tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_pushes_of_an_unknown_charge_point_refresh_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """A charge point that pushes but is never listed: one refresh per 10 minutes, not per push.

    The pushes come further apart than a refresh's own cooldown, so only the integration's limit
    per charge point holds them back.
    """
    point = await cloud.add_charge_point(name="Carport", history=0)
    foreign = cloud.account.charge_points.pop(point.evse_id)  # pushed, but never listed
    cloud.stats.reset()
    for _ in range(5):
        await cloud.broadcast(wire.ch_status(foreign))
        await wait_for(lambda: cloud.stats.ws_commands["GET_CHARGE_POINTS"] >= 1, 5)
        await asyncio.sleep(0.2)  # the push crosses the websocket before the clock moves on
        await jump_clock(hass, freezer, timedelta(seconds=30))
    assert cloud.stats.ws_commands["GET_CHARGE_POINTS"] == 1

    await jump_clock(hass, freezer, timedelta(minutes=10))
    polls = cloud.stats.ws_commands["GET_CHARGE_POINTS"]
    await cloud.broadcast(wire.ch_status(foreign))

    async def asked_again() -> bool:
        await jump_clock(hass, freezer, timedelta(seconds=11))  # past the refresh's cooldown
        return cloud.stats.ws_commands["GET_CHARGE_POINTS"] == polls + 1

    for _ in range(20):
        if await asked_again():
            break
        await asyncio.sleep(0.05)
    assert cloud.stats.ws_commands["GET_CHARGE_POINTS"] == polls + 1

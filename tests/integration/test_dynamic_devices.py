"""Charge points that join or leave the account, without a restart of Home Assistant."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from ..conftest import find_device
from .conftest import WaitFor, fire_poll, settle, state_of


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
    assert (device.name, device.model) == ("Garage", point.model_type)
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
    assert state_of(hass, "sensor", f"{evse_id}_latest_transaction_energy") == "unknown"


async def test_removed_charge_point_leaves(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A charge point that left the account loses its device and entities on the next poll."""
    entities = _entities(hass, "BCU100002")
    assert entities
    await cloud.remove_charge_point("BCU100002")
    await fire_poll(hass)

    assert _device(hass, "BCU100002") is None
    assert not _entities(hass, "BCU100002")
    for entity in entities:
        assert hass.states.get(entity.entity_id) is None
    assert _device(hass, "BCU100001") is not None
    assert state_of(hass, "sensor", "BCU100001_activity") == "charging"


async def test_charge_point_removed_while_stopped(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A charge point that left while Home Assistant was not running is gone after setup."""
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await cloud.remove_charge_point("BCU100002")
    assert _device(hass, "BCU100002") is not None

    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await settle(hass)
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert _device(hass, "BCU100002") is None
    assert not _entities(hass, "BCU100002")
    # The grid and account devices are not charge points and stay.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), loaded_entry.entry_id)
    assert len(devices) == 3

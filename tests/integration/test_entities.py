"""Every entity and device of a loaded entry, against snapshots.

The simulator's seed fixes names, ids and values, and its clock only moves by `sim.advance()`,
so the snapshots are the same on every run. The default account has a one-socket charge point
with a running session and a two-socket one (per-socket entities), a grid and the account.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulator import Simulator


async def test_entities_and_states(
    hass: HomeAssistant,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Registry entries as set up (some disabled by default), then the state of every entity."""
    entries = sorted(
        er.async_entries_for_config_entry(entity_registry, loaded_entry.entry_id),
        key=lambda entry: entry.entity_id,
    )
    assert {e.unique_id for e in entries} >= {
        "BCU100002_socket_1_activity",
        "BCU100002_socket_2_activity",
        "BCU100002_socket_2_power",
    }
    for entry in entries:
        assert entry == snapshot(name=f"{entry.entity_id}-entry")

    for entry in entries:
        if entry.disabled_by is not None:
            entity_registry.async_update_entity(entry.entity_id, disabled_by=None)
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()

    for entry in entries:
        state = hass.states.get(entry.entity_id)
        assert state is not None, entry.entity_id
        assert state == snapshot(name=f"{entry.entity_id}-state")


async def test_devices(
    hass: HomeAssistant,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """One device per charge point, the grid connection and the account."""
    devices = sorted(
        dr.async_entries_for_config_entry(device_registry, loaded_entry.entry_id),
        key=lambda device: sorted(device.identifiers),
    )
    assert devices == snapshot

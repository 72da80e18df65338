"""Every entity and device of a loaded entry, against snapshots.

The simulator's seed fixes names, ids and values, and its clock only moves by `sim.advance()`,
so the snapshots are the same on every run. The default account has a one-socket charge point
with a running session and a two-socket one (per-socket entities), a grid and the account.

Registry entries are serialised here, not by Home Assistant's snapshot extension, so that one
snapshot holds on every Home Assistant version the suite runs on (2025.4 and 2026.2 add, drop
and deprecate registry fields): every field that exists and means the same in all of them is
pinned, and random ids are replaced by what they point at (the device's identifiers).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN, SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.entity_component import DATA_INSTANCES, EntityComponent
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from simulator import Simulator

from .conftest import ENTRY_ID

# Entity registry fields pinned as they are (ids and timestamps are left out or resolved).
ENTITY_FIELDS = (
    "entity_id",
    "unique_id",
    "platform",
    "domain",
    "config_entry_id",
    "config_subentry_id",
    "translation_key",
    "has_entity_name",
    "name",
    "original_name",
    "device_class",
    "original_device_class",
    "icon",
    "original_icon",
    "entity_category",
    "disabled_by",
    "hidden_by",
    "unit_of_measurement",
    "capabilities",
    "supported_features",
    "options",
    "aliases",
    "labels",
    "area_id",
    "previous_unique_id",
)
# Device registry fields pinned as they are. Not here: config_entries, primary_config_entry
# and suggested_area (deprecated in later versions; the devices come from the entry's own
# listing instead), is_new (gone in 2026.2).
DEVICE_FIELDS = (
    "name",
    "name_by_user",
    "manufacturer",
    "model",
    "model_id",
    "serial_number",
    "hw_version",
    "sw_version",
    "entry_type",
    "configuration_url",
    "disabled_by",
    "area_id",
    "labels",
)


def _identifiers(device: dr.DeviceEntry | None) -> list[tuple[str, str]] | None:
    return None if device is None else sorted(device.identifiers)


def _options(hass: HomeAssistant, entry: er.RegistryEntry) -> dict[str, dict[str, Any]]:
    """The entry's options, less a display precision Home Assistant chose, not the entity.

    From 2025.6 on, Home Assistant stores a default display precision for a sensor of a
    device class when the sensor suggests none; 2025.4 stores nothing. A precision the sensor
    itself suggests is stored by both, and stays pinned.
    """
    options = {domain: dict(values) for domain, values in entry.options.items()}
    if entry.domain == SENSOR_DOMAIN and (sensor := options.get(SENSOR_DOMAIN)):
        component: EntityComponent[SensorEntity] = hass.data[DATA_INSTANCES][SENSOR_DOMAIN]
        entity = component.get_entity(entry.entity_id)
        if entity is not None and entity.suggested_display_precision is None:
            sensor.pop("suggested_display_precision", None)
            if not sensor:
                del options[SENSOR_DOMAIN]
    return options


def entity_snapshot(hass: HomeAssistant, entry: er.RegistryEntry) -> dict[str, Any]:
    """An entity registry entry as the fields all supported versions share."""
    devices = dr.async_get(hass)
    data: dict[str, Any] = {name: getattr(entry, name) for name in ENTITY_FIELDS}
    data["options"] = _options(hass, entry)
    data["device"] = _identifiers(devices.async_get(entry.device_id)) if entry.device_id else None
    return data


def device_snapshot(hass: HomeAssistant, device: dr.DeviceEntry) -> dict[str, Any]:
    """A device registry entry as the fields all supported versions share."""
    devices = dr.async_get(hass)
    data: dict[str, Any] = {name: getattr(device, name) for name in DEVICE_FIELDS}
    data["identifiers"] = _identifiers(device)
    data["connections"] = sorted(device.connections)
    data["via_device"] = (
        _identifiers(devices.async_get(device.via_device_id)) if device.via_device_id else None
    )
    return data


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
        assert entity_snapshot(hass, entry) == snapshot(name=f"{entry.entity_id}-entry")

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
    """One device per charge point, the grid connection and the account; nothing else."""
    assert loaded_entry.entry_id == ENTRY_ID
    devices = sorted(
        dr.async_entries_for_config_entry(device_registry, loaded_entry.entry_id),
        key=lambda device: sorted(device.identifiers),
    )
    assert [device_snapshot(hass, device) for device in devices] == snapshot

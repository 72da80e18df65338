"""Which loaded entry and charge point an action's device stands for, or why none."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN
from .data import BlueCurrentConfigEntry
from .devices import device_identifier
from .errors import invalid


def resolve_charge_point(hass: HomeAssistant, device_id: str) -> tuple[BlueCurrentConfigEntry, str]:
    """Find the loaded entry and evse id behind a device, or say why not."""
    registry = dr.async_get(hass)
    device = registry.async_get(device_id)
    if device is None:
        raise invalid("unknown_device", device=device_id)
    if device.disabled:
        raise invalid("device_disabled", device=device.name or device_id)
    evse_id = device_identifier(device)
    # Not device.config_entries: deprecated in 2026.8, when a device gets one config entry.
    for entry in hass.config_entries.async_entries(DOMAIN):
        if device_id not in {
            d.id for d in dr.async_entries_for_config_entry(registry, entry.entry_id)
        }:
            continue
        if entry.state is not ConfigEntryState.LOADED:
            raise invalid("entry_not_loaded", device=device.name or device_id)
        typed: BlueCurrentConfigEntry = entry
        if evse_id in typed.runtime_data.coordinator.data.charge_points:
            return typed, evse_id
    raise invalid("not_a_charge_point", device=device.name or device_id)

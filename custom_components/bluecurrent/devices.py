"""Devices of charge points and grids that left the account: removed late, never on one answer.

A device carries what the user made of it (names, areas, dashboard cards), so a charge point the
cloud leaves out of one answer keeps it. Only one absent from every successful read for
``stale_after`` goes; the user may also delete such a device by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr

from .const import DOMAIN, GRID_PREFIX, LOGGER
from .data import BlueCurrentConfigEntry, BlueCurrentData
from .scopes import ChargePointScope, GridScope


def device_identifier(device: dr.DeviceEntry) -> str | None:
    """Return the evse id or grid identifier this integration gave a device, if any."""
    return next((i for d, i in device.identifiers if d == DOMAIN), None)


def is_grid(identifier: str, data: BlueCurrentData) -> bool:
    """Whether a device identifier names a grid connection."""
    return identifier in data.grids or identifier.startswith(GRID_PREFIX)


@callback
def async_track_absent(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    data: BlueCurrentData,
    now: datetime,
    stale_after: timedelta,
    *,
    points_read: set[str] | None,
    grids_read: set[str] | None,
) -> bool:
    """Note who is absent from successful reads; remove those absent for too long.

    ``points_read`` and ``grids_read`` are the charge point and grid lists just read (None when
    they were not). Returns whether any absence began, ended or was acted on.
    """
    registry = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
    present = set(grids_read or ()) | set(points_read or ())
    before = dict(data.missing_since)
    removed: set[str] = set()
    for device in devices:
        identifier = device_identifier(device)
        if identifier is None or identifier == entry.entry_id:
            continue
        grid = is_grid(identifier, data)
        judged = (grids_read if grid else points_read) is not None
        if not judged:
            continue
        if identifier in present:
            data.missing_since.pop(identifier, None)
            continue
        since = data.missing_since.setdefault(identifier, now)
        if now - since < stale_after:
            continue
        LOGGER.info("%s left the account a while ago; removing its device", identifier)
        _async_drop(registry, device, entry)
        removed.add(identifier)
    for identifier in removed:
        forget(data, identifier)
    return data.missing_since != before or bool(removed)


def _async_drop(
    registry: dr.DeviceRegistry, device: dr.DeviceEntry, entry: BlueCurrentConfigEntry
) -> None:
    """Take a device away from this entry.

    From Home Assistant 2026.8 a device belongs to one config entry and is removed (detaching is
    deprecated there). Before, another account that sees the same charge point may share the
    device, so only this entry lets go of it.
    """
    if hasattr(registry, "async_get_device_by_identifier"):  # 2026.8: one entry per device
        registry.async_remove_device(device.id)
    else:
        registry.async_update_device(device.id, remove_config_entry_id=entry.entry_id)


def _own_devices(
    registry: dr.DeviceRegistry, entry: BlueCurrentConfigEntry
) -> dict[str, dr.DeviceEntry]:
    """Index the entry's devices by identifier (async_get_device is deprecated in 2026.8)."""
    devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
    return {identifier: d for d in devices if (identifier := device_identifier(d)) is not None}


@callback
def async_link_grids(
    hass: HomeAssistant, entry: BlueCurrentConfigEntry, data: BlueCurrentData
) -> None:
    """Register the grids' and charge points' devices, each charge point linked to its grid.

    The link is made here, by device id, rather than with ``DeviceInfo["via_device"]``: that key
    names a device by identifiers, which are unique per config entry only from Home Assistant
    2026.8 on, where it is deprecated. Registering the devices before any platform adds an
    entity also means an entity never names a device that does not exist yet.
    """
    registry = dr.async_get(hass)
    devices = _own_devices(registry, entry)
    numbered = len(data.grids) > 1
    for grid_id in data.grids.keys() - devices.keys():
        info = GridScope(grid_id, numbered).device_info(data)
        devices[grid_id] = registry.async_get_or_create(config_entry_id=entry.entry_id, **info)
    for evse_id in data.charge_points.keys() - devices.keys():
        info = ChargePointScope(evse_id).device_info(data)
        devices[evse_id] = registry.async_get_or_create(config_entry_id=entry.entry_id, **info)
    for evse_id, point in data.charge_points.items():
        device = devices.get(evse_id)
        grid = devices.get(point.grid_id) if point.grid_id is not None else None
        if device is not None and grid is not None and device.via_device_id != grid.id:
            registry.async_update_device(device.id, via_device_id=grid.id)


def is_current(entry: BlueCurrentConfigEntry, device: dr.DeviceEntry) -> bool:
    """Tell whether the account still has a device's charge point or grid.

    The user may delete only the others: those the cloud left out of its latest answers.
    """
    data = entry.runtime_data.coordinator.data
    identifier = device_identifier(device)
    if identifier is None or identifier in data.missing_since:
        return False
    return (
        identifier == entry.entry_id or identifier in data.charge_points or identifier in data.grids
    )


def forget(data: BlueCurrentData, identifier: str) -> None:
    """Drop what is known of a charge point or grid whose device goes."""
    data.missing_since.pop(identifier, None)
    data.charge_points.pop(identifier, None)
    data.grids.pop(identifier, None)

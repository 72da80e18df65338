"""Diagnostics with every personal field redacted."""

from __future__ import annotations

from dataclasses import asdict
from datetime import time
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .api import SENSITIVE_KEYS
from .const import CONF_CLOUD_URL
from .data import BlueCurrentConfigEntry, ChargePointData
from .devices import device_identifier

# What the client's logs mask (personal or secret), and what the entry adds: its title and
# unique id are the account's e-mail address, its cloud address may be a private one.
TO_REDACT = SENSITIVE_KEYS | {CONF_CLOUD_URL, "title", "unique_id"}


def _plain(value: Any) -> Any:
    """Write times of day as "HH:MM": the diagnostics' JSON has no type for them."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _point(point: ChargePointData) -> dict[str, Any]:
    return {
        "info": _plain(asdict(point.info)),
        "grid": point.grid_id,
        "sockets": {
            str(socket_id): {
                "status": asdict(socket.status) if socket.status else None,
                "session": asdict(socket.session) if socket.session else None,
            }
            for socket_id, socket in point.sockets.items()
        },
        "ledger": point.ledger.as_dict() if point.ledger else None,
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BlueCurrentConfigEntry
) -> dict[str, Any]:
    """Everything the integration knows of the account, without personal data."""
    coordinator = entry.runtime_data.coordinator
    data = coordinator.data
    return async_redact_data(
        {
            "entry": entry.as_dict(),
            "connected": coordinator.connected,
            "last_update_success": coordinator.last_update_success,
            "failed_reads": sorted(data.failed),
            "request_limit_until": coordinator.limit.until,
            "missing_since": data.missing_since,
            "cards": [asdict(card) for card in data.cards],
            "grids": {grid_id: asdict(grid) for grid_id, grid in data.grids.items()},
            "sustainability": asdict(data.sustainability) if data.sustainability else None,
            "current_overrides": [_plain(asdict(schedule)) for schedule in data.overrides],
            "charge_points": [_point(point) for point in data.charge_points.values()],
        },
        TO_REDACT,
    )


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: BlueCurrentConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return what is known of one charge point, without personal data."""
    data = entry.runtime_data.coordinator.data
    if (identifier := device_identifier(device)) and (point := data.charge_points.get(identifier)):
        return async_redact_data(_point(point), TO_REDACT)
    return {}

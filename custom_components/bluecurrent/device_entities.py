"""A charge point device's entities, found by what they are (translation key), not by entity id.

Device triggers and conditions are stored with the device only: users rename entities, and
the entity behind "charging started" is looked up anew each time the automation loads.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .const import DOMAIN

# (platform, translation keys): the charge point's own entity; where a charge point with several
# sockets has none of its own (a session is a socket's), the sockets' entities.
type Kind = tuple[str, tuple[str, ...]]
CHARGING: Kind = ("binary_sensor", ("charging",))
VEHICLE_CONNECTED: Kind = ("binary_sensor", ("vehicle_connected",))
ACTIVITY: Kind = ("sensor", ("activity",))
SESSION_END: Kind = ("sensor", ("session_end", "socket_session_end"))


def find_entities(hass: HomeAssistant, device_id: str, kind: Kind) -> list[str]:
    """Return the enabled entities of a device that show this kind of thing."""
    platform, keys = kind
    return [
        entry.entity_id
        for entry in er.async_entries_for_device(er.async_get(hass), device_id)
        if entry.platform == DOMAIN
        and entry.domain == platform
        and entry.translation_key in keys
        and entry.disabled_by is None
    ]

"""Timings of the integration, injected per Home Assistant instance rather than kept as globals.

Production uses the defaults; a test or the demo puts other ``Settings`` into ``hass.data``
before an entry is set up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from homeassistant.core import HomeAssistant
from homeassistant.util.hass_dict import HassKey

from .api import ClientSettings
from .const import DOMAIN


@dataclass(frozen=True, kw_only=True, slots=True)
class Settings:
    """How often the integration reads what the cloud does not push, and how it waits."""

    # The cloud pushes status, settings and grid currents; the poll only catches the rest, so it
    # can be slow and keep the daily request budget intact.
    poll_interval: timedelta = timedelta(minutes=10)
    # Completed transactions and the grid list: at start-up, after a session ends, and this often.
    slow_interval: timedelta = timedelta(hours=6)
    # A transaction may be listed after newer ones (a charger that was offline); each read looks
    # back this far behind the newest transaction already counted.
    late_window: timedelta = timedelta(days=3)
    # A charge point or grid the cloud leaves out of its answers is removed only after this long.
    stale_after: timedelta = timedelta(hours=24)
    # A push for an unknown charge point asks for a refresh at most this often per charge point.
    unknown_refresh: timedelta = timedelta(minutes=10)
    # The client's timings (backoff, timeouts, pings); its addresses come from the entry.
    client: ClientSettings = field(default_factory=ClientSettings)


DATA_SETTINGS: HassKey[Settings] = HassKey(f"{DOMAIN}_settings")
DEFAULT_SETTINGS = Settings()


def get_settings(hass: HomeAssistant) -> Settings:
    """Return the settings in force for this Home Assistant instance."""
    return hass.data.get(DATA_SETTINGS, DEFAULT_SETTINGS)

"""What an entry keeps across restarts: lifetime totals, absences and the request limit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .ledger import Ledger

STORAGE_VERSION = 1
# Minor 2: totals keep the ids of recent transactions; absences and the request limit are kept.
STORAGE_MINOR_VERSION = 2


@dataclass(slots=True)
class Stored:
    """The entry's persistent state."""

    ledgers: dict[str, Ledger] = field(default_factory=dict)
    missing_since: dict[str, datetime] = field(default_factory=dict)
    limited_until: datetime | None = None


def _time(raw: object) -> datetime | None:
    return dt_util.parse_datetime(raw) if isinstance(raw, str) else None


class EntryStore:
    """Loads once, saves with a short delay, flushes at unload, and is deleted with the entry."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Prepare the store of one entry; nothing is read yet."""
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, storage_key(entry_id), minor_version=STORAGE_MINOR_VERSION
        )
        self._snapshot: Callable[[], Stored] | None = None
        self._pending = False

    async def async_load(self) -> Stored:
        """Read what was stored; damaged parts are dropped with a warning, not raised."""
        raw = await self._store.async_load() or {}
        stored = Stored(limited_until=_time(raw.get("limited_until")))
        for evse_id, data in raw.get("ledgers", {}).items():
            try:
                stored.ledgers[evse_id] = Ledger.from_dict(data)
            except (KeyError, TypeError, ValueError, AttributeError):
                LOGGER.warning("Stored totals of %s are damaged; counting again", evse_id)
        for key, value in raw.get("missing_since", {}).items():
            if (when := _time(value)) is not None:
                stored.missing_since[key] = when
        return stored

    @callback
    def async_schedule_save(self, snapshot: Callable[[], Stored]) -> None:
        """Save soon; ``snapshot`` is called when the save happens."""
        self._snapshot = snapshot
        self._pending = True
        self._store.async_delay_save(self._data, 1)

    async def async_flush(self) -> None:
        """Write a pending save now (a reload reads the store at once)."""
        if self._pending:
            await self._store.async_save(self._data())

    async def async_remove(self) -> None:
        """Delete the file, when the entry is deleted."""
        await self._store.async_remove()

    def _data(self) -> dict[str, Any]:
        self._pending = False
        assert self._snapshot is not None
        stored = self._snapshot()
        return {
            "ledgers": {evse_id: ledger.as_dict() for evse_id, ledger in stored.ledgers.items()},
            "missing_since": {key: when.isoformat() for key, when in stored.missing_since.items()},
            "limited_until": stored.limited_until.isoformat() if stored.limited_until else None,
        }


def storage_key(entry_id: str) -> str:
    """Name the file under .storage of an entry's state."""
    return f"{DOMAIN}.{entry_id}.ledger"

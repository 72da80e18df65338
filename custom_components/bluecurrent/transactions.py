"""When completed transactions are read: at start-up, after a session ends, now and then.

Reads run in the background, one stream for every charge point that is due, so a long history
or a failed read never holds up the poll or makes an entity unavailable.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.debounce import Debouncer

from .api import BlueCurrentClient, BlueCurrentError, Transaction
from .const import LOGGER
from .data import BlueCurrentConfigEntry, BlueCurrentData
from .ledger import read_transactions
from .sessions import settle
from .settings import Settings

type NewTransactionsListener = Callable[[dict[str, list[Transaction]]], None]


class TransactionSync:
    """Keeps every charge point's ledger up to date with the cloud's transactions."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry: BlueCurrentConfigEntry,
        client: BlueCurrentClient,
        settings: Settings,
        data: BlueCurrentData,
        on_change: Callable[[set[str]], None],
        on_error: Callable[[BlueCurrentError], None],
    ) -> None:
        """``on_change`` gets the charge points whose totals changed; ``on_error`` any failure."""
        self._hass = hass
        self._entry = entry
        self._client = client
        self._settings = settings
        self._data = data
        self._on_change = on_change
        self._on_error = on_error
        self._due: set[str] = set()
        self._last_all: datetime | None = None
        self._lock = asyncio.Lock()
        # Held until setup has added the entities: the first read of a large account is long,
        # and the entities (with their pushed states) matter more to a starting Home Assistant.
        self._held = True
        self._listeners: list[NewTransactionsListener] = []
        # A session that just ended is listed a few seconds later; wait, and read once for all.
        self._debouncer: Debouncer[Coroutine[Any, Any, None]] = Debouncer(
            hass, LOGGER, cooldown=5, immediate=False, function=self.async_read, background=True
        )

    @callback
    def async_add_listener(self, listener: NewTransactionsListener) -> Callable[[], None]:
        """Hear of every transaction counted from now on (late ones included)."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def async_due(self, evse_ids: set[str] | list[str]) -> None:
        """Read these charge points' transactions with the next read."""
        self._due.update(evse_ids)

    @callback
    def async_session_ended(self, evse_id: str) -> None:
        """Read the transaction of a session that just ended, shortly."""
        self._due.add(evse_id)
        self._debouncer.async_schedule_call()

    @callback
    def async_start(self, now: datetime) -> None:
        """Read in the background what is due, and everything once per slow interval."""
        if self._last_all is None or now - self._last_all >= self._settings.slow_interval:
            self._due.update(self._data.charge_points)
            self._last_all = now
        self._read_in_background()

    @callback
    def async_release(self) -> None:
        """Start the read held back during setup, now that the entities exist."""
        self._held = False
        self._read_in_background()

    @callback
    def _read_in_background(self) -> None:
        if self._due and not self._held:
            self._entry.async_create_background_task(
                self._hass, self.async_read(), "bluecurrent transactions"
            )

    @callback
    def async_shutdown(self) -> None:
        """Cancel a scheduled read."""
        self._debouncer.async_shutdown()

    async def async_read(self) -> None:
        """Count the new transactions of every due charge point, in one stream."""
        async with self._lock:
            points = self._data.charge_points
            due = self._due & points.keys()
            if not due:
                return
            self._due -= due
            try:
                ledgers, added = await read_transactions(
                    self._client,
                    {evse_id: points[evse_id].ledger for evse_id in due},
                    self._settings.late_window,
                )
            except BlueCurrentError as err:
                LOGGER.debug("Reading transactions failed (%s); retrying later", type(err).__name__)
                self._due |= due
                self._on_error(err)
                return
            changed = set()
            for evse_id, ledger in ledgers.items():
                if (point := points.get(evse_id)) is None:
                    continue
                if point.ledger is None or evse_id in added:
                    changed.add(evse_id)
                point.ledger = ledger
                for socket_id, socket in point.sockets.items():
                    if socket.session is not None:
                        socket.session = settle(socket.session, ledger.latest.get(socket_id))
        if added:
            for listener in list(self._listeners):
                listener(added)
        self._on_change(changed)

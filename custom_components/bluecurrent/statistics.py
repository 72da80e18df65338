"""The whole charging history in long-term statistics, for the Energy dashboard.

Per charge point (per socket where it has several) two external statistics with hourly rows,
``bluecurrent:energy_<evse>`` in kWh and ``bluecurrent:cost_<evse>`` in the transactions'
currency (statistics_rows.py: ids, and how a session is spread over its hours). They are fed by
what the ledger counts (transactions.py): the whole history at the first setup, then each new or
late session, merged into the stored rows from its first hour on so the sums after it are right.

When a charge point's statistics are missing or end before its newest counted session (deleted
in Developer tools, an upgrade from a version without them, an import cut short), its history is
read once more from the cloud, one stream, and its statistics are written anew; so is it when a
socket that never had a session gets its first. All of it runs in the background, one job at a
time; the recorder's executor and thread do the database work.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util

from .api import BlueCurrentError, Transaction
from .const import LOGGER
from .data import BlueCurrentConfigEntry, ChargePointData
from .ledger import NewTransactions, read_transactions, transaction_key
from .statistics_recorder import (
    appended,
    async_clear,
    async_ready,
    async_write,
    async_written,
    cost_metadata,
    covers,
    energy_metadata,
    fresh_data,
)
from .statistics_rows import Series, group, series_of, spread

if TYPE_CHECKING:
    from .coordinator import BlueCurrentCoordinator


@callback
def async_setup_statistics(
    hass: HomeAssistant, entry: BlueCurrentConfigEntry, coordinator: BlueCurrentCoordinator
) -> None:
    """Keep the entry's history statistics, if the recorder runs."""
    if "recorder" in hass.config.components:
        HistoryStatistics(hass, entry, coordinator).async_start()


@dataclass(slots=True)
class _Batch:
    """Sessions the ledger just counted for one charge point."""

    evse_id: str
    transactions: list[Transaction]
    # Every session the charge point has: its statistics are written anew, not added to.
    whole: bool


class HistoryStatistics:
    """Writes the counted sessions of an entry's charge points into the recorder."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: BlueCurrentConfigEntry,
        coordinator: BlueCurrentCoordinator,
    ) -> None:
        """Nothing is read or written until the ledger counts sessions or the poll lists points."""
        self._hass = hass
        self._entry = entry
        self._coordinator = coordinator
        self._lock = asyncio.Lock()
        # Charge points whose statistics were found complete (or are being checked).
        self._checked: set[str] = set()
        self._retry_at: dict[str, datetime] = {}
        # Batches counted but not written yet, per charge point: a check waits for them.
        self._pending: dict[str, int] = {}
        # Recent sessions a read from the cloud already wrote; the ledger may report them later.
        self._rebuilt: dict[str, set[str]] = {}

    @callback
    def async_start(self) -> None:
        """Hear of counted sessions, and check each charge point's statistics after a poll."""
        coordinator = self._coordinator
        self._entry.async_on_unload(coordinator.transactions.async_add_listener(self._counted))
        self._entry.async_on_unload(coordinator.async_add_listener(self._check_points))

    # Triggers --------------------------------------------------------------

    @callback
    def _counted(self, added: NewTransactions) -> None:
        """Queue what the ledger counted; it is the whole history if the ledger has no more."""
        points = self._coordinator.data.charge_points
        batches = []
        for evse_id, transactions in added.items():
            point = points.get(evse_id)
            ledger = point.ledger if point is not None else None
            whole = ledger is not None and ledger.count == len(transactions)
            batches.append(_Batch(evse_id, transactions, whole))
            self._pending[evse_id] = self._pending.get(evse_id, 0) + 1
        self._entry.async_create_background_task(
            self._hass, self._async_add(batches), "bluecurrent statistics"
        )

    @callback
    def _check_points(self) -> None:
        """Check, once per run, the statistics of each charge point with counted sessions."""
        now = dt_util.utcnow()
        due = []
        for evse_id, point in self._coordinator.data.charge_points.items():
            ledger = point.ledger
            if evse_id in self._checked or ledger is None or not ledger.count:
                continue
            if self._pending.get(evse_id) or now < self._retry_at.get(evse_id, now):
                continue
            due.append(evse_id)
        if due:
            self._checked.update(due)
            self._entry.async_create_background_task(
                self._hass, self._async_check(due), "bluecurrent statistics check"
            )

    # Jobs, one at a time ------------------------------------------------------

    async def _async_add(self, batches: list[_Batch]) -> None:
        try:
            async with self._lock:
                if not await async_ready(self._hass):
                    return
                again = []
                for batch in batches:
                    if batch.whole:
                        await self._async_rebuild(batch.evse_id, batch.transactions)
                    elif not await self._async_append(batch):
                        again.append(batch.evse_id)
                if again:
                    # Statistics gone: what was just counted is in the full read too.
                    await self._async_rebuild_from_cloud(again)
        finally:
            for batch in batches:
                self._pending[batch.evse_id] -= 1

    async def _async_check(self, evse_ids: list[str]) -> None:
        async with self._lock:
            if not await async_ready(self._hass):
                return
            incomplete = []
            points = self._coordinator.data.charge_points
            for evse_id in evse_ids:
                point = points.get(evse_id)
                if point is None or point.ledger is None or self._pending.get(evse_id):
                    # Gone, or counted sessions are not written yet: check after them.
                    self._checked.discard(evse_id)
                    continue
                if not await get_instance(self._hass).async_add_executor_job(
                    covers, self._hass, _newest_ends(evse_id, point)
                ):
                    incomplete.append(evse_id)
            if incomplete:
                LOGGER.info(
                    "Long-term statistics of %s are missing or incomplete; reading their history",
                    ", ".join(incomplete),
                )
                await self._async_rebuild_from_cloud(incomplete)

    # Writing ----------------------------------------------------------------

    def _device(self, evse_id: str) -> tuple[ChargePointData | None, str]:
        point = self._coordinator.data.charge_points.get(evse_id)
        return point, (point.info.name if point is not None and point.info.name else evse_id)

    async def _async_append(self, batch: _Batch) -> bool:
        """Add new sessions to the stored rows; False when a statistic has no rows to add to."""
        point, device = self._device(batch.evse_id)
        written = self._rebuilt.get(batch.evse_id, set())
        fresh = [t for t in batch.transactions if transaction_key(t) not in written]
        writes = []
        groups = group(batch.evse_id, point is not None and point.multi_socket, fresh)
        for series, transactions in groups.items():
            currency = _currency(point, transactions)
            energy, cost = spread(transactions)
            for metadata, added in (
                (energy_metadata(series, device), energy),
                (cost_metadata(series, device, currency), cost),
            ):
                data = await get_instance(self._hass).async_add_executor_job(
                    appended, self._hass, metadata["statistic_id"], added
                )
                if data is None:
                    return False
                writes.append((metadata, data))
        # Queued together after every read, so a cancelled job writes nothing or everything.
        for metadata, data in writes:
            async_write(self._hass, metadata, data)
        await async_written(self._hass)
        return True

    async def _async_rebuild(self, evse_id: str, transactions: list[Transaction]) -> None:
        """Write a charge point's statistics anew from its whole history."""
        point, device = self._device(evse_id)
        groups = group(evse_id, point is not None and point.multi_socket, transactions)
        prepared = await self._hass.async_add_executor_job(fresh_data, groups)
        ids = [i for series in prepared for i in (series.energy_id, series.cost_id)]
        LOGGER.debug("Writing %s sessions of %s into %s", len(transactions), evse_id, ids)
        async_clear(self._hass, ids)
        for series, (energy, cost) in prepared.items():
            currency = _currency(point, groups[series])
            async_write(self._hass, energy_metadata(series, device), energy)
            async_write(self._hass, cost_metadata(series, device, currency), cost)
        await async_written(self._hass)
        self._checked.add(evse_id)

    async def _async_rebuild_from_cloud(self, evse_ids: list[str]) -> None:
        """Read these charge points' whole history from the cloud and write it anew."""
        coordinator = self._coordinator
        if not coordinator.connected or coordinator.limit.active:
            self._checked.difference_update(evse_ids)  # after the next poll
            return
        try:
            # The ledger's whole-history read: settled sessions only, each once.
            _, history = await read_transactions(
                coordinator.client, dict.fromkeys(evse_ids), coordinator.settings.late_window
            )
        except BlueCurrentError as err:
            LOGGER.debug("Reading the history failed (%s); retrying later", type(err).__name__)
            coordinator.async_note_error(err)
            retry_at = dt_util.utcnow() + coordinator.settings.slow_interval
            for evse_id in evse_ids:
                self._checked.discard(evse_id)
                self._retry_at[evse_id] = retry_at
            return
        points = coordinator.data.charge_points
        for evse_id in evse_ids:
            transactions = history.get(evse_id, [])
            point = points.get(evse_id)
            ledger = point.ledger if point is not None else None
            newest = ledger.newest_end if ledger is not None else None
            # The ledger reports nothing that ended before its look-back from now on.
            horizon = newest - coordinator.settings.late_window if newest is not None else None
            self._rebuilt[evse_id] = {
                transaction_key(t)
                for t in transactions
                if horizon is None or (t.end_time is not None and t.end_time >= horizon)
            }
            await self._async_rebuild(evse_id, transactions)


def _newest_ends(evse_id: str, point: ChargePointData) -> dict[str, float]:
    """Give, by statistic id, the end of the newest counted session it must reach."""
    assert point.ledger is not None
    ledger = point.ledger
    ends: dict[Series, float] = {}
    for socket_id, latest in ledger.latest.items():
        if latest.end_time is not None:
            ends[series_of(evse_id, point.multi_socket, socket_id)] = latest.end_time.timestamp()
    if not ends:  # totals stored before the newest session per socket was kept
        newest = ledger.newest_end.timestamp() if ledger.newest_end is not None else 0.0
        ends[series_of(evse_id, point.multi_socket, None)] = newest
    return {i: end for series, end in ends.items() for i in (series.energy_id, series.cost_id)}


def _currency(point: ChargePointData | None, transactions: list[Transaction]) -> str | None:
    """Pick the tariff's currency, else the sessions'."""
    tariff = point.currency if point is not None else None
    return tariff or next((t.currency for t in transactions if t.currency), None)

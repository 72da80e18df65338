"""Lifetime totals of each charge point, from the cloud's completed transactions.

The totals are kept across restarts, so only what is new is read: one stream of transactions
for all charge points, newest first, read until the point up to which it was read last time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.util import dt as dt_util

from .api import BlueCurrentClient, Transaction

# The stored part of the newest transaction (no card or personal data).
_LATEST_FIELDS = ("transaction_id", "socket_id", "kwh", "total_costs", "currency")


@dataclass(slots=True)
class Ledger:
    """Totals of one charge point's completed transactions."""

    energy: float = 0.0
    cost: float = 0.0
    count: int = 0
    currency: str | None = None
    # Every transaction that ended before this moment is counted; of those that ended at
    # exactly this moment, the ones in boundary_ids are.
    synced_until: datetime | None = None
    boundary_ids: set[int] = field(default_factory=set)
    # Start of the newest counted session per socket: a running session that started later is
    # not in the totals yet.
    last_start: dict[int, datetime] = field(default_factory=dict)
    latest: Transaction | None = None

    def counted(self, transaction: Transaction) -> bool:
        """Tell whether a transaction (one with an end time) is already in the totals."""
        end, synced = transaction.end_time, self.synced_until
        if end is None or synced is None:
            return False
        return end < synced or (end == synced and transaction.transaction_id in self.boundary_ids)

    def add(self, transaction: Transaction) -> None:
        """Count a completed transaction."""
        self.energy += transaction.kwh or 0.0
        self.cost += transaction.total_costs or 0.0
        self.count += 1
        self.currency = transaction.currency or self.currency
        socket = transaction.socket_id or 1
        started = transaction.started_at
        if started is not None and (
            socket not in self.last_start or started > self.last_start[socket]
        ):
            self.last_start[socket] = started
        if self.latest is None or _ends_later(transaction, self.latest):
            self.latest = transaction

    def synced(self, until: datetime, ids_at_until: Iterable[int]) -> None:
        """Record that every transaction up to ``until`` was read."""
        if self.synced_until is None or until > self.synced_until:
            self.synced_until, self.boundary_ids = until, set(ids_at_until)
        elif until == self.synced_until:
            self.boundary_ids.update(ids_at_until)

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the store."""
        latest = self.latest
        return {
            "energy": self.energy,
            "cost": self.cost,
            "count": self.count,
            "currency": self.currency,
            "synced_until": self.synced_until.isoformat() if self.synced_until else None,
            "boundary_ids": sorted(self.boundary_ids),
            "last_start": {str(k): v.isoformat() for k, v in self.last_start.items()},
            "latest": (
                {
                    **{key: getattr(latest, key) for key in _LATEST_FIELDS},
                    "end_time": latest.end_time.isoformat() if latest.end_time else None,
                }
                if latest is not None
                else None
            ),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ledger:
        """Restore from the store; raises KeyError, TypeError or ValueError when damaged."""
        synced = data.get("synced_until")
        latest = data.get("latest")
        return cls(
            energy=float(data["energy"]),
            cost=float(data["cost"]),
            count=int(data["count"]),
            currency=data.get("currency"),
            synced_until=_datetime(synced) if synced else None,
            boundary_ids={int(i) for i in data.get("boundary_ids", [])},
            last_start={int(k): _datetime(v) for k, v in data.get("last_start", {}).items()},
            latest=(
                Transaction(
                    **{key: latest.get(key) for key in _LATEST_FIELDS},
                    end_time=_datetime(latest["end_time"]) if latest.get("end_time") else None,
                )
                if latest
                else None
            ),
        )


def _datetime(raw: Any) -> datetime:
    if not isinstance(raw, str) or (value := dt_util.parse_datetime(raw)) is None:
        raise ValueError(f"not a timestamp: {raw!r}")
    return value


def _ends_later(a: Transaction, b: Transaction) -> bool:
    if a.end_time is None or b.end_time is None:
        return b.end_time is None
    return a.end_time >= b.end_time


async def read_transactions(
    client: BlueCurrentClient, ledgers: Mapping[str, Ledger | None]
) -> dict[str, Ledger]:
    """Count what is new for these charge points; return their updated ledgers.

    Charge points without a ledger get their whole history; the others are read together,
    newest first, until the moment all of them were read up to.
    """
    result = {evse_id: ledger for evse_id, ledger in ledgers.items() if ledger is not None}
    fresh = [evse_id for evse_id, ledger in ledgers.items() if ledger is None]
    if fresh:
        result |= await _read(client, {evse_id: Ledger() for evse_id in fresh}, since=None)
    known = {e: ledger for e, ledger in result.items() if e not in fresh}
    if known:
        syncs = [ledger.synced_until for ledger in known.values()]
        since = None if None in syncs else min(s for s in syncs if s is not None)
        result |= await _read(client, known, since=since)
    return result


async def _read(
    client: BlueCurrentClient, ledgers: dict[str, Ledger], since: datetime | None
) -> dict[str, Ledger]:
    """Read one stream for these charge points; stop at ``since`` (None: the whole history)."""
    new: dict[str, list[Transaction]] = {evse_id: [] for evse_id in ledgers}
    head: datetime | None = None
    async with aclosing(client.iterate_transactions(list(ledgers))) as items:
        async for transaction in items:
            end = transaction.end_time
            if end is None:
                continue  # not settled: it cannot be placed in the order, so it is not counted
            if since is not None and end < since:
                break
            if head is None or end > head:
                head = end
            evse_id = transaction.chargepoint_id or ""
            ledger = ledgers.get(evse_id)
            if ledger is not None and not ledger.counted(transaction):
                new[evse_id].append(transaction)
    for evse_id, transactions in new.items():
        ledger = ledgers[evse_id]
        for transaction in reversed(transactions):
            ledger.add(transaction)
        if head is not None:
            at_head = [t.transaction_id for t in transactions if t.end_time == head]
            ledger.synced(head, [i for i in at_head if i is not None])
    return ledgers

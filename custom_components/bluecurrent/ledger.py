"""Lifetime totals of each charge point, from the cloud's completed transactions.

The totals are kept across restarts, so only what is new is read: one stream of transactions for
all charge points, newest first, read until a little before the newest transaction counted so
far. That look-back catches a transaction the cloud lists late (a charger that was offline
uploads its sessions afterwards); the ids counted within it keep every transaction counted once.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homeassistant.util import dt as dt_util

from .api import BlueCurrentClient, Transaction

# The stored part of a socket's newest transaction (no card or personal data).
_LATEST_FIELDS = ("transaction_id", "socket_id", "kwh", "total_costs", "currency")
_LATEST_TIMES = ("started_at", "end_time")


def transaction_key(transaction: Transaction) -> str:
    """Identify a transaction; by the cloud's id, else by where and when it ran."""
    if transaction.transaction_id is not None:
        return str(transaction.transaction_id)
    started = transaction.started_at.isoformat() if transaction.started_at else ""
    return f"{transaction.chargepoint_id}/{transaction.socket_id}/{started}"


@dataclass(slots=True)
class Ledger:
    """Totals of one charge point's completed transactions."""

    energy: float = 0.0
    cost: float = 0.0
    count: int = 0
    currency: str | None = None
    # End of the newest counted transaction; reads look back ``window`` behind it.
    newest_end: datetime | None = None
    # Counted transactions that ended within the look-back, by key, with their end.
    recent: dict[str, datetime] = field(default_factory=dict)
    # Start of the newest counted session per socket: a running session that started later is
    # not in the totals yet.
    last_start: dict[int, datetime] = field(default_factory=dict)
    # The newest counted transaction per socket.
    latest: dict[int, Transaction] = field(default_factory=dict)
    # Totals stored before ids were kept (store version 1) count everything that ended earlier.
    counted_before: datetime | None = None

    def counted(self, transaction: Transaction, window: timedelta) -> bool:
        """Tell whether a transaction is already in the totals.

        Within the look-back its id says so; before it, everything was read already (a stream
        shared with other charge points may reach further back than this one's look-back).
        """
        if transaction_key(transaction) in self.recent:
            return True
        end = transaction.end_time
        if end is None:
            return False
        if self.newest_end is not None and end < self.newest_end - window:
            return True
        return self.counted_before is not None and end < self.counted_before

    def add(self, transaction: Transaction) -> None:
        """Count a completed transaction (one with an end time)."""
        self.energy += transaction.kwh or 0.0
        self.cost += transaction.total_costs or 0.0
        self.count += 1
        self.currency = transaction.currency or self.currency
        end = transaction.end_time
        if end is not None:
            self.recent[transaction_key(transaction)] = end
            if self.newest_end is None or end > self.newest_end:
                self.newest_end = end
        socket = transaction.socket_id or 1
        started = transaction.started_at
        if started is not None and (
            socket not in self.last_start or started > self.last_start[socket]
        ):
            self.last_start[socket] = started
        latest = self.latest.get(socket)
        if latest is None or _ends_later(transaction, latest):
            self.latest[socket] = transaction

    def prune(self, window: timedelta) -> None:
        """Forget the ids no read will meet again (ended before the look-back)."""
        if self.newest_end is None:
            return
        horizon = self.newest_end - window
        self.recent = {key: end for key, end in self.recent.items() if end >= horizon}

    def as_dict(self) -> dict[str, Any]:
        """Serialise for the store."""
        return {
            "energy": self.energy,
            "cost": self.cost,
            "count": self.count,
            "currency": self.currency,
            "newest_end": self.newest_end.isoformat() if self.newest_end else None,
            "recent": {key: end.isoformat() for key, end in self.recent.items()},
            "last_start": {str(k): v.isoformat() for k, v in self.last_start.items()},
            "latest": {str(k): _latest_dict(t) for k, t in self.latest.items()},
            "counted_before": self.counted_before.isoformat() if self.counted_before else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ledger:
        """Restore from the store; raises KeyError, TypeError or ValueError when damaged."""
        if "synced_until" in data:
            return cls._from_v1(data)
        newest = data.get("newest_end")
        before = data.get("counted_before")
        latest = data.get("latest") or {}
        return cls(
            counted_before=_datetime(before) if before else None,
            energy=float(data["energy"]),
            cost=float(data["cost"]),
            count=int(data["count"]),
            currency=data.get("currency"),
            newest_end=_datetime(newest) if newest else None,
            recent={str(k): _datetime(v) for k, v in data.get("recent", {}).items()},
            last_start={int(k): _datetime(v) for k, v in data.get("last_start", {}).items()},
            latest={int(k): _latest_from(v) for k, v in latest.items()},
        )

    @classmethod
    def _from_v1(cls, data: Mapping[str, Any]) -> Ledger:
        """Read totals stored by version 0.1: counted up to a moment, with the ids at it."""
        synced = _datetime(data["synced_until"]) if data["synced_until"] else None
        latest = _latest_from(data["latest"]) if data.get("latest") else None
        return cls(
            energy=float(data["energy"]),
            cost=float(data["cost"]),
            count=int(data["count"]),
            currency=data.get("currency"),
            newest_end=synced,
            recent={str(int(i)): synced for i in data.get("boundary_ids", []) if synced},
            last_start={int(k): _datetime(v) for k, v in data.get("last_start", {}).items()},
            latest={latest.socket_id or 1: latest} if latest else {},
            counted_before=synced,
        )


def _latest_dict(transaction: Transaction) -> dict[str, Any]:
    data = {key: getattr(transaction, key) for key in _LATEST_FIELDS}
    for key in _LATEST_TIMES:
        value: datetime | None = getattr(transaction, key)
        data[key] = value.isoformat() if value else None
    return data


def _latest_from(data: Mapping[str, Any]) -> Transaction:
    def when(key: str) -> datetime | None:
        return _datetime(data[key]) if data.get(key) else None

    return Transaction(
        transaction_id=data.get("transaction_id"),
        socket_id=data.get("socket_id"),
        kwh=data.get("kwh"),
        total_costs=data.get("total_costs"),
        currency=data.get("currency"),
        started_at=when("started_at"),
        end_time=when("end_time"),
    )


def _datetime(raw: Any) -> datetime:
    if not isinstance(raw, str) or (value := dt_util.parse_datetime(raw)) is None:
        raise ValueError("not a timestamp")
    return value


def _ends_later(a: Transaction, b: Transaction) -> bool:
    if a.end_time is None or b.end_time is None:
        return b.end_time is None
    return a.end_time >= b.end_time


type NewTransactions = dict[str, list[Transaction]]


async def read_transactions(
    client: BlueCurrentClient, ledgers: Mapping[str, Ledger | None], window: timedelta
) -> tuple[dict[str, Ledger], NewTransactions]:
    """Count what is new for these charge points; return their ledgers and what was added.

    Charge points without a ledger get their whole history; the others are read together,
    newest first, until ``window`` before the oldest of their newest counted transactions.
    """
    fresh = {evse_id: Ledger() for evse_id, ledger in ledgers.items() if ledger is None}
    known = {evse_id: ledger for evse_id, ledger in ledgers.items() if ledger is not None}
    added: NewTransactions = {}
    if fresh:
        added |= await _read(client, fresh, since=None, window=window)
    if known:
        ends = [ledger.newest_end for ledger in known.values()]
        since = None if None in ends else min(e for e in ends if e is not None) - window
        added |= await _read(client, known, since=since, window=window)
    for ledger in (*fresh.values(), *known.values()):
        ledger.prune(window)
    return fresh | known, added


async def _read(
    client: BlueCurrentClient,
    ledgers: dict[str, Ledger],
    *,
    since: datetime | None,
    window: timedelta,
) -> NewTransactions:
    """Read one stream for these charge points; stop before ``since`` (None: the whole history)."""
    new: NewTransactions = {evse_id: [] for evse_id in ledgers}
    seen: set[str] = set()
    async with aclosing(client.iterate_transactions(list(ledgers))) as items:
        async for transaction in items:
            end = transaction.end_time
            if end is None:
                continue  # not settled: it cannot be placed in the order, so it is not counted
            if since is not None and end < since:
                break
            ledger = ledgers.get(transaction.chargepoint_id or "")
            key = transaction_key(transaction)
            if ledger is None or key in seen or ledger.counted(transaction, window):
                continue
            seen.add(key)
            new[transaction.chargepoint_id or ""].append(transaction)
    for evse_id, transactions in new.items():
        for transaction in reversed(transactions):
            ledgers[evse_id].add(transaction)
    return {evse_id: items for evse_id, items in new.items() if items}

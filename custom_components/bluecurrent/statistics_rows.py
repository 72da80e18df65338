"""Completed sessions as hourly rows of cumulative statistics: ids, pro-rata hours, running sums.

The cloud gives only a session's totals, so each is spread over the hours it ran in proportion to
the time it ran in each. Pure functions without Home Assistant state: the importer
(statistics.py) runs them in an executor, and tests can check them against their own arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from homeassistant.util import slugify

from .api import Transaction
from .const import DOMAIN

HOUR = 3600

# Hour start (UTC, seconds since the epoch) → the amount of that hour.
type Hourly = dict[int, float]
# A row as written: hour start, the hour's amount, the running sum up to the hour's end.
type Row = tuple[int, float, float]


@dataclass(frozen=True, slots=True)
class Series:
    """The energy and cost statistics of a charge point, or of one socket of a multi-socket one."""

    evse_id: str
    socket_id: int | None = None  # None: the charge point has one socket

    @property
    def object_id(self) -> str:
        """Lower case, ``_`` for anything else (statistic ids allow nothing more)."""
        base = slugify(self.evse_id) or "unknown"
        return base if self.socket_id is None else f"{base}_socket_{self.socket_id}"

    @property
    def energy_id(self) -> str:
        """``bluecurrent:energy_<evse>`` or ``bluecurrent:energy_<evse>_socket_<n>``."""
        return f"{DOMAIN}:energy_{self.object_id}"

    @property
    def cost_id(self) -> str:
        """``bluecurrent:cost_<evse>`` or ``bluecurrent:cost_<evse>_socket_<n>``."""
        return f"{DOMAIN}:cost_{self.object_id}"

    def name(self, device: str, what: str) -> str:
        """Name a statistic after the device (and socket), as its entities are."""
        if self.socket_id is None:
            return f"{device} {what}"
        return f"{device} socket {self.socket_id} {what}"


def series_of(evse_id: str, multi_socket: bool, socket_id: int | None) -> Series:
    """Find the series of a socket's sessions (a socket without an id is socket 1)."""
    return Series(evse_id, (socket_id or 1) if multi_socket else None)


def group(
    evse_id: str, multi_socket: bool, transactions: Iterable[Transaction]
) -> dict[Series, list[Transaction]]:
    """Sort a charge point's sessions by the series they belong to."""
    groups: dict[Series, list[Transaction]] = {}
    for transaction in transactions:
        series = series_of(evse_id, multi_socket, transaction.socket_id)
        groups.setdefault(series, []).append(transaction)
    return groups


def hour_of(timestamp: float) -> int:
    """Start of the UTC hour a moment falls in."""
    return int(timestamp // HOUR) * HOUR


def shares(started: datetime | None, ended: datetime) -> list[tuple[int, float]]:
    """List the hours a session ran in, each with its share of the session's time.

    A session without a start, or with none before its end, falls in the hour of its end.
    """
    end = ended.timestamp()
    start = started.timestamp() if started is not None else end
    if not start < end:
        return [(hour_of(end), 1.0)]
    duration = end - start
    result = []
    hour = hour_of(start)
    while hour < end:
        result.append((hour, (min(end, hour + HOUR) - max(start, hour)) / duration))
        hour += HOUR
    return result


def _spread_one(total: float, hours: list[tuple[int, float]], into: Hourly) -> None:
    """Add a total over its hours; the last takes the remainder, so the parts add up exactly."""
    done = 0.0
    last = len(hours) - 1
    for index, (hour, share) in enumerate(hours):
        amount = total - done if index == last else total * share
        done += amount
        into[hour] = into.get(hour, 0.0) + amount


def spread(transactions: Iterable[Transaction]) -> tuple[Hourly, Hourly]:
    """Energy (kWh) and cost per hour of these completed sessions.

    Every hour a session ran in gets a row, even at zero, so a statistic exists for every socket
    that has sessions. Sessions without an end are not placed (the ledger does not count them).
    """
    energy: Hourly = {}
    cost: Hourly = {}
    for transaction in transactions:
        if transaction.end_time is None:
            continue
        hours = shares(transaction.started_at, transaction.end_time)
        _spread_one(transaction.kwh or 0.0, hours, energy)
        _spread_one(transaction.total_costs or 0.0, hours, cost)
    return energy, cost


def cumulate(
    added: Hourly, base: float = 0.0, stored: Sequence[tuple[float, float]] = ()
) -> list[Row]:
    """Rows from the earliest hour of ``added`` or ``stored`` on, with their running sums.

    ``stored`` are the rows already written from that hour on, as (start, sum), oldest first,
    and ``base`` the sum before them. Their hourly amounts are taken as the differences of their
    sums (so a sum the user adjusted stays adjusted) and the new amounts are added to them.
    """
    amounts: Hourly = {}
    previous = base
    for start, total in stored:
        amounts[int(start)] = total - previous
        previous = total
    for hour, amount in added.items():
        amounts[hour] = amounts.get(hour, 0.0) + amount
    rows: list[Row] = []
    running = base
    for hour in sorted(amounts):
        running += amounts[hour]
        rows.append((hour, amounts[hour], running))
    return rows

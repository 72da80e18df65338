"""What a socket's session sensors show: the running session, else the one that ended last.

The cloud's status after a session ends may already report 0 kWh while it still reports the
session's cost. A user must see energy and cost of the same session, so the ended session's
final values are kept until the next one starts: from the ended status if it carries them, else
the last values of the running session, replaced by its transaction once that is read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .api import ChargePointStatus, Transaction


@dataclass(frozen=True, slots=True)
class Session:
    """The session a socket shows; ``running`` False means it ended at ``ended``."""

    started: datetime | None = None
    ended: datetime | None = None
    energy: float | None = None
    cost: float | None = None
    running: bool = False
    # True while the final values are the running session's last ones, not the cloud's final ones.
    provisional: bool = False


def is_open(status: ChargePointStatus) -> bool:
    """Whether the status describes a session that has started and not stopped."""
    started, stopped = status.start_datetime, status.stop_datetime
    if started is None:
        return status.activity == "charging"
    return stopped is None or stopped < started


def follow(
    before: Session | None, status: ChargePointStatus, latest: Transaction | None
) -> Session:
    """Return the session to show after a new status of the socket.

    ``latest`` is the newest counted transaction of the socket, used when the ended status does
    not carry the session's final values, and for when the last session ended.
    """
    ended = status.stop_datetime or (before.ended if before else None)
    if is_open(status):
        running = Session(
            started=status.start_datetime,
            ended=ended,
            energy=status.actual_kwh,
            cost=status.total_cost,
            running=True,
        )
        return settle(running, latest)
    if before is not None and before.running:
        if status.actual_kwh:
            # The ended status carries the final values.
            return Session(status.start_datetime, ended, status.actual_kwh, status.total_cost)
        final = Session(
            started=before.started,
            ended=ended,
            energy=before.energy,
            cost=status.total_cost if status.total_cost else before.cost,
            provisional=True,
        )
        return settle(final, latest)
    if before is not None:
        return replace(before, ended=ended)
    # First status seen (start-up): the ended session's values come from its transaction.
    first = Session(
        started=status.start_datetime,
        ended=ended,
        energy=status.actual_kwh or None,
        cost=status.total_cost if status.actual_kwh else None,
        provisional=not status.actual_kwh,
    )
    return settle(first, latest)


def settle(session: Session, transaction: Transaction | None) -> Session:
    """Complete a session from the socket's newest transaction.

    A running session learns when the one before it ended; an ended one whose final values
    were provisional takes them from its own transaction.
    """
    if transaction is None:
        return session
    if session.ended is None and transaction.end_time is not None:
        session = replace(session, ended=transaction.end_time)
    if session.running or not session.provisional:
        return session
    if session.started is not None and transaction.started_at != session.started:
        return session
    return replace(session, energy=transaction.kwh, cost=transaction.total_costs, provisional=False)

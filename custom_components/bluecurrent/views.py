"""What a charge point entity reads: the whole charge point, or one of its sockets.

On a charge point with one socket the two are the same. On one with several, entities of the
charge point either combine the sockets (sum the power, "charging" when any socket charges) or
do not exist; each socket then has its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .api import ChargePointStatus, Transaction
from .data import BlueCurrentData, ChargePointData, SocketData
from .sessions import Session


@dataclass(frozen=True, slots=True)
class PointView:
    """A charge point, or one socket of it (``socket_id``).

    An entity keeps its view as long as the charge point's data object lives; statuses and
    sessions change inside the socket objects, so the view never goes stale.
    """

    data: BlueCurrentData
    point: ChargePointData
    socket_id: int | None = None
    # The one socket shown, worked out once: every value of every update reads it.
    single: SocketData | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        """Find the one socket this view shows, if it shows one (always on one-socket points)."""
        sockets = self.point.sockets
        single = None
        if self.socket_id is not None:
            single = sockets.get(self.socket_id)
        elif len(sockets) == 1:
            single = next(iter(sockets.values()))
        object.__setattr__(self, "single", single)

    @property
    def socket_key(self) -> int:
        """The socket id this view shows, or the first one."""
        if self.socket_id is not None:
            return self.socket_id
        return self.point.socket_ids[0]

    @property
    def status(self) -> ChargePointStatus | None:
        """The status of the one socket shown; None for a whole multi-socket charge point."""
        socket = self.single
        return socket.status if socket is not None else None

    @property
    def session(self) -> Session | None:
        """The session of the one socket shown."""
        socket = self.single
        return socket.session if socket is not None else None

    @property
    def latest(self) -> Transaction | None:
        """The newest counted transaction of the one socket shown."""
        return self.point.latest(self.socket_key) if self.single is not None else None


def has_status(view: PointView) -> bool:
    """Tell whether the socket shown, or any socket of the charge point, has a status."""
    if view.single is not None:
        return view.single.status is not None
    return bool(view.point.statuses)


def from_status[V](
    fn: Callable[[ChargePointStatus], V | None],
    combine: Callable[[Sequence[V]], V | None] | None = None,
) -> Callable[[PointView], V | None]:
    """Read a value from a socket's status; ``combine`` makes it for a whole charge point."""

    def value(view: PointView) -> V | None:
        if view.single is not None:
            status = view.single.status
            return None if status is None else fn(status)
        if combine is None:
            return None
        values = [v for s in view.point.statuses if (v := fn(s)) is not None]
        return combine(values) if values else None

    return value


def total(values: Sequence[float]) -> float:
    """Sum, rounded like the cloud's figures."""
    return round(sum(values), 2)


def mean(values: Sequence[float]) -> float:
    """Mean of the values in use (a charger on one phase reports zeros on the others)."""
    used = [v for v in values if v]
    return round(sum(used) / len(used), 1) if used else 0.0


def any_true(values: Sequence[bool]) -> bool:
    """Say yes when any socket does."""
    return any(values)

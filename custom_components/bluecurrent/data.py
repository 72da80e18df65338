"""What the integration knows of an account, as the entities read it.

Written only by the coordinator (reads and pushes); entities only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

from .api import (
    BlueCurrentClient,
    ChargeCard,
    ChargePoint,
    ChargePointStatus,
    Grid,
    GridStatus,
    OverrideSchedule,
    Sustainability,
    Transaction,
)
from .ledger import Ledger
from .sessions import Session

if TYPE_CHECKING:
    from .coordinator import BlueCurrentCoordinator


# What a read refreshes; a failed read makes only the entities that depend on it unavailable.
SOURCE_CHARGE_POINTS = "charge_points"
SOURCE_CARDS = "cards"
SOURCE_SUSTAINABILITY = "sustainability"
SOURCE_OVERRIDES = "overrides"


def grid_source(grid_id: str) -> str:
    """Name the read that refreshes one grid's currents."""
    return f"grid:{grid_id}"


@dataclass(slots=True)
class SocketData:
    """One socket: its latest status and the session it shows."""

    status: ChargePointStatus | None = None
    session: Session | None = None


@dataclass(slots=True)
class ChargePointData:
    """Everything known about one charge point; updated in place by reads and pushes."""

    info: ChargePoint
    sockets: dict[int, SocketData] = field(default_factory=dict)
    ledger: Ledger | None = None
    grid_id: str | None = None
    # The last capacity-tariff limit the cloud reported: it reports none while the limit is off,
    # and switching it on again needs one.
    capacity_limit: float | None = None

    def __post_init__(self) -> None:
        """Every socket the cloud lists exists from the start, with no status yet."""
        self.update_info(self.info)

    def update_info(self, info: ChargePoint) -> None:
        """Take the charge point as listed anew; a socket the cloud now lists is added."""
        self.info = info
        for socket_id in self.socket_ids:
            self.sockets.setdefault(socket_id, SocketData())
        if info.capacity_tariff is not None and info.capacity_tariff.max_kwh is not None:
            self.capacity_limit = info.capacity_tariff.max_kwh

    @property
    def socket_ids(self) -> tuple[int, ...]:
        """Sockets of the charge point; one unless the cloud lists more."""
        if self.info.socket_ids:
            return tuple(self.info.socket_ids)
        return (self.info.socket_id or 1,)

    @property
    def multi_socket(self) -> bool:
        """Whether the charge point has more than one socket."""
        return len(self.sockets) > 1

    @property
    def statuses(self) -> list[ChargePointStatus]:
        """The known statuses of all sockets."""
        return [s.status for s in self.sockets.values() if s.status is not None]

    @property
    def currency(self) -> str | None:
        """Currency of the tariff, else of the transactions."""
        if self.info.tariff is not None and self.info.tariff.currency:
            return self.info.tariff.currency
        if self.ledger is not None and self.ledger.currency:
            return self.ledger.currency
        return None

    def latest(self, socket_id: int) -> Transaction | None:
        """Return the newest counted transaction of a socket."""
        return self.ledger.latest.get(socket_id) if self.ledger is not None else None

    def _running(self) -> list[ChargePointStatus]:
        """Statuses of sessions whose energy is not in the ledger yet."""
        if self.ledger is None:
            return []
        running = []
        for socket_id, socket in self.sockets.items():
            status = socket.status
            if status is None or (started := status.start_datetime) is None:
                continue
            counted = self.ledger.last_start.get(socket_id)
            if counted is None or started > counted:
                running.append(status)
        return running

    @property
    def lifetime_energy(self) -> float | None:
        """Completed transactions plus the running sessions' energy."""
        if self.ledger is None:
            return None
        return self.ledger.energy + sum(s.actual_kwh or 0.0 for s in self._running())

    @property
    def lifetime_cost(self) -> float | None:
        """Completed transactions plus the running sessions' cost."""
        if self.ledger is None:
            return None
        return self.ledger.cost + sum(s.total_cost or 0.0 for s in self._running())


@dataclass(slots=True)
class GridData:
    """One grid connection: what ``getgrids`` says of it and its latest currents."""

    info: Grid | None = None
    status: GridStatus | None = None


@dataclass(slots=True)
class BlueCurrentData:
    """The account as the entities see it."""

    charge_points: dict[str, ChargePointData] = field(default_factory=dict)
    grids: dict[str, GridData] = field(default_factory=dict)
    cards: list[ChargeCard] = field(default_factory=list)
    sustainability: Sustainability | None = None
    # The account's override-current schedules (read with the grid list, and after each change).
    overrides: list[OverrideSchedule] = field(default_factory=list)
    # Reads whose last attempt failed (see SOURCE_*).
    failed: set[str] = field(default_factory=set)
    # When the cloud last left each known charge point or grid out of a successful read.
    missing_since: dict[str, datetime] = field(default_factory=dict)

    def ok(self, source: str) -> bool:
        """Whether the last read of a source succeeded."""
        return source not in self.failed


@dataclass(kw_only=True)
class BlueCurrentRuntimeData:
    """What a loaded config entry keeps: the client and the coordinator that uses it."""

    client: BlueCurrentClient
    coordinator: BlueCurrentCoordinator


type BlueCurrentConfigEntry = ConfigEntry[BlueCurrentRuntimeData]

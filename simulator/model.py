"""Stateful model of one Blue Current account: simulated time and session rules, no I/O.

The state itself is plain dataclasses (`state.py`, re-exported here for older imports); the
server turns it into wire frames (`wire.py`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
import random

from . import accounts, grids, history, overrides
from .faults import ActionResult, Faults, Stats
from .state import (
    DEFAULT_START,
    FIRST_EVSE_NUMBER,
    HOME_USE,
    NO_CARD,
    TZ,
    Account,
    Address,
    CapacityTariff,
    Card,
    ChargePointState,
    Contract,
    DelayedCharging,
    GridConnection,
    GridState,
    Location,
    OverrideSchedule,
    PriceBasedCharging,
    Session,
    Tariff,
    Transaction,
)

__all__ = [
    "DEFAULT_START",
    "FIRST_EVSE_NUMBER",
    "HOME_USE",
    "NO_CARD",
    "TZ",
    "Account",
    "ActionResult",
    "Address",
    "CapacityTariff",
    "Card",
    "ChargePointState",
    "Contract",
    "DelayedCharging",
    "Faults",
    "GridConnection",
    "GridState",
    "Location",
    "Model",
    "OverrideSchedule",
    "PriceBasedCharging",
    "Session",
    "Stats",
    "Tariff",
    "Transaction",
]


class Model:
    """The account plus simulated time; the rules that change state go through here."""

    account: Account

    def __init__(
        self,
        *,
        charge_points: int,
        username: str,
        seed: int,
        charging: int,
        start: datetime | None = None,
        grids: int = 1,
        history: int = 0,
    ) -> None:
        """Build a deterministic account for `seed`; `history` adds that many old sessions each."""
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = (start or DEFAULT_START).astimezone(TZ).replace(microsecond=0)
        self.grids: dict[str, GridState] = {}
        self._next_transaction_id = 1
        self.next_evse_number = FIRST_EVSE_NUMBER
        accounts.build(
            self,
            username=username,
            charge_points=charge_points,
            charging=charging,
            grid_count=grids,
        )
        for cp in self.account.charge_points.values():
            self.generate_history(cp, history)

    @property
    def grid(self) -> GridState:
        """The first grid (the only one unless more were asked for)."""
        return next(iter(self.grids.values()))

    def take_transaction_id(self) -> int:
        """Hand out the next transaction id."""
        value = self._next_transaction_id
        self._next_transaction_id += 1
        return value

    # -- topology -----------------------------------------------------------------------------

    def new_charge_point(
        self,
        evse_id: str | None = None,
        *,
        name: str | None = None,
        socket_ids: list[int] | None = None,
        model_type: str | None = None,
        history: int = 0,
        grid_id: str | None = None,
    ) -> ChargePointState:
        """Create and register a charge point with `history` past transactions."""
        cp = accounts.new_charge_point(
            self,
            evse_id,
            name=name,
            socket_ids=socket_ids,
            model_type=model_type,
            history_count=history,
            grid_id=grid_id,
        )
        cp.override_limit = overrides.limit_for(self, cp)
        return cp

    def add_grid(self, grid_id: str | None = None) -> GridState:
        """Register one more grid connection."""
        return grids.add(self, grid_id)

    def grid_of(self, cp: ChargePointState) -> GridState:
        """Return the grid a charge point belongs to."""
        return grids.of(self, cp)

    def recompute_grid(self) -> None:
        """Each grid's load = a household load plus its charging sessions."""
        grids.recompute(self)

    # -- history ------------------------------------------------------------------------------

    def generate_history(
        self, cp: ChargePointState, count: int, *, days: float = 365
    ) -> list[Transaction]:
        """Book `count` past sessions over the last `days` days (see `history.generate`)."""
        return history.generate(self, cp, count, days=days)

    def add_transaction(
        self,
        cp: ChargePointState,
        *,
        started: datetime,
        ended: datetime,
        kwh: float,
        card: Card | None = None,
        socket_id: int | None = None,
    ) -> Transaction:
        """Book a late-uploaded session; the live session state is left alone."""
        return history.add_late(
            self, cp, started=started, ended=ended, kwh=kwh, card=card, socket_id=socket_id
        )

    # -- lookups ------------------------------------------------------------------------------

    def find_card(self, ref: str) -> Card | None:
        """Find a card by uid or id (what START_SESSION's `session_token` may carry)."""
        wanted = ref.strip().upper()
        for card in self.account.cards:
            if wanted in (card.uid.upper(), card.id.upper()):
                return card
        return None

    def card_by_uid(self, uid: str | None) -> Card | None:
        """Resolve a stored uid to its card, if that still exists."""
        return self.find_card(uid) if uid else None

    # -- sessions -----------------------------------------------------------------------------

    def start_session(
        self, cp: ChargePointState, card: Card | None, socket_id: int | None = None
    ) -> Session:
        """Start charging on `socket_id` (default: the first socket)."""
        socket = socket_id if socket_id in cp.socket_ids else cp.socket_ids[0]
        phases = [round(self.rng.uniform(9.5, 10.5), 1) for _ in range(3)]
        if cp.override_limit is not None:
            phases = [min(phase, cp.override_limit) for phase in phases]
        session = Session(
            socket_id=socket,
            card=card,
            started_at=self.now,
            cost=cp.tariff.start_price_in_vat,
            currents=phases,
            voltages=[round(self.rng.uniform(228, 232), 1) for _ in range(3)],
        )
        cp.session = session
        cp.last_start[socket] = self.now
        cp.last_stop.pop(socket, None)
        self.recompute_grid()
        return session

    def set_enabled(self, cp: ChargePointState, enabled: bool) -> None:
        """Block or unblock as the cloud does: blocking ends the running session."""
        if not enabled:
            self.stop_session(cp)
        cp.enabled = enabled

    def stop_session(self, cp: ChargePointState) -> Transaction | None:
        """End the running session and book it as a transaction."""
        session = cp.session
        if session is None:
            return None
        cp.session = None
        transaction = history.record(
            self,
            cp,
            socket_id=session.socket_id,
            card=session.card,
            started=session.started_at,
            ended=self.now,
            kwh=round(session.kwh, 3),
        )
        self.recompute_grid()
        return transaction

    def set_online(self, cp: ChargePointState, online: bool) -> None:
        """Stamp `offline_since` when going offline; clear it when back."""
        cp.online = online
        cp.offline_since = None if online else self.now

    def refresh_overrides(self) -> list[ChargePointState]:
        """Re-evaluate the override schedules at `now`; returns the charge points that changed."""
        changed = overrides.refresh(self)
        self.recompute_grid()
        return changed

    def advance(self, seconds: float) -> list[ChargePointState]:
        """Move time; returns the charge points whose status changed (sessions, overrides)."""
        self.now += timedelta(seconds=seconds)
        hours = max(seconds, 0.0) / 3600
        changed = {cp.evse_id for cp in overrides.refresh(self)}
        for cp in self.account.charge_points.values():
            session = cp.session
            if session is None or cp.activity != "charging":
                continue
            limit = float(cp.max_usage)
            if cp.override_limit is not None:
                limit = min(limit, cp.override_limit)
            session.currents = [
                round(min(limit, max(6.0, current + self.rng.uniform(-0.3, 0.3))), 1)
                for current in session.currents
            ]
            session.voltages = [
                round(min(235.0, max(225.0, volt + self.rng.uniform(-0.5, 0.5))), 1)
                for volt in session.voltages
            ]
            pairs = zip(session.currents, session.voltages, strict=True)
            power_kw = sum(i * v for i, v in pairs) / 1000
            session.kwh += power_kw * hours
            session.cost = round(
                cp.tariff.start_price_in_vat + session.kwh * cp.tariff.price_in_vat, 2
            )
            changed.add(cp.evse_id)
        self.recompute_grid()
        return [cp for cp in self.account.charge_points.values() if cp.evse_id in changed]

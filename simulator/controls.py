"""What tests do to the simulated world: time, sessions, topology, history."""

from __future__ import annotations

from datetime import datetime

from .state import Account, ChargePointState, GridState, Transaction
from .transport import Transport


class Controls(Transport):
    """State shortcuts and controls of the `Simulator` (see README.md)."""

    # -- state shortcuts --------------------------------------------------------------------

    @property
    def account(self) -> Account:
        """The simulated customer account."""
        return self.model.account

    @property
    def grid(self) -> GridState:
        """Live currents of the first grid (the only one unless `grids=` asked for more)."""
        return self.model.grid

    @property
    def grids(self) -> dict[str, GridState]:
        """Live currents of every grid, keyed by grid id, in the order of `account.grids`."""
        return self.model.grids

    @property
    def now(self) -> datetime:
        """Simulated time (Europe/Amsterdam)."""
        return self.model.now

    @now.setter
    def now(self, value: datetime) -> None:
        self.model.now = value

    def charge_point(self, evse_id: str) -> ChargePointState:
        """Look up a charge point by evse_id (KeyError if unknown)."""
        return self.account.charge_points[evse_id]

    def evse_allowed(self, evse_id: object) -> bool:
        """Whether commands may name this evse_id (it exists and is not in `forbid_evse`)."""
        return (
            isinstance(evse_id, str)
            and evse_id in self.account.charge_points
            and evse_id not in self.faults.forbid_evse
        )

    def grid_of(self, evse_id: str) -> GridState:
        """Return the grid a charge point belongs to."""
        return self.model.grid_of(self.charge_point(evse_id))

    # -- time and sessions ------------------------------------------------------------------

    async def advance(self, seconds: float) -> None:
        """Move simulated time; changed charge points and every grid are pushed."""
        for cp in self.model.advance(seconds):
            await self.push_status(cp.evse_id)
        await self.push_grid()

    async def start_charging(
        self, evse_id: str, card_uid: str | None = None, socket_id: int | None = None
    ) -> None:
        """Plug in a car and start a session (card by uid or id; None = no card)."""
        cp = self.charge_point(evse_id)
        card = self.model.find_card(card_uid) if card_uid else None
        self.model.start_session(cp, card, socket_id)
        await self.push_status(evse_id)

    async def stop_charging(self, evse_id: str) -> Transaction | None:
        """End the session; it becomes a transaction."""
        transaction = self.model.stop_session(self.charge_point(evse_id))
        await self.push_status(evse_id)
        return transaction

    async def set_online(self, evse_id: str, online: bool) -> None:
        """Take the charge point off the network or bring it back."""
        self.model.set_online(self.charge_point(evse_id), online)
        await self.push_status(evse_id)

    async def set_enabled(self, evse_id: str, enabled: bool) -> None:
        """Block (False → "unavailable") or unblock the charge point."""
        self.charge_point(evse_id).enabled = enabled
        await self.push_status(evse_id)

    async def refresh_overrides(self) -> None:
        """Re-read the override schedules now (after changing them directly) and push changes."""
        for cp in self.model.refresh_overrides():
            await self.push_status(cp.evse_id)

    # -- history ----------------------------------------------------------------------------

    async def add_transaction(
        self,
        evse_id: str,
        *,
        started: datetime,
        ended: datetime,
        kwh: float,
        card_uid: str | None = None,
        socket_id: int | None = None,
    ) -> Transaction:
        """Book a session a charger uploads late (offline meanwhile): it may end before others.

        It gets a fresh transaction id and is listed by its stop time; the running session and
        the status are left alone. ValueError for an unknown card or socket or impossible times.
        """
        card = self.model.find_card(card_uid) if card_uid else None
        if card_uid and card is None:
            raise ValueError("unknown card")
        return self.model.add_transaction(
            self.charge_point(evse_id),
            started=started,
            ended=ended,
            kwh=kwh,
            card=card,
            socket_id=socket_id,
        )

    def generate_history(self, evse_id: str, count: int, *, days: float = 365) -> list[Transaction]:
        """Book `count` past sessions over the last `days` days, before the existing history.

        Deterministic for the seed; 30 min to 10 h each, spread over the sockets, never
        overlapping on one socket. ValueError if they cannot fit.
        """
        return self.model.generate_history(self.charge_point(evse_id), count, days=days)

    # -- topology ---------------------------------------------------------------------------

    async def add_charge_point(
        self,
        evse_id: str | None = None,
        *,
        name: str | None = None,
        socket_ids: list[int] | None = None,
        model_type: str | None = None,
        history: int = 3,
        grid_id: str | None = None,
    ) -> ChargePointState:
        """Register a new charge point (clients see it on their next GET_CHARGE_POINTS).

        It joins `grid_id`, or the grids in turn (round-robin) when None.
        """
        return self.model.new_charge_point(
            evse_id,
            name=name,
            socket_ids=socket_ids,
            model_type=model_type,
            history=history,
            grid_id=grid_id,
        )

    async def remove_charge_point(self, evse_id: str) -> None:
        """Drop a charge point; commands for it then answer ERROR 2."""
        self.account.charge_points.pop(evse_id, None)
        self.model.recompute_grid()

    async def add_grid(self, grid_id: str | None = None) -> GridState:
        """Add a grid connection (listed by `getgrids`; new charge points may join it)."""
        return self.model.add_grid(grid_id)

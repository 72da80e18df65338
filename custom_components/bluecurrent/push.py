"""Pushed status, settings and grid currents, applied to the account's data as they arrive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace
from datetime import datetime

from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .api import ChargePoint, ChargePointStatus, GridStatus
from .const import LOGGER
from .data import BlueCurrentData
from .reads import apply_status
from .settings import Settings


def merge_known[T](old: T, new: T) -> T:
    """Overlay the fields a partial update carries onto what is known."""
    changes = {
        f.name: value
        for f in fields(new)  # type: ignore[arg-type]
        if (value := getattr(new, f.name)) not in (None, ()) and f.name != "extra"
    }
    return replace(old, **changes)  # type: ignore[type-var]


def session_ended(before: ChargePointStatus | None, after: ChargePointStatus) -> bool:
    """Whether a status change closed a session, so a new transaction exists."""
    if before is None:
        return False
    if before.activity == "charging" and after.activity != "charging":
        return True
    return after.stop_datetime is not None and after.stop_datetime != before.stop_datetime


class PushApplier:
    """Writes pushed events into the data and says which entities to update."""

    def __init__(
        self,
        data: BlueCurrentData,
        *,
        settings: Settings,
        update_point: Callable[[str, bool], None],
        update_grid: Callable[[str], None],
        session_ended: Callable[[str], None],
        unknown_point: Callable[[], None],
    ) -> None:
        """Wire the callbacks that update entities and start follow-up reads."""
        self._data = data
        self._settings = settings
        self._update_point = update_point
        self._update_grid = update_grid
        self._session_ended = session_ended
        self._unknown_point = unknown_point
        self._unknown_asked: dict[str, datetime] = {}
        # Settings pushes applied per charge point, so a command can tell whether one followed it.
        self.settings_seen: dict[str, int] = {}
        self._grid_push_ignored = False

    @callback
    def status(self, evse_id: str, status: ChargePointStatus) -> None:
        """Apply a socket's new status; only the entities reading statuses are updated."""
        point = self._data.charge_points.get(evse_id)
        if point is None:
            self._unknown(evse_id)
            return
        socket_id = status.socket_id or point.socket_ids[0]
        socket = point.sockets.get(socket_id)
        if socket is None:
            self._unknown(evse_id)
            return
        before = socket.status
        apply_status(point, socket_id, status)
        if session_ended(before, status):
            self._session_ended(evse_id)
        # Boosting is shown by an entity that does not follow every status push (it rarely
        # changes): only a status that changes it updates the charge point's other entities.
        self._update_point(evse_id, before is not None and before.boosting == status.boosting)

    @callback
    def settings(self, evse_id: str, settings: ChargePoint) -> None:
        """Apply new settings of a charge point."""
        point = self._data.charge_points.get(evse_id)
        if point is None:
            self._unknown(evse_id)
            return
        # CH_SETTINGS always names the plug-and-charge card, with a pseudo card for none, which
        # the client reads as None: that None clears the card.
        point.update_info(
            replace(
                merge_known(point.info, settings),
                plug_and_charge_card=settings.plug_and_charge_card,
            )
        )
        self.settings_seen[evse_id] = self.settings_seen.get(evse_id, 0) + 1
        self._update_point(evse_id, False)

    @callback
    def grid(self, status: GridStatus) -> None:
        """Grid currents. The push names no grid: it is only attributed when there is one."""
        grids = self._data.grids
        if len(grids) != 1:
            if not self._grid_push_ignored:
                self._grid_push_ignored = True
                LOGGER.debug("Grid pushes name no grid; %d grids are read by the poll", len(grids))
            return
        grid_id, grid = next(iter(grids.items()))
        grid.status = status if grid.status is None else merge_known(grid.status, status)
        self._update_grid(grid_id)

    def _unknown(self, evse_id: str) -> None:
        """Ask the poll to add an unknown charge point, at most once per interval per id."""
        now = dt_util.utcnow()
        asked = self._unknown_asked.get(evse_id)
        if asked is not None and now - asked < self._settings.unknown_refresh:
            return
        self._unknown_asked[evse_id] = now
        self._unknown_point()

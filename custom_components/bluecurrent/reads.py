"""The poll's reads of what the cloud does not push, each one on its own.

A read that fails marks its source failed and leaves what it would have refreshed as it was; the
other reads go on. Only rejected credentials and the request limit concern every read, so those
are collected and reported by the coordinator once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .api import BlueCurrentClient, BlueCurrentError, ChargePoint, ChargePointStatus
from .const import LOGGER
from .data import (
    SOURCE_CARDS,
    SOURCE_CHARGE_POINTS,
    SOURCE_OVERRIDES,
    SOURCE_SUSTAINABILITY,
    BlueCurrentData,
    ChargePointData,
    GridData,
    grid_source,
)
from .sessions import follow

# Per-charge-point requests at once, so a large account does not burst the cloud.
MAX_CONCURRENT_REQUESTS = 4
SOURCE_GRIDS = "grids"


@dataclass(slots=True)
class ReadReport:
    """What one round of reads found: new and listed charge points, and the errors met."""

    listed: set[str] | None = None
    grids_listed: set[str] | None = None
    new: list[str] = field(default_factory=list)
    errors: list[BlueCurrentError] = field(default_factory=list)


class AccountReader:
    """Reads the charge points, cards, sustainability, grids and missing statuses."""

    def __init__(
        self,
        client: BlueCurrentClient,
        new_point: Callable[[ChargePoint], ChargePointData],
        grids_interval: timedelta,
    ):
        """Use ``new_point`` to track a charge point seen for the first time."""
        self._client = client
        self._new_point = new_point
        self._grids_interval = grids_interval
        self._grids_at: datetime | None = None
        self._overrides_at: datetime | None = None
        self.need_statuses: set[str] = set()

    async def _guarded(
        self, data: BlueCurrentData, report: ReadReport, source: str, read: Awaitable[object]
    ) -> bool:
        """Run one read; a failure marks its source failed instead of ending the round."""
        try:
            await read
        except BlueCurrentError as err:
            LOGGER.debug("Reading %s failed: %s", source, type(err).__name__)
            data.failed.add(source)
            report.errors.append(err)
            return False
        data.failed.discard(source)
        return True

    async def read(self, data: BlueCurrentData, now: datetime) -> ReadReport:
        """Read one round: the list first (it says what else to read), then the rest."""
        report = ReadReport()
        await self._guarded(data, report, SOURCE_CHARGE_POINTS, self._points(data, report))
        await self._guarded(data, report, SOURCE_CARDS, self._cards(data))
        await self._guarded(data, report, SOURCE_SUSTAINABILITY, self._sustainability(data))
        # The grid list rarely changes: read it with new charge points, else now and then.
        due = self._grids_at is None or now - self._grids_at >= self._grids_interval
        if (due or report.new) and await self._guarded(
            data, report, SOURCE_GRIDS, self._grids(data, report)
        ):
            self._grids_at = now
        # Override schedules change only by hand (the actions read them again): just as seldom.
        if (
            self._overrides_at is None
            or now - self._overrides_at >= self._grids_interval
            or not data.ok(SOURCE_OVERRIDES)
        ) and await self._guarded(data, report, SOURCE_OVERRIDES, self._overrides(data)):
            self._overrides_at = now
        await self._grid_statuses(data, report)
        await self._statuses(data, report)
        return report

    async def _points(self, data: BlueCurrentData, report: ReadReport) -> None:
        points = await self._client.get_charge_points()
        report.listed = {point.evse_id for point in points}
        for point in points:
            known = data.charge_points.get(point.evse_id)
            if known is None:
                data.charge_points[point.evse_id] = self._new_point(point)
                self.need_statuses.add(point.evse_id)
                report.new.append(point.evse_id)
            else:
                known.update_info(point)

    async def _cards(self, data: BlueCurrentData) -> None:
        data.cards = await self._client.get_charge_cards()

    async def _sustainability(self, data: BlueCurrentData) -> None:
        data.sustainability = await self._client.get_sustainability_status()

    async def _overrides(self, data: BlueCurrentData) -> None:
        data.overrides = await self._client.get_current_overrides()

    async def _grids(self, data: BlueCurrentData, report: ReadReport) -> None:
        """Read the account's grids, and which charge point is on which."""
        grids = [grid for grid in await self._client.get_grids() if grid.id]
        for grid in grids:
            data.grids.setdefault(grid.id or "", GridData()).info = grid
        if grids:
            # An empty list says nothing: the grid a charge point reports stays.
            report.grids_listed = {grid.id or "" for grid in grids}
        points = list(data.charge_points.values())
        if len(data.grids) > 1:
            # Only a charge point's own grid status names its grid.
            for point in points:
                if point.grid_id not in data.grids:
                    status = await self._client.get_grid_status(point.info.evse_id)
                    if status.id:
                        point.grid_id = status.id
                        data.grids.setdefault(status.id, GridData()).status = status
        elif len(data.grids) == 1:
            only = next(iter(data.grids))
            for point in points:
                point.grid_id = only

    async def _grid_statuses(self, data: BlueCurrentData, report: ReadReport) -> None:
        """Currents of each grid, read through the first of its charge points."""
        if not data.grids:
            # No grid list (yet): the first charge point's grid stands for all.
            if first := next(iter(data.charge_points), None):
                await self._guarded(
                    data, report, SOURCE_GRIDS, self._grid_status(data, None, first)
                )
            return
        members: dict[str, str] = {}
        for point in data.charge_points.values():
            if point.grid_id in data.grids and point.grid_id not in members:
                members[point.grid_id] = point.info.evse_id
        for grid_id, evse_id in members.items():
            read = self._grid_status(data, grid_id, evse_id)
            await self._guarded(data, report, grid_source(grid_id), read)

    async def _grid_status(self, data: BlueCurrentData, grid_id: str | None, evse_id: str) -> None:
        status = await self._client.get_grid_status(evse_id)
        if grid_id is None:
            grid_id = status.id or f"GRID-{evse_id}"
            for point in data.charge_points.values():
                point.grid_id = grid_id
        data.grids.setdefault(grid_id, GridData()).status = status

    async def _statuses(self, data: BlueCurrentData, report: ReadReport) -> None:
        """Full statuses of new charge points and, after a reconnect, of all."""
        wanted = [e for e in self.need_statuses if e in data.charge_points]
        semaphore = asyncio.Semaphore(MAX_CONCURRENT_REQUESTS)

        async def fetch(evse_id: str) -> None:
            async with semaphore:
                statuses = await self._client.get_charge_point_statuses(evse_id)
            point = data.charge_points[evse_id]
            for status in statuses:
                socket_id = status.socket_id or point.socket_ids[0]
                apply_status(point, socket_id, status)
            self.need_statuses.discard(evse_id)

        await asyncio.gather(
            *(self._guarded(data, report, f"status:{e}", fetch(e)) for e in wanted)
        )


def apply_status(point: ChargePointData, socket_id: int, status: ChargePointStatus) -> None:
    """Take a socket's new status and the session it implies."""
    socket = point.sockets.get(socket_id)
    if socket is None:
        return
    socket.status = status
    socket.session = follow(socket.session, status, point.latest(socket_id))

"""Open websockets and everything the simulator sends on them: replies, pushes, broken frames."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
import time
from typing import Any

from aiohttp import WSCloseCode, web

from . import wire
from .faults import Faults, Stats
from .model import Model

LIMIT_CLOSE_CODE = 4001


class Connection:
    """One open websocket; pushes reach it only after it said HELLO."""

    def __init__(self, socket: web.WebSocketResponse, path: str) -> None:
        """Wrap an accepted websocket."""
        self.socket = socket
        self.path = path
        self.hello = False
        self.lock = asyncio.Lock()


# Called in the simulator's loop for every frame it sends (not the injected broken ones), with
# the `time.perf_counter()` taken just before the write; the benchmark times pushes with it.
type FrameHook = Callable[[Connection, dict[str, Any], float], None]


class Transport:
    """Sending half of the simulator; `Simulator.__init__` sets the attributes declared here."""

    model: Model
    faults: Faults
    stats: Stats
    connections: set[Connection]
    on_frame_sent: FrameHook | None
    _malformed_index: int

    def next_malformed(self, evse_id: str) -> str:
        """Rotate through the kinds of broken frames a flaky cloud could send."""
        kind = self._malformed_index % 4
        self._malformed_index += 1
        if kind == 0:
            return '{"object": "CH_STATUS", "data": '
        if kind == 1:
            return '["CH_STATUS", 1, 2]'
        if kind == 2:
            return '{"data": {"evse_id": "%s"}}' % evse_id  # noqa: UP031
        garbage = {
            "object": "CH_STATUS",
            "evse_id": evse_id,
            "data": {
                "evse_id": evse_id,
                "activity": 42,
                "actual_p1": "lots",
                "actual_v1": None,
                "actual_kwh": [],
                "start_datetime": None,
                "stop_datetime": "yesterday",
                "vehicle_status": "Z",
            },
        }
        return json.dumps(garbage)

    async def send(
        self, conn: Connection, frame: dict[str, Any], *, reply: bool, evse_id: str = ""
    ) -> None:
        """Send one frame; replies honour reply_delay and the injected-frame faults."""
        if reply and self.faults.reply_delay > 0:
            await asyncio.sleep(self.faults.reply_delay)
        texts = []
        if reply and self.faults.malformed_frames > 0:
            self.faults.malformed_frames -= 1
            some_evse = next(iter(self.model.account.charge_points), "BCU000000")
            texts.append(self.next_malformed(evse_id or some_evse))
        if reply and self.faults.unknown_frames > 0:
            self.faults.unknown_frames -= 1
            texts.append(
                json.dumps({"object": "SOMETHING_NEW", "data": {"note": "injected by simulator"}})
            )
        texts.append(json.dumps(frame))
        async with conn.lock:
            for index, text in enumerate(texts, start=1):
                if conn.socket.closed:
                    return
                sent_at = time.perf_counter()
                try:
                    await conn.socket.send_str(text)
                except (ConnectionError, RuntimeError):
                    return
                self.stats.frames_sent += 1
                if index == len(texts) and self.on_frame_sent is not None:
                    self.on_frame_sent(conn, frame, sent_at)

    async def broadcast(self, frame: dict[str, Any]) -> None:
        """Push to every socket that said HELLO."""
        for conn in list(self.connections):
            if conn.hello:
                await self.send(conn, frame, reply=False)

    async def push_status(self, evse_id: str) -> None:
        """Push the charge point's CH_STATUS, one frame per socket.

        A change may concern any socket (a session ending on the second one, the whole charge
        point going offline or being blocked), so every socket's status goes out.
        """
        cp = self.model.account.charge_points[evse_id]
        for socket_id in cp.socket_ids:
            await self.broadcast(wire.ch_status(cp, socket_id))

    async def push_settings(self, evse_id: str) -> None:
        """Push the charge point's CH_SETTINGS."""
        cp = self.model.account.charge_points[evse_id]
        data = wire.charge_point(self.model, cp, settings=True)
        await self.broadcast({"object": "CH_SETTINGS", "evse_id": evse_id, "data": data})

    async def settings_changed(self, evse_id: str) -> None:
        """After an accepted setting change: push CH_SETTINGS unless `no_settings_push` is on."""
        if not self.faults.no_settings_push:
            await self.push_settings(evse_id)

    async def push_grid(self, grid_id: str | None = None) -> None:
        """Push GRID_CURRENT for one grid, or one per grid in the order of `account.grids`.

        The frame carries no grid id (as in the real protocol), so with several grids a client
        cannot tell which grid a push describes.
        """
        ids = [grid_id] if grid_id is not None else [g.id for g in self.model.account.grids]
        for each in ids:
            await self.broadcast(wire.grid_current(self.model.grids[each]))

    async def drop_connections(self, code: int = WSCloseCode.GOING_AWAY) -> None:
        """Close every open websocket with `code`."""
        conns = list(self.connections)
        self.connections.clear()
        await asyncio.gather(
            *(conn.socket.close(code=code, message=b"closed by simulator") for conn in conns),
            return_exceptions=True,
        )

    async def close_with_limit(self) -> None:
        """Close every socket with 4001, which clients read as "request limit reached"."""
        await self.drop_connections(LIMIT_CLOSE_CODE)

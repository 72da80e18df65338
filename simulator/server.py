"""The Simulator: an aiohttp server around the account model, with controls for tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
import hmac
import json
import logging
import secrets
import time
from types import TracebackType
from typing import Any, Self

from aiohttp import WSCloseCode, web

from . import rest, wire, ws
from .model import (
    Account,
    ChargePointState,
    Faults,
    GridState,
    Model,
    Stats,
    Transaction,
)

_LOGGER = logging.getLogger(__name__)
SIM_KEY: web.AppKey[Simulator] = web.AppKey("simulator")
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


class Simulator:
    """A fake Blue Current cloud on 127.0.0.1 (see docs/contract.md §1 and README.md)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        charge_points: int = 3,
        username: str = "demo@example.com",
        password: str = "demo",  # noqa: S107 - the demo account
        api_token: str = "demo-api-token",  # noqa: S107
        seed: int = 0,
        charging: int = 1,
        tick_interval: float | None = None,
        speed: float = 1.0,
        start: datetime | None = None,
    ) -> None:
        """Build the account now; nothing listens until `start()`."""
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.api_token = api_token
        self.tick_interval = tick_interval
        self.speed = speed
        self.model = Model(
            charge_points=charge_points,
            username=username,
            seed=seed,
            charging=charging,
            start=start,
        )
        self.faults = Faults()
        self.stats = Stats()
        self.connections: set[Connection] = set()
        self._tokens: set[str] = set()
        # Every session token ever issued, expired ones included: tests check none leaks.
        self.issued_tokens: list[str] = []
        self._malformed_index = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: web.AppRunner | None = None
        self._tick_task: asyncio.Task[None] | None = None
        self.on_frame_sent: FrameHook | None = None

    # -- state shortcuts --------------------------------------------------------------------

    @property
    def account(self) -> Account:
        """The simulated customer account."""
        return self.model.account

    @property
    def grid(self) -> GridState:
        """Live grid currents."""
        return self.model.grid

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

    # -- URLs -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """Root of everything the simulator serves."""
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        """The app websocket (pybluecurrent)."""
        return f"ws://{self.host}:{self.port}/appserver/2.0"

    @property
    def haserver_url(self) -> str:
        """The Home Assistant websocket (bluecurrent-api)."""
        return f"ws://{self.host}:{self.port}/haserver"

    @property
    def api_url(self) -> str:
        """bc_api v2.0 REST base."""
        return f"{self.base_url}/app/bc_api/api/v2.0"

    @property
    def api_v21_url(self) -> str:
        """bc_api v2.1 REST base (multi-socket status only)."""
        return f"{self.base_url}/app/bc_api/api/v2.1"

    @property
    def bce_url(self) -> str:
        """bce_api v1 REST base (charge-point actions)."""
        return f"{self.base_url}/app/bce_api/api/v1"

    # -- lifecycle --------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        """Build the aiohttp application (separate so other test servers can mount it)."""
        app = web.Application(middlewares=[rest.middleware], client_max_size=1024**2)
        app[SIM_KEY] = self
        app.router.add_get("/appserver/2.0", ws.handle)
        app.router.add_get("/haserver", ws.handle)
        rest.add_routes(app)
        return app

    async def start(self) -> None:
        """Listen on host:port (port 0 picks a free one, stored in `port`)."""
        self._runner = web.AppRunner(self.make_app(), handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only here
        if isinstance(server, asyncio.base_events.Server) and server.sockets:
            self.port = int(server.sockets[0].getsockname()[1])
        if self.tick_interval:
            self._tick_task = asyncio.create_task(self._tick(self.tick_interval))

    async def stop(self) -> None:
        """Close every socket, cancel every task and free the port."""
        tasks = [*self._tasks, *([self._tick_task] if self._tick_task else [])]
        self._tick_task = None
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self.drop_connections()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        """Start on entry."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop on exit."""
        await self.stop()

    async def _tick(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.advance(interval * self.speed)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run a background job that `stop()` will cancel."""
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- auth -------------------------------------------------------------------------------

    def check_password(self, username: object, password: str) -> bool:
        """Constant-time check of the (decrypted) credentials."""
        if self.faults.reject_credentials or not isinstance(username, str):
            return False
        same_user = hmac.compare_digest(username.lower().encode(), self.username.lower().encode())
        same_password = hmac.compare_digest(password.encode(), self.password.encode())
        return same_user and same_password

    def check_api_token(self, token: object) -> bool:
        """Whether `token` is the current API token (home automation key)."""
        if self.faults.reject_credentials or not isinstance(token, str):
            return False
        return hmac.compare_digest(token.encode(), self.api_token.encode())

    def issue_token(self) -> str:
        """Issue a fresh session token."""
        token = secrets.token_hex(16)
        self._tokens.add(token)
        self.issued_tokens.append(token)
        self.stats.logins += 1
        return token

    def token_valid(self, token: str) -> bool:
        """Whether a session token is still accepted."""
        return token in self._tokens

    def expire_tokens(self) -> None:
        """Invalidate every issued session token (clients must log in again)."""
        self._tokens.clear()

    def rotate_api_token(self) -> str:
        """`generatehomeautomationkey`: the old API token stops working."""
        self.api_token = secrets.token_hex(16)
        return self.api_token

    # -- sending ----------------------------------------------------------------------------

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
            texts.append(self.next_malformed(evse_id or wire_first_evse(self)))
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
        cp = self.charge_point(evse_id)
        for socket_id in cp.socket_ids:
            await self.broadcast(wire.ch_status(cp, socket_id))

    async def push_settings(self, evse_id: str) -> None:
        """Push the charge point's CH_SETTINGS."""
        cp = self.charge_point(evse_id)
        data = wire.charge_point(self.model, cp, settings=True)
        await self.broadcast({"object": "CH_SETTINGS", "evse_id": evse_id, "data": data})

    async def push_grid(self) -> None:
        """Push GRID_CURRENT."""
        await self.broadcast(wire.grid_current(self.grid))

    # -- controls ---------------------------------------------------------------------------

    async def advance(self, seconds: float) -> None:
        """Move simulated time; charging points and the grid are pushed."""
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

    async def add_charge_point(
        self,
        evse_id: str | None = None,
        *,
        name: str | None = None,
        socket_ids: list[int] | None = None,
        model_type: str | None = None,
        history: int = 3,
    ) -> ChargePointState:
        """Register a new charge point (clients see it on their next GET_CHARGE_POINTS)."""
        return self.model.new_charge_point(
            evse_id, name=name, socket_ids=socket_ids, model_type=model_type, history=history
        )

    async def remove_charge_point(self, evse_id: str) -> None:
        """Drop a charge point; commands for it then answer ERROR 2."""
        self.account.charge_points.pop(evse_id, None)
        self.model.recompute_grid()

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


def wire_first_evse(sim: Simulator) -> str:
    """Pick some evse_id to put in injected frames."""
    return next(iter(sim.account.charge_points), "BCU000000")

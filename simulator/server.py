"""The Simulator: an aiohttp server around the account model: lifecycle, URLs, secrets."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import datetime
import hmac
import logging
import secrets
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from . import rest, ws
from .controls import Controls
from .faults import Faults, Stats
from .model import Model
from .transport import LIMIT_CLOSE_CODE, Connection, FrameHook

__all__ = ["LIMIT_CLOSE_CODE", "SIM_KEY", "Connection", "FrameHook", "Simulator"]

_LOGGER = logging.getLogger(__name__)
SIM_KEY: web.AppKey[Simulator] = web.AppKey("simulator")


class Simulator(Controls):
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
        grids: int = 1,
        history: int = 0,
    ) -> None:
        """Build the account now; nothing listens until `start()`.

        `grids` spreads the charge points round-robin over that many grid connections;
        `history` books that many extra past sessions per charge point over the last year.
        """
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
            grids=grids,
            history=history,
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
        # Set while stopping, so REST requests held by `silent_paths` can end.
        self.stopping = asyncio.Event()

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
        self.stopping.set()
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

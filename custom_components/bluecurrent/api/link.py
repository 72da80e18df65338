"""Connection supervision: one logged-in websocket, reconnected with backoff until ``close()``.

It also runs every call through the two checks that span connections: the daily request limit
(nothing is sent while it lasts) and the session token (renewed once when the cloud rejects it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging
import random

import aiohttp

from .const import LIMIT_REASON, USER_AGENT
from .errors import (
    BlueCurrentError,
    CannotConnectError,
    InvalidCredentialsError,
    InvalidSessionTokenError,
    RequestLimitReachedError,
)
from .frames import clone
from .limit import LimitGate
from .login import Login
from .models import ConnectionEvent
from .pushes import EventHub
from .settings import ClientSettings
from .transport import Connection, LogOnce

_LOGGER = logging.getLogger(__name__)


class Link:
    """Owns the websocket and the supervisor task that keeps it open."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: ClientSettings,
        login: Login,
        gate: LimitGate,
        hub: EventHub,
    ) -> None:
        """Store the parts; nothing is opened before ``connect()``."""
        self._session = session
        self._settings = settings
        self._login = login
        self._gate = gate
        self._hub = hub
        self._conn: Connection | None = None
        self._attempt: asyncio.Task[None] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._closed = False
        self._fatal: BlueCurrentError | None = None
        self._state = asyncio.Event()
        self._login_lock = asyncio.Lock()
        self._connected_at = 0.0
        self._log_once = LogOnce()

    @property
    def connected(self) -> bool:
        """Whether the websocket is open and logged in."""
        return not self._closed and self._conn is not None and not self._conn.closed

    async def connect(self, *, wait_for_limit: bool = False) -> None:
        """Open, log in and say HELLO, then supervise; concurrent callers share one attempt."""
        if self._closed:
            raise CannotConnectError("The client is closed")
        if self._supervisor is not None:
            return
        attempt = self._attempt
        if attempt is None:
            attempt = self._attempt = asyncio.get_running_loop().create_task(
                self._first_connect(), name="bluecurrent connect"
            )
            attempt.add_done_callback(self._attempt_done)
        try:
            await asyncio.shield(attempt)
        except RequestLimitReachedError as err:
            if not wait_for_limit or self._closed:
                raise
            if self._supervisor is None:
                _LOGGER.debug("Request limit reached; connecting after the reset")
                self._start(err)

    def _attempt_done(self, attempt: asyncio.Task[None]) -> None:
        self._attempt = None  # the next connect() makes a new attempt
        if not attempt.cancelled():
            attempt.exception()  # retrieved: every caller may have given up waiting

    async def _first_connect(self) -> None:
        await self._open()
        if self._closed:  # close() ran while we were connecting
            conn, self._conn = self._conn, None
            if conn is not None:
                await conn.close()
            raise CannotConnectError("The client is closed")
        self._start(None)

    def _start(self, error: BlueCurrentError | None) -> None:
        """Start supervising; with ``error`` the connection is still to be made."""
        if error is not None:
            self._notify_state()
            self._hub.emit(ConnectionEvent(False, error))
        self._supervisor = asyncio.get_running_loop().create_task(
            self._supervise(error), name="bluecurrent supervisor"
        )

    async def close(self) -> None:
        """Stop reconnecting, close the websocket and fail every pending call. Idempotent."""
        if self._closed:
            return
        self._closed = True
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.cancel()
            await asyncio.wait({supervisor})
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()
        self._notify_state()
        await self._hub.close()

    def _notify_state(self) -> None:
        """Wake every call waiting for the connection to change."""
        self._state.set()
        self._state = asyncio.Event()

    async def _open(self) -> None:
        """One connection attempt: websocket, login unless a session token is cached, HELLO."""
        self._gate.check()
        try:
            conn = await self._open_socket()
            try:
                if self._login.token is None:
                    await self._login.login(conn)
                try:
                    await self._login.hello(conn)
                except InvalidSessionTokenError:
                    _LOGGER.debug("Cached session token rejected; logging in again")
                    self._login.count_relogin()
                    await self._login.login(conn)
                    await self._login.hello(conn)
            except BaseException:
                await conn.close()
                raise
        except RequestLimitReachedError as err:
            self._gate.note(err)
            raise
        self._conn = conn
        self._connected_at = asyncio.get_running_loop().time()
        self._notify_state()

    async def _open_socket(self) -> Connection:
        settings = self._settings
        try:
            async with asyncio.timeout(settings.request_timeout):
                ws = await self._session.ws_connect(
                    settings.ws_url,
                    headers={"User-Agent": USER_AGENT},
                    heartbeat=settings.heartbeat,
                )
        except aiohttp.WSServerHandshakeError as err:
            reason = err.headers.get("x-websocket-reject-reason", "") if err.headers else ""
            if LIMIT_REASON.lower() in reason.lower() or err.status == 429:
                raise RequestLimitReachedError(reason or LIMIT_REASON) from err
            raise CannotConnectError(f"Websocket refused with HTTP {err.status}") from err
        except TimeoutError:
            raise CannotConnectError("Timed out opening the websocket") from None
        except (aiohttp.ClientError, OSError) as err:
            raise CannotConnectError(f"Cannot open the websocket: {type(err).__name__}") from err
        return Connection(ws, self._hub.on_frame, self._log_once)

    async def _supervise(self, error: BlueCurrentError | None) -> None:
        """Reconnect after every drop, until closed or the credentials are rejected.

        While the request limit lasts it sleeps until the reset instead of backing off.
        """
        settings = self._settings
        loop = asyncio.get_running_loop()
        backoff = settings.backoff_initial
        while True:
            if error is None:
                error = await self._lost()
                if error is None:
                    return
                if loop.time() - self._connected_at >= settings.stable_period:
                    backoff = settings.backoff_initial
            while True:
                if (until := self._gate.until) is not None:
                    await self._gate.wait(until)
                else:
                    await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                    backoff = min(backoff * 2, max(settings.backoff_max, settings.backoff_initial))
                try:
                    await self._open()
                except InvalidCredentialsError as err:
                    self._set_fatal(err)
                    return
                except Exception as err:  # a bug must not end reconnecting
                    if not isinstance(err, BlueCurrentError):
                        _LOGGER.exception("Unexpected error while reconnecting")
                        err = CannotConnectError(f"Reconnect failed: {type(err).__name__}")
                    _LOGGER.debug("Reconnect failed: %s", err)
                    if isinstance(err, RequestLimitReachedError) and not isinstance(
                        error, RequestLimitReachedError
                    ):
                        self._hub.emit(ConnectionEvent(False, err))
                    error = err
                    self._notify_state()
                    continue
                break
            error = None
            _LOGGER.debug("Reconnected to the Blue Current cloud")
            self._hub.emit(ConnectionEvent(True, None))

    async def _lost(self) -> BlueCurrentError | None:
        """Wait for the open socket to drop; return why, or None if reconnecting must stop."""
        conn = self._conn
        assert conn is not None
        await conn.wait_closed()
        self._conn = None
        await conn.close()
        if self._fatal is not None:
            return None
        error = conn.error or CannotConnectError("Connection lost")
        if isinstance(error, RequestLimitReachedError):
            self._gate.note(error)
        # Debug only: the application decides how loudly to report it (ConnectionEvent).
        _LOGGER.debug("Lost the Blue Current connection (%s); reconnecting", error)
        self._notify_state()
        self._hub.emit(ConnectionEvent(False, error))
        return error

    def _set_fatal(self, error: BlueCurrentError) -> None:
        _LOGGER.debug("Blue Current rejected the credentials; not reconnecting")
        self._fatal = error
        self._notify_state()
        self._hub.emit(ConnectionEvent(False, error))

    async def ready(self) -> Connection:
        """Return the open connection; while reconnecting, wait up to the request timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._settings.request_timeout
        while True:
            if self._closed:
                raise CannotConnectError("The client is closed")
            if self._fatal is not None:
                raise clone(self._fatal)
            self._gate.check()
            conn = self._conn
            if conn is not None and not conn.closed:
                return conn
            if self._supervisor is None:
                raise CannotConnectError("Not connected; call connect() first")
            state = self._state
            try:
                async with asyncio.timeout(deadline - loop.time()):
                    await state.wait()
            except TimeoutError:
                raise CannotConnectError("Not connected to the Blue Current cloud") from None

    async def _relogin(self, generation: int) -> None:
        """Get a new session token, once for all the calls that saw the old one rejected."""
        async with self._login_lock:
            if generation != self._login.generation:
                return
            self._login.count_relogin()
            conn = await self.ready()
            try:
                await self._login.login(conn)
            except InvalidCredentialsError as err:
                self._set_fatal(err)
                await conn.close()
                raise
            await self._login.hello(conn)

    async def authorized[T](self, call: Callable[[], Awaitable[T]]) -> T:
        """Run a call unless the limit lasts; after a rejected session token, renew it once.

        A request limit the call meets is remembered, so nothing else is sent until the reset.
        """
        self._gate.check()
        generation = self._login.generation
        try:
            try:
                return await call()
            except InvalidSessionTokenError:
                _LOGGER.debug("Session token rejected; logging in again")
            await self._relogin(generation)
            return await call()
        except RequestLimitReachedError as err:
            self._gate.note(err)
            raise

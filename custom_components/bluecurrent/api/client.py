"""Async client for the Blue Current cloud: websocket commands and pushes plus the REST endpoints.

The client keeps one websocket open (a supervisor task reconnects it with backoff), renews a stale
session token by itself, and turns every failure into a typed ``BlueCurrentError``.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime
import json
import logging
import random
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit
import uuid

import aiohttp

from .const import (
    ACTION_TIMEOUT,
    API_URL,
    APP_CARD,
    BACKOFF_INITIAL,
    BACKOFF_MAX,
    BCE_URL,
    EVENT_QUEUE_SIZE,
    HEARTBEAT,
    LIMIT_REASON,
    LIMIT_RESET_GRACE,
    LIMIT_RETRY,
    LIMIT_SLEEP_STEP,
    MAX_RELOGINS,
    NO_CARD_UIDS,
    PASSPHRASE,
    RELOGIN_WINDOW,
    REQUEST_TIMEOUT,
    STABLE_PERIOD,
    TIMEZONE,
    USER_AGENT,
    WS_URL,
)
from .crypto import sjcl_encrypt
from .errors import (
    ActionRejectedError,
    ApiError,
    BlueCurrentError,
    CannotConnectError,
    ForbiddenError,
    InvalidCredentialsError,
    InvalidSessionTokenError,
    MalformedFrameError,
    RequestLimitReachedError,
    RequestTimeoutError,
)
from .models import (
    Account,
    ActionEvent,
    ActionResult,
    ChargeCard,
    ChargePoint,
    ChargePointStatus,
    ConnectionEvent,
    Contract,
    Event,
    Grid,
    GridEvent,
    GridStatus,
    SettingsEvent,
    Sustainability,
    Transaction,
    TransactionPage,
    parse_account,
    parse_action_result,
    parse_charge_cards,
    parse_charge_point_settings,
    parse_charge_point_statuses,
    parse_charge_points,
    parse_contracts,
    parse_grid_frame,
    parse_grids,
    parse_status_push,
    parse_sustainability,
    parse_transaction_page,
)
from .transport import Connection, Frame, LogOnce, clone, decode_json, error_from_frame

_LOGGER = logging.getLogger(__name__)

# Replies to logins carry the session token: never hand them out as events.
_PRIVATE_REPLIES = frozenset({"STATUS_PASSWORD", "STATUS_API_TOKEN"})


def _status_url(api_url: str) -> str:
    """Derive the v2.1 sibling of the bc_api base, which serves the multi-socket status."""
    base = api_url.rstrip("/")
    return base[: -len("v2.0")] + "v2.1" if base.endswith("v2.0") else base


def _is_verdict(frame: Frame) -> bool:
    """Tell the last frame of an action: its STATUS_, or a RECEIVED_ that already failed."""
    name = frame.get("object")
    return (isinstance(name, str) and name.startswith("STATUS_")) or frame.get(
        "success"
    ) is not True


class _EventStream:
    """The async iterator ``events()`` returns; it registers at once so no event is missed."""

    def __init__(self, client: BlueCurrentClient) -> None:
        self._client = client
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue(EVENT_QUEUE_SIZE)
        self._warned = False

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Event:
        item = await self._queue.get()
        if item is None:
            self._queue.put_nowait(None)  # stay finished
            raise StopAsyncIteration
        return item

    def put(self, item: Event | None) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            if not self._warned:
                self._warned = True
                _LOGGER.warning("An events() reader is not keeping up; dropping old events")
        self._queue.put_nowait(item)

    async def aclose(self) -> None:
        """Stop receiving events."""
        self._client._streams.discard(self)
        self.put(None)


class BlueCurrentClient:
    """Client for one Blue Current account.

    Log in with ``username`` + ``password`` (the app's way) or with an ``api_token`` (the "home
    automation key"). ``connect()`` must succeed before any call.
    """

    #: Uptime after which the reconnect backoff starts over.
    stable_period: float = STABLE_PERIOD
    #: Websocket ping interval in seconds (None: no pings).
    heartbeat: float | None = HEARTBEAT
    max_relogins: int = MAX_RELOGINS
    relogin_window: float = RELOGIN_WINDOW

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        username: str | None = None,
        password: str | None = None,
        api_token: str | None = None,
        ws_url: str = WS_URL,
        api_url: str = API_URL,
        bce_url: str = BCE_URL,
        request_timeout: float = REQUEST_TIMEOUT,
        action_timeout: float = ACTION_TIMEOUT,
        backoff_initial: float = BACKOFF_INITIAL,
        backoff_max: float = BACKOFF_MAX,
    ) -> None:
        """Store the settings; nothing is opened before ``connect()``."""
        if not api_token and not (username and password):
            raise ValueError("Give username and password, or an API token")
        self._session = session
        self._username = username
        self._password = password
        self._api_token = api_token
        self._ws_url = ws_url
        self._api_url = api_url.rstrip("/")
        self._status_url = _status_url(api_url)
        self._bce_url = bce_url.rstrip("/")
        self._request_timeout = request_timeout
        self._action_timeout = action_timeout
        self._backoff_initial = backoff_initial
        self._backoff_max = max(backoff_max, backoff_initial)
        self.customer_id: str | None = None
        self._token: str | None = None
        self._token_generation = 0
        self._conn: Connection | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._closed = False
        self._fatal: BlueCurrentError | None = None
        self._last_error: BlueCurrentError | None = None
        self._state = asyncio.Event()
        self._login_lock = asyncio.Lock()
        self._relogins: deque[float] = deque()
        self._connected_at = 0.0
        self._listeners: list[Callable[[Event], None]] = []
        self._streams: set[_EventStream] = set()
        self._log_once = LogOnce()

    def __repr__(self) -> str:
        """Show who, never a secret."""
        who = f"username={self._username!r}" if self._username else "api_token=***"
        return f"<BlueCurrentClient {who} connected={self.connected}>"

    # -----------------------------------------------------------------------------------------
    # Lifecycle

    @property
    def connected(self) -> bool:
        """Whether the websocket is open and logged in."""
        return not self._closed and self._conn is not None and not self._conn.closed

    async def connect(self) -> None:
        """Open the websocket, log in and say HELLO; then keep it open until ``close()``.

        Raises the first attempt's error (e.g. ``InvalidCredentialsError``) instead of retrying.
        """
        if self._closed:
            raise CannotConnectError("The client is closed")
        if self._supervisor is not None:
            return
        await self._open()
        if self._is_closed():  # close() ran while we were connecting
            conn, self._conn = self._conn, None
            if conn is not None:
                await conn.close()
            raise CannotConnectError("The client is closed")
        self._supervisor = asyncio.get_running_loop().create_task(
            self._supervise(), name="bluecurrent supervisor"
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
        for stream in list(self._streams):
            await stream.aclose()

    async def __aenter__(self) -> Self:
        """Connect."""
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close."""
        await self.close()

    def _is_closed(self) -> bool:
        """Read the flag afresh (an await may have passed since the last check)."""
        return self._closed

    def _notify_state(self) -> None:
        """Wake every call waiting for the connection to change."""
        self._state.set()
        self._state = asyncio.Event()

    async def _open(self) -> None:
        """One connection attempt: websocket, login unless a session token is cached, HELLO."""
        conn = await self._open_socket()
        try:
            if self._token is None:
                await self._login(conn)
            try:
                await self._hello(conn)
            except InvalidSessionTokenError:
                _LOGGER.debug("Cached session token rejected; logging in again")
                self._count_relogin()
                await self._login(conn)
                await self._hello(conn)
        except BaseException:
            await conn.close()
            raise
        self._conn = conn
        self._connected_at = asyncio.get_running_loop().time()
        self._last_error = None
        self._notify_state()

    async def _open_socket(self) -> Connection:
        try:
            async with asyncio.timeout(self._request_timeout):
                ws = await self._session.ws_connect(
                    self._ws_url, headers={"User-Agent": USER_AGENT}, heartbeat=self.heartbeat
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
        return Connection(ws, self._handle_push, self._log_once)

    async def _supervise(self) -> None:
        """Reconnect after every drop, until closed or the credentials are rejected."""
        loop = asyncio.get_running_loop()
        backoff = self._backoff_initial
        limit_reset: datetime | None = None
        while (conn := self._conn) is not None:
            await conn.wait_closed()
            self._conn = None
            await conn.close()
            if self._fatal is not None:
                return
            error = conn.error or CannotConnectError("Connection lost")
            if loop.time() - self._connected_at >= self.stable_period:
                backoff = self._backoff_initial
            # Debug only: the application decides how loudly to report it (ConnectionEvent).
            _LOGGER.debug("Lost the Blue Current connection (%s); reconnecting", error)
            self._last_error = error
            self._notify_state()
            self._emit(ConnectionEvent(False, error))
            while True:
                if isinstance(error, RequestLimitReachedError) and (
                    limit_reset is None or datetime.now(TIMEZONE) - limit_reset > LIMIT_RETRY
                ):
                    # Wait for the daily reset; if the cloud still refuses just after it,
                    # fall back to the normal backoff for a while rather than a whole day.
                    limit_reset = error.reset_at
                    await self._sleep_until(error.reset_at + LIMIT_RESET_GRACE)
                else:
                    await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                    backoff = min(backoff * 2, self._backoff_max)
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
                        self._emit(ConnectionEvent(False, err))
                    error = self._last_error = err
                    self._notify_state()
                    continue
                break
            _LOGGER.debug("Reconnected to the Blue Current cloud")
            self._emit(ConnectionEvent(True, None))

    @staticmethod
    async def _sleep_until(when: datetime) -> None:
        """Sleep by the wall clock in short steps, so a suspended host still wakes on time."""
        while True:
            remaining = (when - datetime.now(TIMEZONE)).total_seconds()
            if remaining <= 0:
                return
            await asyncio.sleep(min(remaining, LIMIT_SLEEP_STEP))

    def _set_fatal(self, error: BlueCurrentError) -> None:
        _LOGGER.debug("Blue Current rejected the credentials; not reconnecting")
        self._fatal = self._last_error = error
        self._notify_state()
        self._emit(ConnectionEvent(False, error))

    async def _ready(self) -> Connection:
        """Return the open connection; while reconnecting, wait up to the request timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._request_timeout
        while True:
            if self._closed:
                raise CannotConnectError("The client is closed")
            if self._fatal is not None:
                raise clone(self._fatal)
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
                if isinstance(self._last_error, RequestLimitReachedError):
                    raise clone(self._last_error) from None
                raise CannotConnectError("Not connected to the Blue Current cloud") from None

    # -----------------------------------------------------------------------------------------
    # Login and session token

    async def _login(self, conn: Connection) -> None:
        if self._api_token:
            reply = await self._exchange(
                conn,
                {"command": "VALIDATE_API_TOKEN", "token": self._api_token},
                ("STATUS_API_TOKEN",),
                authorized=False,
            )
            if reply.get("success") is not True:
                raise InvalidCredentialsError("The API token was rejected")
            customer_id = reply.get("customer_id")
            if customer_id is not None:
                self.customer_id = str(customer_id)
        else:
            password = sjcl_encrypt(self._password or "", PASSPHRASE)
            reply = await self._exchange(
                conn,
                {"command": "VALIDATE_PASSWORD", "username": self._username, "password": password},
                ("STATUS_PASSWORD",),
                authorized=False,
            )
            if reply.get("accepted") is not True:
                raise InvalidCredentialsError("The username or password was rejected")
        token = reply.get("token")
        if not isinstance(token, str) or not token:
            raise MalformedFrameError("Login reply without a session token")
        self._token = token
        self._token_generation += 1
        _LOGGER.debug("Logged in")

    async def _hello(self, conn: Connection) -> None:
        """HELLO makes the cloud push updates to this socket."""
        await self._exchange(conn, {"command": "HELLO"}, ("HELLO",))

    def _count_relogin(self) -> None:
        """Allow a few re-logins per window, so a cloud that rejects every token is not hammered."""
        now = asyncio.get_running_loop().time()
        while self._relogins and now - self._relogins[0] > self.relogin_window:
            self._relogins.popleft()
        if len(self._relogins) >= self.max_relogins:
            raise InvalidSessionTokenError(
                f"Session token rejected after {self.max_relogins} re-logins"
                f" in {self.relogin_window:g} s"
            )
        self._relogins.append(now)

    async def _relogin(self, generation: int) -> None:
        """Get a new session token, once for all the calls that saw the old one rejected."""
        async with self._login_lock:
            if generation != self._token_generation:
                return
            self._count_relogin()
            conn = await self._ready()
            try:
                await self._login(conn)
            except InvalidCredentialsError as err:
                self._set_fatal(err)
                await conn.close()
                raise
            await self._hello(conn)

    async def _authorized[T](self, call: Callable[[], Awaitable[T]]) -> T:
        """Run a call; if the session token was rejected, log in again and retry it once."""
        generation = self._token_generation
        try:
            return await call()
        except InvalidSessionTokenError:
            _LOGGER.debug("Session token rejected; logging in again")
        await self._relogin(generation)
        return await call()

    # -----------------------------------------------------------------------------------------
    # Websocket calls

    async def _exchange(
        self,
        conn: Connection,
        payload: Mapping[str, Any],
        names: tuple[str, ...],
        *,
        evse_id: str | None = None,
        authorized: bool = True,
    ) -> Frame:
        waiter = conn.register(names, evse_id=evse_id)
        try:
            message = dict(payload)
            if authorized:
                message["Authorization"] = f"Token {self._token}"
            await conn.send(message)
            return await waiter.get(self._request_timeout)
        finally:
            conn.unregister(waiter)

    async def _request(self, payload: Mapping[str, Any], name: str) -> Frame:
        evse_id = payload.get("evse_id") if isinstance(payload.get("evse_id"), str) else None

        async def call() -> Frame:
            conn = await self._ready()
            return await self._exchange(conn, payload, (name,), evse_id=evse_id)

        return await self._authorized(call)

    async def _action(self, command: str, evse_id: str, **fields: Any) -> ActionResult:
        """Send an action; wait for RECEIVED_ (request timeout) then STATUS_ (action timeout)."""
        flow_id = str(uuid.uuid4())

        async def call() -> ActionResult:
            conn = await self._ready()
            waiter = conn.register(
                (f"RECEIVED_{command}", f"STATUS_{command}"),
                evse_id=evse_id,
                flow_id=flow_id,
                is_final=_is_verdict,
            )
            try:
                await conn.send(
                    {
                        "command": command,
                        "evse_id": evse_id,
                        **fields,
                        "flow_id": flow_id,
                        "Authorization": f"Token {self._token}",
                    }
                )
                timeout = self._request_timeout
                while True:
                    frame = await waiter.get(timeout)
                    if _is_verdict(frame):
                        return self._verdict(frame)
                    timeout = self._action_timeout
            finally:
                conn.unregister(waiter)

        return await self._authorized(call)

    @staticmethod
    def _verdict(frame: Frame) -> ActionResult:
        result = parse_action_result(frame)
        if not result.success:
            raise ActionRejectedError(
                f"{result.command} failed: {result.error or 'no reason given'}", result
            )
        return result

    # -----------------------------------------------------------------------------------------
    # Pushes

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback`` (in the event loop) for every event; return the unsubscriber."""
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def events(self) -> _EventStream:
        """Iterate over the same events; the iteration ends when the client closes."""
        stream = _EventStream(self)
        if self._closed:
            stream.put(None)
        else:
            self._streams.add(stream)
        return stream

    def _emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                _LOGGER.exception("Error in a Blue Current event listener")
        for stream in self._streams:
            stream.put(event)

    def _handle_push(self, name: str, frame: Frame) -> None:
        """Turn a frame no call was waiting for into an event (parse errors go to the reader)."""
        event: Event
        if name == "CH_STATUS":
            event = parse_status_push(frame)
        elif name in ("GRID_CURRENT", "GRID_STATUS"):
            event = GridEvent(parse_grid_frame(frame))
        elif name == "CH_SETTINGS":
            settings = parse_charge_point_settings(frame)
            event = SettingsEvent(settings.evse_id, settings)
        elif name.startswith(("STATUS_", "RECEIVED_")) and name not in _PRIVATE_REPLIES:
            event = ActionEvent(parse_action_result(frame))
        else:
            _LOGGER.debug("Ignoring a %s frame", name)
            return
        self._emit(event)

    # -----------------------------------------------------------------------------------------
    # REST

    async def _rest(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        bare_token: bool = False,
    ) -> Any:
        """Make a REST call with the session token; return the JSON body, or None if there is none.

        The bce action API authenticates with the bare token (``bare_token``) and its
        ``success: false`` answers are rejections of the action.
        """

        async def call() -> Any:
            if self._token is None:
                await self._ready()
            token = self._token or ""
            headers = {
                "Authorization": token if bare_token else f"Token {token}",
                "User-Agent": USER_AGENT,
            }
            if body is not None:
                headers["Content-Type"] = "application/json"
            return await self._http(method, url, params, body, headers, action=bare_token)

        return await self._authorized(call)

    async def _http(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        body: Any,
        headers: dict[str, str],
        *,
        action: bool,
    ) -> Any:
        path = urlsplit(url).path
        data = json.dumps(body).encode() if body is not None else None
        try:
            async with (
                asyncio.timeout(self._request_timeout),
                self._session.request(
                    method, url, params=params, data=data, headers=headers
                ) as response,
            ):
                status = response.status
                raw = await response.read()
        except TimeoutError:
            raise RequestTimeoutError(
                f"No answer to {method} {path} within {self._request_timeout:g} s"
            ) from None
        except (aiohttp.ClientError, OSError) as err:
            raise CannotConnectError(f"{method} {path} failed: {type(err).__name__}") from err
        _LOGGER.debug("%s %s: HTTP %s", method, path, status)
        try:
            result = decode_json(raw.decode("utf-8", errors="replace")) if raw.strip() else None
        except ValueError:
            result = None  # judged by the status below; a 2xx then fails as malformed
        if status == 429:
            raise RequestLimitReachedError(LIMIT_REASON)
        if status >= 500:
            raise CannotConnectError(f"{method} {path}: HTTP {status}")
        if status >= 400:
            if isinstance(result, dict) and result.get("object") == "ERROR":
                raise error_from_frame(result)
            if status == 401:
                raise InvalidSessionTokenError(f"{method} {path}: HTTP 401")
            if status == 403:
                raise ForbiddenError(f"{method} {path}: HTTP 403")
            raise ApiError(status, f"{method} {path}: HTTP {status}")
        if isinstance(result, dict) and result.get("success") is False:
            error = result.get("error")
            text = error if isinstance(error, str) and error else "no reason given"
            if action:
                raise ActionRejectedError(f"{path} failed: {text}", reason=text)
            raise ApiError(None, text)
        return result

    async def _rest_json(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        result = await self._rest(method, url, **kwargs)
        if not isinstance(result, dict):
            raise MalformedFrameError(f"{urlsplit(url).path}: the answer is not a JSON object")
        return result

    # -----------------------------------------------------------------------------------------
    # Reads

    async def get_account(self) -> Account:
        """Fetch the account's details."""
        return parse_account(await self._request({"command": "GET_ACCOUNT"}, "ACCOUNT"))

    async def get_charge_cards(self) -> list[ChargeCard]:
        """Fetch the account's charge cards."""
        return parse_charge_cards(
            await self._request({"command": "GET_CHARGE_CARDS"}, "CHARGE_CARDS")
        )

    async def get_charge_points(self) -> list[ChargePoint]:
        """Fetch the account's charge points with their settings."""
        return parse_charge_points(
            await self._request({"command": "GET_CHARGE_POINTS"}, "CHARGE_POINTS")
        )

    async def get_charge_point_settings(self, evse_id: str) -> ChargePoint:
        """Fetch one charge point's settings (the same data as its get_charge_points item)."""
        return parse_charge_point_settings(
            await self._request({"command": "GET_CH_SETTINGS", "evse_id": evse_id}, "CH_SETTINGS")
        )

    async def get_grid_status(self, evse_id: str) -> GridStatus:
        """Fetch the currents of the grid connection this charge point is on."""
        return parse_grid_frame(
            await self._request({"command": "GET_GRID_STATUS", "evse_id": evse_id}, "GRID_STATUS")
        )

    async def get_sustainability_status(self) -> Sustainability:
        """Fetch the trees and CO2 saved over all charge points."""
        return parse_sustainability(
            await self._request({"command": "GET_SUSTAINABILITY_STATUS"}, "SUSTAINABILITY_STATUS")
        )

    async def get_charge_point_statuses(self, evse_id: str) -> list[ChargePointStatus]:
        """Fetch the status of every socket of a charge point (REST v2.1)."""
        body = await self._rest_json(
            "GET", f"{self._status_url}/chargepointstatus", params={"evse_id": evse_id}
        )
        return parse_charge_point_statuses(body)

    async def get_charge_point_status(
        self, evse_id: str, socket_id: int | None = None
    ) -> ChargePointStatus:
        """Fetch the status of one socket; without ``socket_id`` the first one."""
        statuses = await self.get_charge_point_statuses(evse_id)
        for status in statuses:
            if socket_id is None or status.socket_id == socket_id:
                return status
        what = f"socket {socket_id} of {evse_id}" if socket_id is not None else evse_id
        raise ApiError(None, f"No status for {what}")

    async def get_contracts(self) -> list[Contract]:
        """Fetch the account's subscription contracts."""
        return parse_contracts(await self._rest_json("GET", f"{self._api_url}/getcontracts"))

    async def get_grids(self) -> list[Grid]:
        """Fetch the account's grid connections."""
        return parse_grids(await self._rest_json("GET", f"{self._api_url}/getgrids"))

    async def get_transactions(
        self, evse_id: str | Sequence[str], newest_first: bool = True, page: int = 1
    ) -> TransactionPage:
        """Fetch one page (25 items) of completed sessions, sorted by their end.

        ``evse_id`` may name several charge points: one stream for all of them costs one request
        per page instead of one per charge point.
        """
        evse_ids = [evse_id] if isinstance(evse_id, str) else list(evse_id)
        params = {
            "page": str(page),
            "sort_field_order": "DESC" if newest_first else "ASC",
            "sort_field": "stoppedtimestamp",
        }
        body = await self._rest_json(
            "POST",
            f"{self._api_url}/gettransactions",
            params=params,
            body={"chargepoints": [{"chargepoint_id": e} for e in evse_ids]},
        )
        return parse_transaction_page(body)

    async def iterate_transactions(
        self, evse_id: str | Sequence[str], newest_first: bool = True
    ) -> AsyncGenerator[Transaction]:
        """Yield every completed session of one or several charge points, page by page."""
        page: int | None = 1
        seen: set[int] = set()
        while page is not None and page not in seen:
            seen.add(page)
            result = await self.get_transactions(evse_id, newest_first, page)
            for transaction in result.transactions:
                yield transaction
            page = result.next_page

    # -----------------------------------------------------------------------------------------
    # Actions

    async def set_plug_and_charge_charge_card(self, evse_id: str, uid: str | None) -> None:
        """Pick the card plug-and-charge sessions are billed to; None for no card."""
        token_uid = APP_CARD if uid is None or uid in NO_CARD_UIDS else uid
        await self._action("SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id, token_uid=token_uid)

    async def set_plug_and_charge(self, evse_id: str, enabled: bool) -> ActionResult:
        """Start charging as soon as a car is plugged in, without a card."""
        return await self._action("SET_PLUG_AND_CHARGE", evse_id, value=enabled)

    async def set_public_charging(self, evse_id: str, enabled: bool) -> ActionResult:
        """Let anyone charge (True) or only the account's linked cards (False)."""
        return await self._action("SET_PUBLIC_CHARGING", evse_id, value=enabled)

    async def start_session(self, evse_id: str, card: str | None = None) -> ActionResult:
        """Start charging, billed to ``card`` (its id or uid); None charges without a card."""
        return await self._action("START_SESSION", evse_id, session_token=card or APP_CARD)

    async def stop_session(self, evse_id: str) -> ActionResult:
        """Stop the running session."""
        return await self._action("STOP_SESSION", evse_id)

    async def soft_reset(self, evse_id: str) -> ActionResult:
        """Restart the charge point's software."""
        return await self._action("SOFT_RESET", evse_id)

    async def reboot(self, evse_id: str) -> ActionResult:
        """Power-cycle the charge point."""
        return await self._action("REBOOT", evse_id)

    async def set_status(self, evse_id: str, enabled: bool, socket_id: int | None = None) -> None:
        """Enable or block a socket; without ``socket_id`` every socket of the charge point.

        The request goes over REST; the verdict comes back as a websocket push.
        """
        sockets = [socket_id] if socket_id is not None else await self._socket_ids(evse_id)
        for socket in sockets:
            await self._set_operative(evse_id, enabled, socket)

    async def _set_operative(self, evse_id: str, enabled: bool, socket_id: int) -> None:
        action, name = (
            ("setoperative", "STATUS_SET_OPERATIVE")
            if enabled
            else ("setinoperative", "STATUS_SET_INOPERATIVE")
        )
        flow_id = str(uuid.uuid4())
        conn = await self._ready()
        # Listen before posting: the push can beat the HTTP answer.
        waiter = conn.register((name,), evse_id=evse_id, flow_id=flow_id, takes_errors=False)
        try:
            await self._rest(
                "POST",
                f"{self._bce_url}/chargepoints/actions/{action}",
                body={"chargepoint_id": evse_id, "socket_id": socket_id, "flow_id": flow_id},
                bare_token=True,
            )
            frame = await waiter.get(self._action_timeout)
        finally:
            conn.unregister(waiter)
        self._verdict(frame)

    async def unlock_connector(self, evse_id: str, socket_id: int | None = None) -> None:
        """Release the cable lock (first socket by default); the cloud sends no verdict."""
        if socket_id is None:
            socket_id = (await self._socket_ids(evse_id))[0]
        await self._rest(
            "POST",
            f"{self._bce_url}/chargepoints/actions/unlockconnector",
            body={"chargepoint_id": evse_id, "socket_id": socket_id, "flow_id": "flow"},
            bare_token=True,
        )

    async def _socket_ids(self, evse_id: str) -> list[int]:
        statuses = await self.get_charge_point_statuses(evse_id)
        return [s.socket_id for s in statuses if s.socket_id is not None] or [1]

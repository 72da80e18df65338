"""One websocket connection: sends commands, reads frames and routes each to its waiting call.

The cloud sends no request ids, so replies are matched by object name, then by ``evse_id`` and
``flow_id`` when the reply carries them; calls of the same kind are served first come, first served.
Frames no call is waiting for go to ``on_push``. The connection knows nothing about logins or
reconnects; ``BlueCurrentClient`` owns those.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
import contextlib
import copy
import json
import logging
from typing import Any, Final

import aiohttp

from .const import LIMIT_CLOSE_CODE, LIMIT_REASON, MAX_JSON_DEPTH
from .errors import (
    ApiError,
    BlueCurrentError,
    CannotConnectError,
    ForbiddenError,
    InvalidSessionTokenError,
    MalformedFrameError,
    RequestLimitReachedError,
    RequestTimeoutError,
)

_LOGGER = logging.getLogger(__name__)

_SECRET_KEYS: Final = ("authorization", "token", "password")

type Frame = dict[str, Any]


def decode_json(text: str) -> Any:
    """Decode a frame or body; anything that is not JSON, or nested too deep, is a ValueError.

    ``json.loads`` raises RecursionError (not ValueError) on very deep nesting, and a merely deep
    document would make the recursive code after it (redaction, parsers, diagnostics) fail.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("nested too deep") from None
    # Counting brackets is cheap and bounds the depth, so most frames skip the walk.
    if text.count("{") + text.count("[") > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise ValueError("nested too deep")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Tell whether containers nest deeper than ``limit``, without recursing."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Collection[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def redact(value: Any) -> Any:
    """Copy of a frame with every credential-like field masked, for debug logs."""
    if isinstance(value, Mapping):
        return {
            key: "***"
            if isinstance(key, str) and any(word in key.lower() for word in _SECRET_KEYS)
            else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def clone(error: BlueCurrentError) -> BlueCurrentError:
    """Copy an error, so one failure raised in many calls does not share a traceback."""
    return copy.copy(error)


def error_from_frame(frame: Mapping[str, Any]) -> BlueCurrentError:
    """Map an ERROR frame (websocket, or the same body over REST) to a typed error."""
    code = frame.get("error")
    message = frame.get("message")
    text = message if isinstance(message, str) else ""
    if code == 1:
        return InvalidSessionTokenError(text or "Invalid Auth Token")
    if code == 2:
        return ForbiddenError(text or "forbidden")
    if code == 42:
        return RequestLimitReachedError(text or LIMIT_REASON)
    return ApiError(code if isinstance(code, int) and not isinstance(code, bool) else None, text)


class LogOnce:
    """Warns the first time a kind of bad frame shows up, then only debug-logs it."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def __call__(self, kind: str, message: str, *args: object) -> None:
        level = logging.DEBUG if kind in self._seen else logging.WARNING
        self._seen.add(kind)
        _LOGGER.log(level, message, *args)


class Waiter:
    """A call waiting for reply frames; frames queue up so none is lost between two awaits."""

    def __init__(
        self,
        names: Collection[str],
        evse_id: str | None,
        flow_id: str | None,
        is_final: Callable[[Frame], bool],
        takes_errors: bool,
    ) -> None:
        self.names = frozenset(names)
        self.evse_id = evse_id
        self.flow_id = flow_id
        self.is_final = is_final
        # False for a call whose reply is a push triggered over REST: it sent no websocket
        # command, so an ERROR without a flow_id cannot be its answer.
        self.takes_errors = takes_errors
        self.queue: asyncio.Queue[Frame | BlueCurrentError] = asyncio.Queue()

    def matches(self, name: str, frame: Frame) -> bool:
        """Check the object name, and that no evse_id/flow_id says the frame is another call's."""
        if name not in self.names:
            return False
        evse_id = frame.get("evse_id")
        foreign_evse = isinstance(evse_id, str) and evse_id and evse_id != self.evse_id
        if self.evse_id is not None and foreign_evse:
            return False
        flow_id = frame.get("flow_id")
        if self.flow_id is not None and isinstance(flow_id, str) and flow_id:
            return flow_id == self.flow_id
        return True

    async def get(self, seconds: float) -> Frame:
        """Wait for the next frame, or raise the error that ended the call."""
        try:
            async with asyncio.timeout(seconds):
                item = await self.queue.get()
        except TimeoutError:
            raise RequestTimeoutError(
                f"No {'/'.join(sorted(self.names))} reply within {seconds:g} s"
            ) from None
        if isinstance(item, BlueCurrentError):
            raise item
        if item.get("object") == "ERROR":
            raise error_from_frame(item)
        return item


class Connection:
    """An open, supervised-from-outside websocket."""

    def __init__(
        self,
        ws: aiohttp.ClientWebSocketResponse,
        on_push: Callable[[str, Frame], None],
        log_once: LogOnce,
    ) -> None:
        self._ws = ws
        self._on_push = on_push
        self._log_once = log_once
        self._waiters: list[Waiter] = []
        self.error: BlueCurrentError | None = None
        self._reader = asyncio.get_running_loop().create_task(
            self._read(), name="bluecurrent websocket reader"
        )

    @property
    def closed(self) -> bool:
        """Whether the socket has dropped or been closed."""
        return self.error is not None

    async def wait_closed(self) -> None:
        """Block until the socket drops."""
        await asyncio.wait({self._reader})

    async def close(self) -> None:
        """Close the socket and fail every waiting call."""
        self._fail_all(CannotConnectError("Connection closed"))
        self._reader.cancel()
        await asyncio.wait({self._reader})
        with contextlib.suppress(Exception):
            await self._ws.close()

    def register(
        self,
        names: Collection[str],
        *,
        evse_id: str | None = None,
        flow_id: str | None = None,
        is_final: Callable[[Frame], bool] = lambda _frame: True,
        takes_errors: bool = True,
    ) -> Waiter:
        """Start waiting before sending, so a fast reply cannot slip past."""
        if self.error is not None:
            raise clone(self.error)
        waiter = Waiter(names, evse_id, flow_id, is_final, takes_errors)
        self._waiters.append(waiter)
        return waiter

    def unregister(self, waiter: Waiter) -> None:
        """Stop routing frames to a finished call."""
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)

    async def send(self, payload: Mapping[str, Any]) -> None:
        """Send one command."""
        if self.error is not None:
            raise clone(self.error)
        if _LOGGER.isEnabledFor(logging.DEBUG):
            _LOGGER.debug("Sending %s", redact(payload))
        try:
            await self._ws.send_str(json.dumps(payload))
        except (aiohttp.ClientError, ConnectionError, RuntimeError) as err:
            raise CannotConnectError(f"Sending failed: {type(err).__name__}") from None

    async def _read(self) -> None:
        error: BlueCurrentError = CannotConnectError("Connection lost")
        try:
            async for message in self._ws:
                if message.type is aiohttp.WSMsgType.TEXT:
                    self._dispatch(message.data)
                elif message.type is aiohttp.WSMsgType.BINARY:
                    self._log_once("binary", "Skipping a binary websocket frame")
            if self._ws.close_code == LIMIT_CLOSE_CODE:
                error = RequestLimitReachedError(LIMIT_REASON)
            else:
                error = CannotConnectError(f"Connection closed (code {self._ws.close_code})")
        except asyncio.CancelledError:
            error = CannotConnectError("Connection closed")
            raise
        except Exception as err:
            _LOGGER.debug("Websocket reader stopped: %s", type(err).__name__)
            error = CannotConnectError(f"Connection lost: {type(err).__name__}")
        finally:
            self._fail_all(error)

    def _fail_all(self, error: BlueCurrentError) -> None:
        if self.error is None:
            self.error = error
        for waiter in self._waiters:
            waiter.queue.put_nowait(clone(self.error))
        self._waiters.clear()

    def _dispatch(self, text: str) -> None:
        try:
            frame = decode_json(text)
        except ValueError:
            self._log_once(
                "json",
                "Skipping a websocket frame that is not JSON or nested too deep (%d chars)",
                len(text),
            )
            return
        if not isinstance(frame, dict):
            self._log_once("shape", "Skipping a websocket frame that is not a JSON object")
            return
        name = frame.get("object")
        if not isinstance(name, str) or not name:
            self._log_once("object", "Skipping a websocket frame without an object name")
            return
        if _LOGGER.isEnabledFor(logging.DEBUG):  # redacting copies the whole frame
            _LOGGER.debug("Received %s", redact(frame))
        if name == "ERROR":
            self._route_error(frame)
            return
        for waiter in self._waiters:
            if waiter.matches(name, frame):
                waiter.queue.put_nowait(frame)
                if waiter.is_final(frame):
                    self._waiters.remove(waiter)
                return
        try:
            self._on_push(name, frame)
        except MalformedFrameError as err:
            self._log_once(f"push:{name}", "Skipping a malformed %s frame: %s", name, err)

    def _route_error(self, frame: Frame) -> None:
        """Route an ERROR by its flow_id, or without one to the oldest waiting call."""
        flow_id = frame.get("flow_id")
        target = None
        if isinstance(flow_id, str) and flow_id:
            target = next((w for w in self._waiters if w.flow_id == flow_id), None)
        else:
            target = next((w for w in self._waiters if w.takes_errors), None)
        if target is None:
            self._log_once("error", "ERROR frame that no call is waiting for: %s", redact(frame))
            return
        self._waiters.remove(target)
        target.queue.put_nowait(frame)

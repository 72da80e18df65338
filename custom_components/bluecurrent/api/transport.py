"""One websocket connection: sends commands, reads frames and routes each to its waiting call.

The cloud sends no request ids, so replies are matched by object name, then by ``evse_id`` and
``flow_id`` when the reply carries them; calls of the same kind are served first come, first served.
Frames no call is waiting for go to ``on_push``. The connection knows nothing about logins or
reconnects; ``link.Link`` owns those.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
import contextlib
import json
import logging
from typing import Any

import aiohttp

from .const import LIMIT_CLOSE_CODE, LIMIT_REASON
from .errors import (
    BlueCurrentError,
    CannotConnectError,
    MalformedFrameError,
    RequestLimitReachedError,
    RequestTimeoutError,
)
from .frames import Frame, clone, decode_json, error_from_frame
from .redact import redact

_LOGGER = logging.getLogger(__name__)


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

    async def exchange(
        self,
        payload: Mapping[str, Any],
        names: Collection[str],
        seconds: float,
        evse_id: str | None = None,
    ) -> Frame:
        """Send one command and return its reply within ``seconds`` (for ``evse_id`` if given)."""
        waiter = self.register(names, evse_id=evse_id)
        try:
            await self.send(payload)
            return await waiter.get(seconds)
        finally:
            self.unregister(waiter)

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

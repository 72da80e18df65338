"""Fan-out of events: frames no call claimed become typed events for listeners and iterators."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import logging
from typing import Self

from .frames import Frame
from .models import (
    ActionEvent,
    Event,
    GridEvent,
    SettingsEvent,
    parse_action_result,
    parse_charge_point_settings,
    parse_grid_frame,
    parse_status_push,
)

_LOGGER = logging.getLogger(__name__)

# Replies to logins carry the session token: never hand them out as events.
_PRIVATE_REPLIES = frozenset({"STATUS_PASSWORD", "STATUS_API_TOKEN"})


class EventStream:
    """The async iterator ``events()`` returns; it registers at once so no event is missed."""

    def __init__(self, hub: EventHub, size: int) -> None:
        self._hub = hub
        self._queue: asyncio.Queue[Event | None] = asyncio.Queue(size)
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
        """Queue an event (None ends the stream); a full queue loses its oldest event."""
        if self._queue.full():
            self._queue.get_nowait()
            if not self._warned:
                self._warned = True
                _LOGGER.warning("An events() reader is not keeping up; dropping old events")
        self._queue.put_nowait(item)

    async def aclose(self) -> None:
        """Stop receiving events."""
        self._hub.discard(self)
        self.put(None)


class EventHub:
    """Delivers each event to every subscriber callback and every open ``events()`` stream."""

    def __init__(self, queue_size: int) -> None:
        self._queue_size = queue_size
        self._listeners: list[Callable[[Event], None]] = []
        self._streams: set[EventStream] = set()
        self._closed = False

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback`` for every event; return the unsubscriber."""
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def stream(self) -> EventStream:
        """Open an iterator over the events; it is already finished once the hub is closed."""
        stream = EventStream(self, self._queue_size)
        if self._closed:
            stream.put(None)
        else:
            self._streams.add(stream)
        return stream

    def discard(self, stream: EventStream) -> None:
        """Forget a stream its reader closed."""
        self._streams.discard(stream)

    async def close(self) -> None:
        """End every stream (the events queued before stay readable)."""
        self._closed = True
        for stream in list(self._streams):
            await stream.aclose()

    def emit(self, event: Event) -> None:
        """Deliver one event; a failing listener is logged and the others still get it."""
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                _LOGGER.exception("Error in a Blue Current event listener")
        for stream in self._streams:
            stream.put(event)

    def on_frame(self, name: str, frame: Frame) -> None:
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
        self.emit(event)

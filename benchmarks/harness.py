"""The pieces every measurement stands on.

* `SimThread`: the simulator on its own event loop in its own thread, so its CPU time and its
  callbacks are never charged to Home Assistant (the HA process's CPU is the process total minus
  this thread's), while `time.perf_counter` still reads the same clock on both sides.
* `WarpClock`: moves Home Assistant's time (the event loop's clock and `dt_util.utcnow`) forward
  without waiting, so an hour of polling and pinging happens in seconds, in order.
* `LoopProbe`: a task that sleeps a few milliseconds at a time and records how late it wakes,
  i.e. the longest time something blocked the event loop.
* `Ours` / `Core`: how to point each integration at the simulator and find its entities.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Coroutine
import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
import importlib
import sys
import threading
import time
from typing import Any, Protocol
from unittest.mock import patch

from aiohttp.resolver import ThreadedResolver
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import (
    entity_registry as er,
    event as event_helper,
    frame,
    update_coordinator,
)
from homeassistant.setup import async_setup_component
import homeassistant.util as ha_util
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)

from simulator import Simulator
from simulator.server import Connection

USERNAME = "demo@example.com"
PASSWORD = "demo"  # noqa: S105 - the simulator's demo account
API_TOKEN = "demo-api-token"  # noqa: S105 - the simulator's demo key
# Entity platforms set up before any timing starts, so neither integration pays for loading
# Home Assistant's own entity components (a real instance has them loaded already).
ENTITY_DOMAINS = ("sensor", "switch", "select", "button")
READY_STATES = frozenset({"available", "charging"})


# -- the simulator in a thread ------------------------------------------------------------------


class SimThread:
    """A `Simulator` running on a private event loop in a daemon thread."""

    def __init__(self, quiet: float = 0.3, **kwargs: Any) -> None:
        self.sim = Simulator(**kwargs)
        self.quiet = quiet  # seconds without traffic that count as "all requests are in"
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="bench-simulator", daemon=True)
        self._started = False

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    async def start(self) -> None:
        """Start the thread and the simulator's server."""
        self._thread.start()
        self._started = True
        await self.run(lambda sim: sim.start())

    async def stop(self) -> None:
        """Stop the server, then the loop, then join the thread."""
        if not self._started:
            return
        self._started = False
        try:
            await self.run(lambda sim: sim.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            # Poll rather than join in an executor: Home Assistant may have shut its down.
            for _ in range(1000):
                if not self._thread.is_alive():
                    break
                await asyncio.sleep(0.01)
            if not self._thread.is_alive():
                self.loop.close()

    async def run[T](self, fn: Callable[[Simulator], Coroutine[Any, Any, T]]) -> T:
        """Run a coroutine of the simulator on its own loop and wait for it here."""
        future = asyncio.run_coroutine_threadsafe(fn(self.sim), self.loop)
        return await asyncio.wrap_future(future)

    async def call[T](self, fn: Callable[[Simulator], T]) -> T:
        """Run a plain function on the simulator's loop (no data races with its handlers)."""

        async def wrapper(sim: Simulator) -> T:
            return fn(sim)

        return await self.run(wrapper)

    def cpu_time(self) -> float:
        """CPU seconds the simulator thread has used so far."""
        ident = self._thread.ident
        if ident is None:
            return 0.0
        return time.clock_gettime(time.pthread_getcpuclockid(ident))

    async def stats(self) -> dict[str, Any]:
        """A copy of the simulator's counters."""
        return await self.call(stats_snapshot)

    async def reset_stats(self) -> None:
        """Count from zero."""
        await self.call(lambda sim: sim.stats.reset())


def stats_snapshot(sim: Simulator) -> dict[str, Any]:
    """Copy the counters (plain dicts, safe to hand to another thread)."""
    stats = sim.stats
    return {
        "ws_commands": dict(stats.ws_commands),
        "rest_requests": dict(stats.rest_requests),
        "connections": stats.connections,
        "logins": stats.logins,
        "frames_sent": stats.frames_sent,
        "pings": stats.pings,
    }


def stats_total(snapshot: dict[str, Any]) -> int:
    """One number that changes whenever any traffic happened (to detect quiet)."""
    return int(
        sum(snapshot["ws_commands"].values())
        + sum(snapshot["rest_requests"].values())
        + snapshot["connections"]
        + snapshot["frames_sent"]
        + (snapshot["pings"] or 0)
    )


async def wait_quiet(hass: HomeAssistant, sim: SimThread, limit: float = 20.0) -> dict[str, Any]:
    """Wait until the simulator saw no traffic for `sim.quiet` seconds; return the counters."""
    quiet = sim.quiet
    deadline = time.perf_counter() + limit
    last = await sim.stats()
    since = time.perf_counter()
    while time.perf_counter() < deadline:
        await hass.async_block_till_done()
        await asyncio.sleep(0.05)
        now = await sim.stats()
        if stats_total(now) != stats_total(last):
            last, since = now, time.perf_counter()
        elif time.perf_counter() - since >= quiet:
            break
    return last


class SendTimes:
    """Records, in the simulator thread, when each CH_STATUS push left for a client."""

    def __init__(self) -> None:
        self.sent_at: dict[str, float] = {}

    def __call__(self, conn: Connection, frame: dict[str, Any], sent_at: float) -> None:
        if frame.get("object") == "CH_STATUS" and isinstance(evse := frame.get("evse_id"), str):
            self.sent_at[evse] = sent_at


# -- time travel --------------------------------------------------------------------------------


class WarpClock:
    """Shift Home Assistant's clocks forward on demand (loop time, utcnow, time trackers).

    Timers that fall due run in order as if the time had passed, so each integration polls,
    pings and refreshes exactly as it would; only the waiting is skipped. Debug mode is off
    inside (it would call every jump a slow callback); yield once after entering so that the
    step that entered, measured with debug still on, ends before the first jump.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.offset = 0.0
        self._saved: list[tuple[object, str, object]] = []
        self._debug = False

    def _now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset)

    def _timestamp(self) -> float:
        return time.time() + self.offset

    def __enter__(self) -> WarpClock:
        real_loop_time = self.loop.time

        def loop_time() -> float:
            return real_loop_time() + self.offset

        patches: list[tuple[object, str, object]] = [
            (self.loop, "time", loop_time),
            (dt_util, "utcnow", self._now),
            (ha_util, "utcnow", self._now),
            (event_helper, "time_tracker_utcnow", self._now),
            (event_helper, "time_tracker_timestamp", self._timestamp),
            (update_coordinator, "utcnow", self._now),
        ]
        for target, name, value in patches:
            self._saved.append((target, name, target.__dict__.get(name, _MISSING)))
            setattr(target, name, value)
        # Debug mode (pytest's) would report every jump as a slow callback.
        self._debug = self.loop.get_debug()
        self.loop.set_debug(False)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.set_debug(self._debug)
        for target, name, value in reversed(self._saved):
            if value is _MISSING:
                delattr(target, name)
            else:
                setattr(target, name, value)
        self._saved.clear()

    def advance(self, seconds: float) -> None:
        """Jump forward; due timers run on the loop's next iterations."""
        self.offset += seconds


_MISSING = object()


# -- event-loop blocking ------------------------------------------------------------------------


class LoopProbe:
    """Longest lateness of a short sleep: how long the loop was blocked at worst."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.max_lag = 0.0
        self.samples = 0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.interval)
            lag = time.perf_counter() - before - self.interval
            self.samples += 1
            self.max_lag = max(self.max_lag, lag)

    def start(self) -> None:
        """Measure from now on (and forget earlier maxima)."""
        self.max_lag = 0.0
        self.samples = 0
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="loop probe")

    async def stop(self) -> float:
        """Stop measuring; return the worst lag in milliseconds."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        return self.max_lag * 1000


# -- the two integrations -----------------------------------------------------------------------


class Impl(Protocol):
    """What the measurements need to know about an integration."""

    name: str
    domain: str

    def library(self) -> dict[str, str]:
        """Which client library (and version) the integration talks through."""

    async def prepare(self, hass: HomeAssistant, sim: Simulator) -> None:
        """Load the integration (without any entry) and point it at the simulator."""

    def entry(self, sim: Simulator) -> MockConfigEntry:
        """A config entry for the simulator's demo account."""

    def activity_unique_id(self, evse_id: str) -> str:
        """Unique id of the sensor that shows a charge point's activity."""


@dataclass
class Ours:
    """custom_components/bluecurrent: password login, pointed at the simulator's base URL."""

    name: str = "ours"
    domain: str = "bluecurrent"
    platforms: tuple[str, ...] = ("sensor", "switch", "select", "button")

    def library(self) -> dict[str, str]:
        from custom_components.bluecurrent.api.const import __version__  # noqa: PLC0415

        return {"name": "custom_components.bluecurrent.api", "version": __version__}

    async def prepare(self, hass: HomeAssistant, sim: Simulator) -> None:
        from homeassistant import loader  # noqa: PLC0415

        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # = enable_custom_integrations
        for platform in self.platforms:
            importlib.import_module(f"custom_components.bluecurrent.{platform}")
        config = {self.domain: {"cloud_url": sim.base_url}}
        if not await async_setup_component(hass, self.domain, config):
            raise RuntimeError("could not load custom_components.bluecurrent")

    def entry(self, sim: Simulator) -> MockConfigEntry:
        return MockConfigEntry(
            domain=self.domain,
            title=USERNAME,
            unique_id=USERNAME,
            data={"username": USERNAME, "password": PASSWORD, "cloud_url": sim.base_url},
        )

    def activity_unique_id(self, evse_id: str) -> str:
        return f"{evse_id}_activity"


@dataclass
class Core:
    """homeassistant.components.blue_current over bluecurrent-api, URL constant patched."""

    name: str = "core"
    domain: str = "blue_current"
    saved_url: list[str] = field(default_factory=list)

    def library(self) -> dict[str, str]:
        from importlib import metadata  # noqa: PLC0415

        module = sys.modules.get("bluecurrent_api") or importlib.import_module("bluecurrent_api")
        path = str(getattr(module, "__file__", ""))
        version = "?"
        for dist in metadata.distributions(path=sys.path):
            if dist.metadata["Name"] in ("bluecurrent-api", "bluecurrent_api"):
                version = dist.version
                break
        return {"name": "bluecurrent-api", "version": version, "path": path}

    async def prepare(self, hass: HomeAssistant, sim: Simulator) -> None:
        # The library's only way to choose a server: its module constant URL.
        websocket = importlib.import_module("bluecurrent_api.websocket")
        if not self.saved_url:
            self.saved_url.append(websocket.URL)
        websocket.URL = sim.haserver_url  # type: ignore[attr-defined]
        importlib.import_module("homeassistant.components.blue_current.sensor")
        if not await async_setup_component(hass, self.domain, {}):
            raise RuntimeError("could not load homeassistant.components.blue_current")

    def restore(self) -> None:
        """Put the library's URL constant back (matters only in-process, e.g. the smoke test)."""
        if self.saved_url:
            websocket = importlib.import_module("bluecurrent_api.websocket")
            websocket.URL = self.saved_url.pop()  # type: ignore[attr-defined]

    def entry(self, sim: Simulator) -> MockConfigEntry:
        return MockConfigEntry(
            domain=self.domain,
            title=USERNAME,
            unique_id=sim.account.customer_id,
            data={"api_token": API_TOKEN},
        )

    def activity_unique_id(self, evse_id: str) -> str:
        return f"activity_{evse_id}"


IMPLS: dict[str, Callable[[], Impl]] = {"ours": Ours, "core": Core}


# -- Home Assistant -----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def home_assistant(config_dir: str) -> AsyncIterator[HomeAssistant]:
    """A Home Assistant test instance with the entity components loaded; torn down fully."""
    # As the pytest plugin does: no mDNS resolver (it needs the network integration).
    resolver = patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=ThreadedResolver(),
    )
    with resolver:
        async with _instance(config_dir) as hass:
            yield hass


@contextlib.asynccontextmanager
async def _instance(config_dir: str) -> AsyncIterator[HomeAssistant]:
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        frame.async_setup(hass)
        try:
            for domain in ENTITY_DOMAINS:
                assert await async_setup_component(hass, domain, {})
            await hass.async_block_till_done()
            yield hass
        finally:
            loaded = [
                entry.entry_id
                for entry in hass.config_entries.async_entries()
                if entry.state is ConfigEntryState.LOADED
            ]
            for entry_id in loaded:
                with contextlib.suppress(Exception):
                    await hass.config_entries.async_unload(entry_id)
            await hass.async_stop(force=True)


class ActivityWatch:
    """Follows the activity sensors of a set of charge points through state_changed events."""

    def __init__(
        self,
        hass: HomeAssistant,
        impl: Impl,
        evse_ids: list[str],
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.hass = hass
        self.clock = clock
        self.registry = er.async_get(hass)
        self.by_unique_id = {impl.activity_unique_id(e): e for e in evse_ids}
        self.entity_ids: dict[str, str] = {}  # entity_id -> evse_id
        self.ready: set[str] = set()
        self.all_ready: asyncio.Future[float] = hass.loop.create_future()
        self.waiters: dict[str, tuple[str | None, asyncio.Future[float]]] = {}
        self._unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_event)

    def close(self) -> None:
        """Stop listening."""
        self._unsub()

    def _evse(self, entity_id: str) -> str | None:
        if (evse_id := self.entity_ids.get(entity_id)) is not None:
            return evse_id
        entry = self.registry.async_get(entity_id)
        if entry is None or entry.unique_id not in self.by_unique_id:
            return None
        evse_id = self.by_unique_id[entry.unique_id]
        self.entity_ids[entity_id] = evse_id
        return evse_id

    @callback
    def _on_event(self, event: Event[EventStateChangedData]) -> None:
        now = self.clock()
        new = event.data["new_state"]
        if new is None:
            return
        evse_id = self._evse(event.data["entity_id"])
        if evse_id is None:
            return
        old = event.data["old_state"]
        if new.state in READY_STATES and evse_id not in self.ready:
            self.ready.add(evse_id)
            if len(self.ready) == len(self.by_unique_id) and not self.all_ready.done():
                self.all_ready.set_result(now)
        if (waiting := self.waiters.get(evse_id)) is None:
            return
        expected, waiter = waiting
        if expected is None:
            changed = old is None or old.state != new.state
            hit = changed and new.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE)
        else:
            hit = new.state == expected
        if hit and not waiter.done():
            waiter.set_result(now)

    def expect_change(self, evse_id: str, state: str | None = None) -> asyncio.Future[float]:
        """A future that gets the clock's time of the sensor's next change (to `state`)."""
        waiter: asyncio.Future[float] = self.hass.loop.create_future()
        self.waiters[evse_id] = (state, waiter)
        return waiter

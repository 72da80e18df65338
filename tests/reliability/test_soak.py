"""Soak: a simulated day of cloud faults, with the integration recovering from every one.

The day runs from 12:00 to 12:00 Amsterdam time in steps of one poll interval (10 simulated
minutes): each step advances the simulator (sessions progress, statuses and grid currents are
pushed), moves Home Assistant's clock to the simulator's, and fires the timers due within the
interval (the coordinator's poll, debouncers). Every 20 simulated minutes a fault starts; the
kinds rotate: dropped socket, expired session token (alone and with a drop), malformed and
unknown frames, slow replies below the request timeout, a reply slower than the request timeout,
REST 5xx, a charge point going offline and back. At 23:20 the request limit is reached; the cloud
lifts it at midnight. Sessions start and stop, and the user acts through Home Assistant, between
the faults.

Recovery bound: once a fault is over, every entity equals the simulator's state by the end of the
next step, i.e. within one poll interval (10 simulated minutes); the request limit recovers within
one poll interval after the midnight reset (the client reconnects 30 s after it). The test waits
for the asynchronous work of that step up to ``RECOVERY_WAIT`` real seconds, a generous upper
bound for a loaded machine, not a performance limit.

At the end of the day: every entity equals the simulator's state; no log record carries a
traceback, and none is an error other than the coordinator's expected "Error fetching" of the
polls the faults make fail (unhandled errors in tasks also fail the test through the harness);
the same tasks run as after setup, one websocket is open and every HTTP response was released;
and the memory held (traced from the start of the day, harness bookkeeping excluded) at the end
of the last quarter exceeds that at the end of the first quarter by less than
``MEMORY_GROWTH_LIMIT``. After unloading, no websocket and no client task remains.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta
import gc
import logging
import tracemalloc
from typing import Any
from unittest.mock import Mock

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er, storage
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    flush_store,
)

from custom_components.bluecurrent.api import BlueCurrentClient
from custom_components.bluecurrent.const import DOMAIN
from custom_components.bluecurrent.coordinator import BlueCurrentCoordinator
from custom_components.bluecurrent.settings import DEFAULT_SETTINGS
from simulator import Simulator
from simulator.model import TZ
from tests.integration.conftest import use_client_settings

from ..conftest import find_device
from .conftest import wait_until
from .oracle import enable_all, mismatches

STEP = DEFAULT_SETTINGS.poll_interval
DAY = timedelta(days=1)
LIMIT_AT = datetime(2026, 3, 2, 23, 20, tzinfo=TZ)
LIMIT_RESET = datetime(2026, 3, 3, 0, 0, tzinfo=TZ)
# The client's request timeout in the soak, and a reply delay on either side of it.
REQUEST_TIMEOUT = 1.5
SLOW_REPLY = 0.05
TOO_SLOW_REPLY = REQUEST_TIMEOUT + 0.3
RECOVERY_WAIT = 20.0
# Growth of held memory from the end of the first quarter to the end of the day. Measured: 70 to
# 100 kB (states and keep-alive connections in flight); keeping every dead connection alive, a
# leak per reconnect, adds about 220 kB over the day.
MEMORY_GROWTH_LIMIT = 200 * 1024


def _soak_settings(hass: HomeAssistant) -> None:
    """Client timings for accelerated time.

    Reconnect backoff, the uptime that resets it and the re-login window are real-time settings;
    a simulated day passes in under a minute, so they shrink with it. No websocket pings: the
    loop's timers are fired ahead of time at every step and would time out their pongs.
    """
    use_client_settings(
        hass,
        heartbeat=None,
        stable_period=0.5,
        relogin_window=0.5,
        request_timeout=REQUEST_TIMEOUT,
        action_timeout=3.0,
        backoff_initial=0.01,
        backoff_max=0.1,
        limit_sleep_step=0.02,
    )


class Day:
    """Drives the simulated day: the simulator's clock, Home Assistant's, and the checks."""

    def __init__(
        self,
        hass: HomeAssistant,
        sim: Simulator,
        freezer: FrozenDateTimeFactory,
        entry: MockConfigEntry,
    ) -> None:
        self.hass = hass
        self.sim = sim
        self.freezer = freezer
        self.entry = entry
        self.limit_on = False
        self.recoveries = 0

    @property
    def coordinator(self) -> BlueCurrentCoordinator:
        coordinator: BlueCurrentCoordinator = self.entry.runtime_data.coordinator
        return coordinator

    @property
    def client(self) -> BlueCurrentClient:
        return self.coordinator.client

    async def settle(self) -> None:
        await self.hass.async_block_till_done(wait_background_tasks=True)

    async def advance(self) -> None:
        """Simulated time passes: sessions progress and are pushed; the clocks move."""
        await self.sim.advance(STEP.total_seconds())
        if self.limit_on and self.sim.now >= LIMIT_RESET:
            self.sim.faults.request_limit = False  # the cloud's daily budget resets
            self.limit_on = False
        self.freezer.move_to(self.sim.now)

    async def fire(self) -> None:
        """Run what falls due within the step: the poll, debounced fetches."""
        async_fire_time_changed(self.hass, dt_util.utcnow() + STEP)
        await self.settle()

    async def step(self) -> None:
        await self.advance()
        await self.fire()

    async def connected(self) -> None:
        """Wait for the client to be back (it reconnects in real time)."""
        assert await wait_until(lambda: self.client.connected, RECOVERY_WAIT), "no reconnect"
        await self.settle()

    async def recovered(self, what: str) -> None:
        """Every entity shows the simulator's state (no further simulated time passes)."""
        ok = await wait_until(
            lambda: not mismatches(self.hass, self.sim, self.entry.entry_id),
            RECOVERY_WAIT,
            self.hass,
        )
        problems = mismatches(self.hass, self.sim, self.entry.entry_id)
        assert ok, f"{what} at {self.sim.now:%H:%M}: {len(problems)} wrong: {problems[:10]}"
        self.recoveries += 1

    def unavailable(self) -> bool:
        return any(
            (state := self.hass.states.get(e.entity_id)) is not None
            and state.state == STATE_UNAVAILABLE
            for e in er.async_entries_for_config_entry(er.async_get(self.hass), self.entry.entry_id)
        )

    # -- the user, through Home Assistant ------------------------------------------------------

    def entity(self, platform: str, unique_id: str) -> str:
        found = er.async_get(self.hass).async_get_entity_id(platform, DOMAIN, unique_id)
        assert found is not None, unique_id
        return found

    async def service(self, domain: str, service: str, data: dict[str, Any]) -> None:
        await self.hass.services.async_call(domain, service, data, blocking=True)
        await self.settle()

    async def start_session(self, evse_id: str, card: str) -> None:
        device = find_device(self.hass, evse_id)
        assert device is not None
        await self.service(DOMAIN, "start_session", {"device_id": device.id, "charge_card": card})

    async def press(self, evse_id: str, key: str) -> None:
        await self.service(
            "button", "press", {"entity_id": self.entity("button", f"{evse_id}_{key}")}
        )

    async def switch(self, evse_id: str, key: str, on: bool) -> None:
        entity_id = self.entity("switch", f"{evse_id}_{key}")
        await self.service("switch", "turn_on" if on else "turn_off", {"entity_id": entity_id})

    async def select_card(self, evse_id: str, option: str) -> None:
        entity_id = self.entity("select", f"{evse_id}_plug_and_charge_card")
        await self.service("select", "select_option", {"entity_id": entity_id, "option": option})


# -- faults -----------------------------------------------------------------------------------

type Episode = Callable[[Day], Awaitable[None]]


async def dropped_socket(day: Day) -> None:
    """The cloud closes the websocket; what changes meanwhile is only seen by fetching it."""
    await day.sim.drop_connections()
    await day.advance()  # pushed to nobody: the client is away
    await day.connected()
    await day.fire()
    await day.step()


async def expired_token(day: Day) -> None:
    """The session token stops working; the next poll logs in again."""
    day.sim.expire_tokens()
    logins = day.sim.stats.logins
    await day.step()
    assert day.sim.stats.logins > logins
    await day.step()


async def expired_token_and_drop(day: Day) -> None:
    """Reconnecting with a token that no longer works: HELLO is refused, then a fresh login."""
    day.sim.expire_tokens()
    await day.sim.drop_connections()
    await day.advance()
    await day.connected()
    await day.fire()
    await day.step()


async def malformed_frames(day: Day) -> None:
    """Broken frames (not JSON, a list, no object name, garbage fields) before the replies."""
    day.sim.faults.malformed_frames = 8
    await day.step()
    await day.step()
    assert day.sim.faults.malformed_frames < 8  # they were sent
    day.sim.faults.malformed_frames = 0


async def unknown_frames(day: Day) -> None:
    """Frames of a kind the client does not know, before the replies."""
    day.sim.faults.unknown_frames = 8
    await day.step()
    await day.step()
    assert day.sim.faults.unknown_frames < 8
    day.sim.faults.unknown_frames = 0


async def slow_replies(day: Day) -> None:
    """Every reply is late, but within the request timeout: nothing fails."""
    day.sim.faults.reply_delay = SLOW_REPLY
    await day.step()
    assert day.coordinator.last_update_success
    day.sim.faults.reply_delay = 0
    await day.step()


async def reply_timeout(day: Day) -> None:
    """Replies slower than the request timeout: the poll's reads fail, the next one recovers.

    What the reads show goes unavailable; pushed statuses would stay (see test_partial_reads).
    """
    day.sim.faults.reply_delay = TOO_SLOW_REPLY
    await day.step()
    assert day.coordinator.data.failed
    assert day.unavailable()
    day.sim.faults.reply_delay = 0
    await day.step()


async def rest_errors(day: Day) -> None:
    """REST answers 503 when the statuses are fetched after a reconnect; the next poll retries."""
    day.sim.faults.rest_errors = 2
    await day.sim.drop_connections()
    await day.advance()
    await day.connected()
    await day.fire()
    assert await wait_until(lambda: day.sim.faults.rest_errors == 0, RECOVERY_WAIT)  # both used
    await day.step()


def offline(evse_index: int) -> Episode:
    async def episode(day: Day) -> None:
        """A charge point goes offline and comes back a poll later."""
        evse_id = list(day.sim.account.charge_points)[evse_index]
        await day.sim.set_online(evse_id, False)
        await day.step()
        await day.recovered(f"{evse_id} offline")
        await day.sim.set_online(evse_id, True)
        await day.step()

    episode.__name__ = f"offline_{evse_index}"
    return episode


async def request_limit(day: Day) -> None:
    """The daily request limit: the cloud closes the socket (4001) and refuses all until midnight.

    Meanwhile the entities are unavailable and nothing reaches the cloud; after the reset the
    client reconnects by itself.
    """
    day.sim.faults.request_limit = True
    day.limit_on = True
    await day.sim.close_with_limit()
    assert await wait_until(lambda: not day.client.connected, RECOVERY_WAIT)
    await day.settle()
    commands = day.sim.stats.ws_commands.total()
    handshakes = day.sim.stats.connections
    rest = day.sim.stats.rest_requests.total()
    while day.limit_on:
        await day.step()
        assert day.unavailable()
    assert day.sim.stats.ws_commands.total() == commands
    assert day.sim.stats.connections == handshakes
    assert day.sim.stats.rest_requests.total() == rest
    await day.step()  # the client waits 30 s past midnight; this poll interval covers it


ROTATION: list[Episode] = [
    dropped_socket,
    expired_token,
    malformed_frames,
    slow_replies,
    offline(0),
    unknown_frames,
    reply_timeout,
    expired_token_and_drop,
    rest_errors,
    expired_token,
    dropped_socket,
]


# -- life: sessions and the user's actions, between faults -------------------------------------


async def life(day: Day, hour: int) -> None:
    """Sessions start and stop at the charge points; the user acts through Home Assistant.

    An action through Home Assistant must succeed (no fault is active between episodes).
    Sessions use the first socket: what the cloud pushes about a second socket is covered, and
    found wanting, in test_multi_socket.py.
    """
    first, second = list(day.sim.account.charge_points)
    card = day.sim.account.cards[1]
    match hour:
        case 14:
            await day.sim.stop_charging(first)  # the car drives away
        case 15:
            await day.start_session(second, card.name)
        case 17:
            await day.press(second, "stop_session")
        case 18:
            await day.sim.start_charging(first, card_uid=day.sim.account.cards[0].uid)
        case 19:
            await day.switch(first, "public_charging", True)
        case 20:
            await day.select_card(second, card.name)
        case 21:
            await day.switch(second, "enabled", False)
        case 22:
            await day.switch(second, "enabled", True)
        case 3:
            await day.sim.stop_charging(first)
        case 5:
            await day.sim.start_charging(second, card_uid=card.uid)
        case 7:
            await day.switch(first, "plug_and_charge", False)
        case 8:
            await day.press(second, "stop_session")
        case 9:
            await day.select_card(second, "no_card")
        case 10:
            await day.switch(first, "public_charging", False)
        case 11:
            await day.start_session(first, card.id)
        case _:
            return
    # Checked with the episode that follows: the cloud does not push everything a change
    # touches (the grid, the totals), so only a poll shows all of it.


# -- the test ---------------------------------------------------------------------------------


SERVER_TASK = "RequestHandler.start"


def _task_kinds() -> Counter[str]:
    """Running tasks by what they run (names like Task-12 differ from run to run)."""
    kinds: Counter[str] = Counter()
    for task in asyncio.all_tasks():
        coro = task.get_coro()
        kinds[getattr(coro, "__qualname__", type(coro).__name__)] += 1
    return kinds


async def _held_memory(hass: HomeAssistant) -> int:
    """Bytes held by objects allocated since tracing started, harness bookkeeping excluded.

    The registries' delayed writes are flushed first, so both measurements hold their latest
    saved form. The test harness keeps what production does not: pytest keeps every log record,
    and the mock storage every write (its mock records the calls); those are cleared. Left out
    are the debug loop's creation tracebacks of tasks and handles (a leaked object still counts
    with its own allocations) and the harness's own modules.
    """
    for registry in (er.async_get(hass), dr.async_get(hass)):
        await flush_store(registry._store)
    write = storage.Store._async_write_data
    if isinstance(recorder := getattr(write, "mock", write), Mock):  # autospec: on .mock
        recorder.reset_mock()
    gc.collect()
    ignore = [
        tracemalloc.Filter(False, pattern)
        for pattern in (
            "*/logging/*",
            "*/traceback.py",
            "*/tracemalloc.py",
            "*/unittest/mock.py",
            "*/_pytest/*",
            "*/pluggy/*",
            "*/freezegun/*",
            "<frozen *>",
        )
    ]
    snapshot = tracemalloc.take_snapshot().filter_traces(ignore)
    return sum(stat.size for stat in snapshot.statistics("filename"))


class _FlatRecords(logging.Filter):
    """Keep a captured record's text, not its arguments.

    A record keeps its arguments, e.g. the exception of "Error fetching ...: %s", and through
    its traceback the connection it failed on. pytest keeps every record of a test; a log file
    would keep only the text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = record.getMessage(), None
        return True


@pytest.fixture
def flat_log_records(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Captured log records hold their text only (see _FlatRecords)."""
    flat = _FlatRecords()
    handlers = list(logging.getLogger().handlers)
    for handler in handlers:
        handler.addFilter(flat)
    yield
    for handler in handlers:
        handler.removeFilter(flat)


@pytest.fixture
async def soak_entry(
    hass: HomeAssistant,
    sim_clock: FrozenDateTimeFactory,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> MockConfigEntry:
    """The entry against the simulator with every entity enabled, on the soak's client."""
    _soak_settings(hass)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert await enable_all(hass, config_entry) > 0
    return config_entry


@pytest.mark.usefixtures("flat_log_records")
async def test_a_day_of_faults(
    hass: HomeAssistant,
    sim_clock: FrozenDateTimeFactory,
    cloud: Simulator,
    soak_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities recover from every fault of a simulated day; nothing leaks or breaks."""
    caplog.set_level(logging.WARNING)
    day = Day(hass, cloud, sim_clock, soak_entry)
    await day.recovered("setup")
    assert day.client._settings.heartbeat is None  # the soak's timings are in force
    tasks_before = _task_kinds()
    session = async_get_clientsession(hass)
    assert len(cloud.connections) == 1

    start = cloud.now
    hour = -1
    episodes = 0
    memory_q1: int | None = None
    gc.collect()
    tracemalloc.start()
    while cloud.now < start + DAY:
        if memory_q1 is None and cloud.now >= start + DAY / 4:
            memory_q1 = await _held_memory(hass)
        if cloud.now.hour != hour:
            hour = cloud.now.hour
            await life(day, hour)
        if cloud.now == LIMIT_AT:
            episode: Episode = request_limit
        else:
            episode = ROTATION[episodes % len(ROTATION)]
            episodes += 1
        await episode(day)
        await day.recovered(episode.__name__)
    memory_end = await _held_memory(hass)
    tracemalloc.stop()
    assert memory_q1 is not None

    # The end of the day: one more quiet poll, then everything as the simulator has it.
    await day.step()
    await day.recovered("end of the day")
    assert episodes >= 60
    assert day.recoveries > episodes

    problems = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.exc_info
        or (r.levelno >= logging.ERROR and not r.getMessage().startswith("Error fetching"))
    ]
    assert not problems
    # The simulator serves each open connection in a task: the websocket and the HTTP
    # keep-alive connections the client's pool holds (their number varies with the requests
    # that ran in parallel), so those are compared with the pool instead.
    tasks_after = _task_kinds()
    served = tasks_after.pop(SERVER_TASK, 0)
    tasks_before.pop(SERVER_TASK, None)
    assert tasks_after == tasks_before
    assert len(cloud.connections) == 1
    connector = session.connector
    assert isinstance(connector, aiohttp.TCPConnector)
    assert len(connector._acquired) == 1  # the websocket; every HTTP response was released
    pooled = sum(len(conns) for conns in connector._conns.values())
    assert served <= len(cloud.connections) + pooled
    assert memory_end - memory_q1 < MEMORY_GROWTH_LIMIT, (
        f"grew by {(memory_end - memory_q1) / 1024:.0f} kB"
    )

    assert await hass.config_entries.async_unload(soak_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await wait_until(lambda: not cloud.connections, RECOVERY_WAIT)
    leftovers = [
        t for t in asyncio.all_tasks() if t.get_name().startswith("bluecurrent") and not t.done()
    ]
    assert not leftovers

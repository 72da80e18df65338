"""The measurements: setup, pushes, steady state and memory, each on a running instance."""

from __future__ import annotations

import asyncio
from collections import Counter
import functools
import gc
import math
import time
import tracemalloc
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from simulator import Simulator

from .harness import (
    ActivityWatch,
    Impl,
    LoopProbe,
    SendTimes,
    SimThread,
    WarpClock,
    stats_total,
    wait_quiet,
)


class BenchError(Exception):
    """A measurement could not finish (recorded in the results, never hidden)."""


async def _set_online(sim: Simulator, *, evse_id: str, online: bool) -> None:
    await sim.set_online(evse_id, online)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation, so p100 is the max)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def traffic(stats: dict[str, Any]) -> dict[str, Any]:
    """Summarise simulator counters: what the integration sent to, and got from, the cloud."""
    commands = sum(stats["ws_commands"].values())
    pings = stats["pings"] or 0
    return {
        "ws_commands": commands,
        "pings": pings,
        "frames_to_cloud": commands + pings,
        "rest_requests": sum(stats["rest_requests"].values()),
        "requests": commands + sum(stats["rest_requests"].values()),
        "connections": stats["connections"],
        "logins": stats["logins"],
        "frames_from_cloud": stats["frames_sent"],
        "by_command": dict(sorted(stats["ws_commands"].items())),
        "by_path": dict(sorted(stats["rest_requests"].items())),
    }


async def setup_entry(
    hass: HomeAssistant, sim: SimThread, impl: Impl, limit: float
) -> dict[str, Any]:
    """Set up a config entry; time it until every charge point's activity sensor has a state."""
    evse_ids = list(sim.sim.account.charge_points)
    watch = ActivityWatch(hass, impl, evse_ids)
    probe = LoopProbe()
    entry = impl.entry(sim.sim)
    entry.add_to_hass(hass)
    await sim.reset_stats()
    probe.start()
    start = time.perf_counter()
    cpu_start = time.process_time() - sim.cpu_time()
    try:
        async with asyncio.timeout(limit):
            loaded = await hass.config_entries.async_setup(entry.entry_id)
            entry_done = time.perf_counter()
            if not loaded:
                raise BenchError(f"config entry did not load ({entry.state.value})")
            ready_at = await watch.all_ready
    except TimeoutError:
        await probe.stop()
        raise BenchError(
            f"timed out after {limit:g} s "
            f"({len(watch.ready)} of {len(evse_ids)} charge points had a state)"
        ) from None
    finally:
        watch.close()
    cpu = time.process_time() - sim.cpu_time() - cpu_start
    block_ms = await probe.stop()
    stats = await wait_quiet(hass, sim)
    domain_states = Counter(state.domain for state in hass.states.async_all())
    registered = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    return {
        "charge_points": len(evse_ids),
        # Done when both hold: the entry's setup returned and every activity sensor has a state.
        "seconds": max(ready_at, entry_done) - start,
        "entry_setup_seconds": entry_done - start,
        "cpu_seconds": cpu,
        "loop_block_max_ms": block_ms,
        "entities": dict(sorted(domain_states.items())),
        "registry_entities": len(registered),
        "registry_disabled": sum(1 for item in registered if item.disabled_by is not None),
        "traffic": traffic(stats),
    }


async def _settle(hass: HomeAssistant) -> None:
    await asyncio.sleep(0)
    await hass.async_block_till_done()


async def pushes(
    hass: HomeAssistant, sim: SimThread, impl: Impl, count: int, limit: float = 10.0
) -> dict[str, Any]:
    """Toggle charge points offline/online one at a time; time each push to its new state.

    Only idle single-socket charge points are toggled, so no session ends (that would make
    ours fetch transactions) and one activity sensor tells the whole story.
    """
    points = [
        cp.evse_id
        for cp in sim.sim.account.charge_points.values()
        if cp.session is None and len(cp.socket_ids) == 1
    ]
    if not points:
        raise BenchError("no idle single-socket charge point to push")
    sent = SendTimes()
    await sim.call(lambda s: setattr(s, "on_frame_sent", sent))
    watch = ActivityWatch(hass, impl, points)
    online = dict.fromkeys(points, True)
    latencies: list[float] = []
    await _settle(hass)
    await sim.reset_stats()
    probe = LoopProbe()
    probe.start()
    collections = GcWatch()
    gc.callbacks.append(collections)
    wall_start = time.perf_counter()
    sim_cpu_start = sim.cpu_time()
    cpu_start = time.process_time()
    try:
        for index in range(count):
            evse_id = points[index % len(points)]
            online[evse_id] = not online[evse_id]
            changed = watch.expect_change(evse_id)
            await sim.run(functools.partial(_set_online, evse_id=evse_id, online=online[evse_id]))
            try:
                async with asyncio.timeout(limit):
                    seen_at = await changed
            except TimeoutError:
                raise BenchError(f"push {index + 1}: no state change within {limit:g} s") from None
            latencies.append(seen_at - sent.sent_at[evse_id])
    finally:
        cpu_total = time.process_time() - cpu_start
        sim_cpu = sim.cpu_time() - sim_cpu_start
        wall = time.perf_counter() - wall_start
        gc.callbacks.remove(collections)
        block_ms = await probe.stop()
        watch.close()
        await sim.call(lambda s: setattr(s, "on_frame_sent", None))
    stats = await wait_quiet(hass, sim)
    ha_cpu = cpu_total - sim_cpu
    ms = [value * 1000 for value in latencies]
    return {
        "count": len(latencies),
        "charge_points_toggled": len(points),
        "latency_ms": {
            "p50": percentile(ms, 50),
            "p99": percentile(ms, 99),
            "max": max(ms),
            "mean": sum(ms) / len(ms),
        },
        "wall_seconds": wall,
        "cpu_seconds": ha_cpu,
        "cpu_seconds_per_1000": ha_cpu / len(latencies) * 1000,
        "simulator_cpu_seconds": sim_cpu,
        "loop_block_max_ms": block_ms,
        # Cyclic garbage collections during the run (they pause the loop; more allocation per
        # push means more of them): generation -> count, total and longest milliseconds.
        "gc": collections.summary(),
        "traffic": traffic(stats),
    }


class GcWatch:
    """A gc callback that times every collection, per generation."""

    def __init__(self) -> None:
        self.started = 0.0
        self.times: dict[int, list[float]] = {}

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            elapsed = time.perf_counter() - self.started
            self.times.setdefault(info["generation"], []).append(elapsed)

    def summary(self) -> dict[str, dict[str, float]]:
        """Per generation: how many collections, their total and longest time in ms."""
        return {
            str(generation): {
                "count": len(times),
                "total_ms": sum(times) * 1000,
                "max_ms": max(times) * 1000,
            }
            for generation, times in sorted(self.times.items())
        }


async def _after_jump(hass: HomeAssistant, sim: SimThread) -> None:
    """Let due timers run and every exchange they started finish before time moves again.

    A request (or a ping) in flight across two jumps could time out in warped time although
    the simulator answered within milliseconds; so while the simulator still sees traffic,
    keep waiting (briefly, in real time).
    """
    last = stats_total(await sim.stats())
    for _ in range(50):
        await asyncio.sleep(0.002)
        await hass.async_block_till_done()
        now = stats_total(await sim.stats())
        if now == last:
            return
        last = now


async def steady(
    hass: HomeAssistant, sim: SimThread, hours: float, step: float, lead_in: float = 300.0
) -> dict[str, Any]:
    """Run `hours` of simulated time: the cloud pushes every `step` s, HA's clock keeps pace.

    Both clocks move together: the simulator's (`advance`, which pushes CH_STATUS of charging
    points and GRID_CURRENT) and Home Assistant's (`WarpClock`), so polls, pings and periodic
    refreshes all happen as often as they would in that much real time.
    """
    await _settle(hass)
    await wait_quiet(hass, sim)
    steps = round(hours * 3600 / step)
    wall_start = time.perf_counter()
    with WarpClock(asyncio.get_running_loop()) as clock:
        await asyncio.sleep(0)  # end this loop step before time jumps (see WarpClock)
        # Start counting between two polls (ours polls every 10 min from setup on), so that
        # no periodic job sits on an edge of the window and is in or out by a hair.
        for _ in range(round(lead_in / step)):
            clock.advance(step)
            await sim.run(lambda s: s.advance(step))
            await _after_jump(hass, sim)
        await sim.reset_stats()
        for _ in range(steps):
            clock.advance(step)
            await sim.run(lambda s: s.advance(step))
            await _after_jump(hass, sim)
    wall = time.perf_counter() - wall_start
    stats = await wait_quiet(hass, sim)
    total = traffic(stats)
    per_hour = {
        key: total[key] / hours
        for key in (
            "ws_commands",
            "pings",
            "frames_to_cloud",
            "rest_requests",
            "requests",
            "connections",
            "logins",
            "frames_from_cloud",
        )
    }
    return {
        "hours": hours,
        "step_seconds": step,
        "lead_in_seconds": lead_in,
        "wall_seconds": wall,
        "traffic": total,
        "per_hour": per_hour,
    }


async def memory(hass: HomeAssistant, sim: SimThread, impl: Impl, limit: float) -> dict[str, Any]:
    """Memory Home Assistant keeps after setting up the entry (tracemalloc, after gc)."""
    tracemalloc.start()  # counts only what is allocated from now on
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = await setup_entry(hass, sim, impl, limit)
        await asyncio.sleep(sim.quiet)
        await hass.async_block_till_done()
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    count = result["charge_points"]
    return {
        "charge_points": count,
        "retained_bytes": after - before,
        "bytes_per_charge_point": (after - before) / count,
        "peak_bytes": peak - before,
        "setup_seconds_traced": result["seconds"],
        "registry_entities": result["registry_entities"],
        "registry_disabled": result["registry_disabled"],
    }


async def recovery(
    hass: HomeAssistant,
    sim: SimThread,
    impl: Impl,
    code: int,
    *,
    limit: float = 120.0,
    step: float = 0.1,
    calm: float = 60.0,
) -> dict[str, Any]:
    """The cloud closes the socket, then a charge point changes while nobody listens.

    Measured in Home Assistant's (warped) time: how long until its sensor shows the change,
    i.e. until the integration reconnected and caught up on what it missed.
    """
    target = next(
        cp.evse_id
        for cp in sim.sim.account.charge_points.values()
        if cp.session is None and len(cp.socket_ids) == 1
    )
    await _settle(hass)
    await wait_quiet(hass, sim)
    loop = asyncio.get_running_loop()
    online = sim.sim.charge_point(target).online
    with WarpClock(loop) as clock:
        # First a quiet minute, so the drop hits an established connection.
        await sim.reset_stats()
        for _ in range(round(calm)):
            clock.advance(1.0)
            await _after_jump(hass, sim)
        calm_stats = await sim.stats()
        await sim.reset_stats()

        def warped_now() -> float:
            return loop.time()  # looked up per call: WarpClock replaced it

        watch = ActivityWatch(hass, impl, [target], clock=warped_now)
        caught_up = watch.expect_change(target, "available" if not online else "offline")
        start = loop.time()
        try:
            await sim.run(lambda s: s.drop_connections(code))
            await sim.run(lambda s: s.set_online(target, not online))
            while not caught_up.done() and loop.time() - start < limit:
                clock.advance(step)
                await _after_jump(hass, sim)
        finally:
            watch.close()
            if not caught_up.done():
                caught_up.cancel()
    stats = await wait_quiet(hass, sim)
    result: dict[str, Any] = {
        "close_code": code,
        "traffic": traffic(stats),
        # Should show no reconnect: the drop must hit a connection that was fine.
        "calm_minute_traffic": traffic(calm_stats),
    }
    if caught_up.cancelled():
        result["error"] = f"no reconnect within {limit:g} s"
        result["seconds"] = None
    else:
        result["seconds"] = caught_up.result() - start
    return result

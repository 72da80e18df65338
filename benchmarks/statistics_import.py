"""`python -m benchmarks.statistics_import`: importing a 5,000-session history into statistics.

Each run is a fresh process (``--worker``) with a Home Assistant test instance, a recorder on a
SQLite file (as a real installation has) and the simulator in its own thread with one charge
point and 5,000 past sessions. It times, from ``config_entries.async_setup`` on:

* setup: until ``async_setup`` returns (the history is read and imported after it);
* import: until the statistics are in the database with the last sum equal to the sessions'
  total (the whole history read page by page, spread over hours, written by the recorder);
* the event loop meanwhile: how late a task sleeping 5 ms at a time woke at worst (this includes
  waiting for the GIL, which the simulator's thread and the recorder's share), and the longest
  single callback that ran on it (what blocked it outright).

Memory runs are separate processes, since tracemalloc slows everything it traces: the peak of
Python allocations (every thread, the recorder's included) above what was allocated before the
setup. Prints median and min-max of each; ``--json PATH`` writes the runs.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
import json
from pathlib import Path
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from typing import Any

SESSIONS = 5000
EVSE_ID = "BCU100001"
STATISTIC_ID = "bluecurrent:energy_bcu100001"


class LongestCallback:
    """The longest callbacks on this thread's event loop, by what they ran."""

    def __init__(self) -> None:
        self.by_what: dict[str, float] = {}
        self._original: Any = None

    def __enter__(self) -> LongestCallback:
        original = self._original = asyncio.events.Handle._run
        thread = threading.get_ident()

        def _run(handle: asyncio.Handle) -> None:
            if threading.get_ident() != thread:
                original(handle)
                return
            start = time.perf_counter()
            try:
                original(handle)
            finally:
                took = time.perf_counter() - start
                what = _describe(handle)
                if took > self.by_what.get(what, 0.0):
                    self.by_what[what] = took

        asyncio.events.Handle._run = _run  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.events.Handle._run = self._original  # type: ignore[method-assign]

    def top(self, count: int) -> dict[str, float]:
        """The longest ``count``, in milliseconds."""
        ranked = sorted(self.by_what.items(), key=lambda item: -item[1])[:count]
        return {what: took * 1000 for what, took in ranked}

    def longest(self, prefix: str = "") -> float:
        """The longest callback (whose description starts with ``prefix``), in milliseconds."""
        return max((t for w, t in self.by_what.items() if w.startswith(prefix)), default=0.0) * 1000


def _describe(handle: asyncio.Handle) -> str:
    """Name a callback; for a task's step, the coroutine it ran."""
    task = getattr(getattr(handle, "_callback", None), "__self__", None)
    if isinstance(task, asyncio.Task):
        return f"task step: {task.get_coro().__qualname__}"  # type: ignore[union-attr]
    return repr(handle)[:200]


async def _imported_sum(hass: Any) -> float | None:
    from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
        get_last_statistics,
    )
    from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

    rows = await get_instance(hass).async_add_executor_job(
        get_last_statistics, hass, 1, STATISTIC_ID, False, {"sum"}
    )
    found = rows.get(STATISTIC_ID)
    return found[0].get("sum") if found else None


async def run_once(sessions: int, memory: bool, limit: float = 900.0) -> dict[str, Any]:
    """Set an entry up against a simulator with this many past sessions; measure its import."""
    from homeassistant.helpers.recorder import (  # noqa: PLC0415
        async_initialize_recorder,
        get_instance,
    )
    from homeassistant.setup import async_setup_component  # noqa: PLC0415

    from .harness import LoopProbe, Ours, SimThread, home_assistant  # noqa: PLC0415

    sim = SimThread(charge_points=1, seed=0, charging=0, history=sessions)
    await sim.start()
    total = sum(t.kwh for t in sim.sim.account.charge_points[EVSE_ID].transactions)
    count = len(sim.sim.account.charge_points[EVSE_ID].transactions)
    result: dict[str, Any] = {"sessions": count, "memory": memory}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-stats-") as config_dir:
            async with home_assistant(config_dir) as hass:
                db_url = f"sqlite:///{Path(config_dir) / 'home-assistant_v2.db'}"
                async_initialize_recorder(hass)  # as bootstrap does
                assert await async_setup_component(
                    hass, "recorder", {"recorder": {"db_url": db_url}}
                )
                assert await get_instance(hass).async_db_ready
                impl = Ours()
                await impl.prepare(hass, sim.sim)
                entry = impl.entry(sim.sim)
                entry.add_to_hass(hass)
                await hass.async_block_till_done()
                await sim.reset_stats()
                probe = LoopProbe()
                if memory:
                    tracemalloc.start()
                    base = tracemalloc.get_traced_memory()[0]
                probe.start()
                with LongestCallback() as longest:
                    start = time.perf_counter()
                    assert await hass.config_entries.async_setup(entry.entry_id)
                    result["setup_s"] = time.perf_counter() - start
                    deadline = start + limit
                    while (done := await _imported_sum(hass)) is None or abs(done - total) > 1e-6:
                        if time.perf_counter() > deadline:
                            raise TimeoutError(f"import incomplete after {limit} s")
                        await asyncio.sleep(0.05)
                    result["import_s"] = time.perf_counter() - start
                result["loop_block_ms"] = await probe.stop()
                result["longest_callback_ms"] = longest.longest()
                result["longest_statistics_ms"] = longest.longest("task step: HistoryStatistics")
                result["longest_callbacks"] = longest.top(5)
                if memory:
                    result["peak_mib"] = (tracemalloc.get_traced_memory()[1] - base) / 2**20
                    tracemalloc.stop()
                stats = await sim.stats()
                result["pages"] = stats["rest_requests"].get(
                    "POST /app/bc_api/api/v2.0/gettransactions", 0
                )
                result["rows"] = await _row_count(hass)
    finally:
        await sim.stop()
    return result


async def _row_count(hass: Any) -> int:
    from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
        statistics_during_period,
    )
    from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

    rows = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2000, 1, 1, tzinfo=UTC),
        None,
        {STATISTIC_ID},
        "hour",
        None,
        {"sum"},
    )
    return len(rows.get(STATISTIC_ID, []))


def _spawn(sessions: int, memory: bool) -> dict[str, Any]:
    args = [sys.executable, "-m", "benchmarks.statistics_import", "--worker"]
    args += ["--sessions", str(sessions)] + (["--memory"] if memory else [])
    done = subprocess.run(  # noqa: S603 - this interpreter, this module
        args,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        # A RuntimeError is what the caller reports beside the table, keeping the main results.
        raise RuntimeError(f"worker failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def run_all(
    sessions: int, runs: int, progress: Callable[[str], None] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The timed runs, then the memory runs, each in a fresh process."""
    found: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
    for memory in (False, True):
        for number in range(1, runs + 1):
            if progress:
                kind = "memory" if memory else "timed"
                progress(f"statistics import {sessions} sessions, {kind} run {number}/{runs} …")
            found[memory].append(_spawn(sessions, memory=memory))
    return found[False], found[True]


def _line(label: str, values: list[float], unit: str, digits: int) -> str:
    median = statistics.median(values)
    return (
        f"| {label} | {median:.{digits}f} {unit} | "
        f"{min(values):.{digits}f}-{max(values):.{digits}f} {unit} | {len(values)} |"
    )


def report(timed: list[dict[str, Any]], measured: list[dict[str, Any]]) -> str:
    """The table: median and min-max over the runs."""
    sessions = timed[0]["sessions"] if timed else measured[0]["sessions"]
    lines = [
        f"Statistics import, {sessions:,} sessions on one charge point (load {_load()})",
        "",
        "| metric | median | min-max | runs |",
        "|---|---|---|---|",
    ]
    if timed:
        lines.append(_line("setup returns after", [r["setup_s"] for r in timed], "s", 2))
        lines.append(_line("history imported after", [r["import_s"] for r in timed], "s", 1))
        lines.append(_line("event loop late (max)", [r["loop_block_ms"] for r in timed], "ms", 0))
        lines.append(
            _line("longest loop callback", [r["longest_callback_ms"] for r in timed], "ms", 0)
        )
        lines.append(
            _line(
                "longest statistics step on the loop",
                [r["longest_statistics_ms"] for r in timed],
                "ms",
                1,
            )
        )
        lines.append(f"| transaction pages read | {timed[0]['pages']} | | |")
        lines.append(f"| hourly rows per statistic | {timed[0]['rows']} | | |")
    if measured:
        lines.append(
            _line("peak memory (tracemalloc)", [r["peak_mib"] for r in measured], "MiB", 1)
        )
    return "\n".join(lines)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text(encoding="utf-8").split()[0]
    except OSError:
        return "?"


def main() -> None:
    """Run the worker, or the runs and the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs and memory runs each")
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    parser.add_argument("--json", type=Path, help="write the runs here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(asyncio.run(run_once(args.sessions, args.memory))))
        return
    timed, measured = run_all(args.sessions, args.runs)
    print(report(timed, measured))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"timed": timed, "memory": measured}, indent=2))


if __name__ == "__main__":
    main()

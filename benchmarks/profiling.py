"""Where one benchmark phase spends its time: cProfile around it, grouped by whose code runs.

    .venv/bin/python -m benchmarks.profiling --phase push --impl ours --charge-points 10 \
        --pushes 2000 --deps .bench-deps

Arguments other than ``--phase``, ``--top`` and ``--out`` go to the worker as they are. When
a table row's ranges overlap, these groups show which part of the time differs between the
two sides and which part (event loop, sockets, the harness) both pay alike.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Awaitable, Callable
import cProfile
import os
import pstats
import sys
from typing import Any

# First match wins: (group, text in the function's file or name).
GROUPS: tuple[tuple[str, str], ...] = (
    ("ours: integration and client", "custom_components/bluecurrent"),
    ("core: integration", "homeassistant/components/blue_current"),
    ("core: client (bluecurrent_api, websockets)", "bluecurrent_api"),
    ("core: client (bluecurrent_api, websockets)", "site-packages/websockets"),
    ("Home Assistant", "homeassistant/"),
    ("aiohttp", "aiohttp"),
    ("simulator", "simulator/"),
    ("benchmark harness", "benchmarks/"),
    ("event loop (waiting in epoll)", "select.epoll"),
    ("event loop", "asyncio"),
)
PHASE_FUNCTIONS = {"setup": "setup_entry", "push": "pushes", "steady": "steady"}


def group_times(stats: pstats.Stats) -> Counter[str]:
    """Own time (tottime) per group: each function counted once, in the first group it fits."""
    groups: Counter[str] = Counter()
    for (file, _line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{file} {name}"
        label = next((g for g, text in GROUPS if text in where), "builtins and standard library")
        groups[label] += row[2]
    return groups


def report(stats: pstats.Stats, top: int) -> str:
    """The groups with seconds and shares, then the functions with the most own time."""
    groups = group_times(stats)
    total = sum(groups.values())
    lines = [f"own time in the phase: {total:.3f} s"]
    lines += [
        f"  {label:45s} {seconds:7.3f} s {seconds / total * 100:5.1f}%"
        for label, seconds in groups.most_common()
    ]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    lines.append(f"top {top} functions by own time:")
    lines += [
        f"  {row[2]:7.3f} s {row[1]:8d} calls  {os.path.basename(file)}:{line} {name}"
        for (file, line, name), row in rows[:top]
    ]
    return "\n".join(lines)


def _profiled(
    function: Callable[..., Awaitable[Any]], profiler: cProfile.Profile
) -> Callable[..., Awaitable[Any]]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        profiler.enable()
        try:
            return await function(*args, **kwargs)
        finally:
            profiler.disable()

    return wrapper


def main(argv: list[str] | None = None) -> int:
    """Run the worker with the phase profiled; print its JSON line, then the profile."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profiling")
    parser.add_argument("--phase", choices=sorted(PHASE_FUNCTIONS), default="push")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--out", default=None, help="also write the raw profile here")
    args, worker_args = parser.parse_known_args(argv)
    if "--phases" not in worker_args:
        phase_list = "setup" if args.phase == "setup" else f"setup,{args.phase}"
        worker_args += ["--phases", phase_list]
    # Home Assistant's clock must be patched before anything imports it, as the worker does.
    if "--deps" in worker_args:
        sys.path.insert(0, os.path.abspath(worker_args[worker_args.index("--deps") + 1]))
    import pytest_homeassistant_custom_component.patch_time  # type: ignore[import-untyped]  # noqa: F401, PLC0415

    from . import phases, worker  # noqa: PLC0415

    profiler = cProfile.Profile()
    name = PHASE_FUNCTIONS[args.phase]
    setattr(phases, name, _profiled(getattr(phases, name), profiler))
    code = worker.main(worker_args)
    if args.out:
        profiler.dump_stats(args.out)
    sys.stdout.write(report(pstats.Stats(profiler), args.top) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())

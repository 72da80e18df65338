"""`python -m benchmarks`: run every measurement for both integrations and print the table.

Each measurement runs in a fresh process (`benchmarks.worker`), ours and core alternating, so
CPU time, memory and event-loop stalls belong to one integration only. Results are written as
JSON (default artifacts/bench/latest.json plus a timestamped copy in artifacts/bench/history/).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
import json
import os
from pathlib import Path
import platform
import statistics
import subprocess
import sys
import time
from typing import Any

from . import statistics_import
from .report import build_rows, render
from .worker import RECOVERY_CASES, WorkerConfig

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEPS = ROOT / ".bench-deps"
DEFAULT_JSON = ROOT / "artifacts" / "bench" / "latest.json"
IMPL_NAMES = ("ours", "core")
# Past sessions the statistics-import table imports (scripts/bench, after the main table).
STATISTICS_SESSIONS = {"full": 5000, "quick": 1000, "smoke": 200}


@dataclass
class Plan:
    """Sizes and lengths of one benchmark run."""

    name: str
    setup_sizes: tuple[int, ...]
    main_size: int  # setup + pushes + steady state run on this many charge points
    pushes: int
    hours: float
    step: float
    memory_sizes: tuple[int, int]
    setup_timeout: float = 300.0
    worker_timeout: float = 600.0
    # Runs of each measurement (fresh processes): rows show the median and the min-max range.
    setup_repeats: int = 1  # setup runs per size
    push_repeats: int = 1  # push + steady-state runs (the main run is one)
    memory_repeats: int = 1  # memory runs per size
    recovery_repeats: int = 1  # recovery runs per case
    recovery_limit: float = 120.0  # simulated seconds to wait for a reconnect
    quiet: float = 0.3  # real seconds without traffic before counters are read
    impls: tuple[str, ...] = IMPL_NAMES
    seed: int = 0

    def jobs(self) -> list[tuple[str, str, WorkerConfig]]:
        """(kind, impl, config) in run order: ours and core alternate on every job."""
        jobs: list[tuple[str, str, WorkerConfig]] = []

        def add(kind: str, size: int, phases: tuple[str, ...], case: str = "") -> None:
            for impl in self.impls:
                config = WorkerConfig(
                    impl=impl,
                    charge_points=size,
                    phases=phases,
                    pushes=self.pushes,
                    hours=self.hours,
                    step=self.step,
                    setup_timeout=self.setup_timeout,
                    seed=self.seed,
                    recovery_case=case or "server_error",
                    recovery_limit=self.recovery_limit,
                    quiet=self.quiet,
                )
                jobs.append((kind, impl, config))

        add("main", self.main_size, ("setup", "push", "steady"))
        for _ in range(self.push_repeats - 1):
            add("push", self.main_size, ("setup", "push", "steady"))
        for size in self.setup_sizes:
            repeats = self.setup_repeats - (size == self.main_size) * self.push_repeats
            for _ in range(max(repeats, 0)):
                add("setup", size, ("setup",))
        for _ in range(self.memory_repeats):
            for size in self.memory_sizes:
                add("memory", size, ("memory",))
        for _ in range(self.recovery_repeats):
            for case in RECOVERY_CASES:
                add("recovery", self.main_size, ("setup", "recovery"), case)
        return jobs


PLANS = {
    "full": Plan(
        "full",
        setup_sizes=(1, 10, 100, 500),
        main_size=10,
        pushes=1000,
        hours=6.0,
        step=10.0,
        memory_sizes=(10, 100),
        setup_repeats=3,
        push_repeats=3,
        memory_repeats=3,
        recovery_repeats=3,
    ),
    "quick": Plan(
        "quick",
        setup_sizes=(1, 10, 50),
        main_size=10,
        pushes=300,
        hours=1.0,
        step=10.0,
        memory_sizes=(5, 25),
        setup_repeats=3,
        push_repeats=3,
        memory_repeats=3,
        recovery_repeats=3,
        setup_timeout=120.0,
        worker_timeout=240.0,
    ),
    # The smoke test's plan: every code path, tiny sizes.
    "smoke": Plan(
        "smoke",
        setup_sizes=(1, 3),
        main_size=3,
        pushes=20,
        hours=0.2,
        step=10.0,
        memory_sizes=(1, 3),
        setup_timeout=60.0,
        worker_timeout=120.0,
        recovery_limit=15.0,
        quiet=0.1,
    ),
}

Runner = Callable[[WorkerConfig, float], Awaitable[dict[str, Any]]]


def subprocess_runner(deps: Path | None) -> Runner:
    """Run each job in a fresh `python -m benchmarks.worker` process."""

    async def run(config: WorkerConfig, limit: float) -> dict[str, Any]:
        return run_process(config, limit, deps)

    return run


def in_process_runner() -> Runner:
    """Run each job in this process (the smoke test): same code, no process isolation."""
    from .worker import run_worker  # noqa: PLC0415

    async def run(config: WorkerConfig, limit: float) -> dict[str, Any]:
        # No asyncio.timeout here: the steady state warps the loop's clock, so it would fire
        # after `limit` simulated seconds. The caller's own timeout (pytest's) applies.
        return await run_worker(config)

    return run


def run_process(config: WorkerConfig, timeout: float, deps: Path | None) -> dict[str, Any]:
    """One worker process; a crash or a timeout becomes an error entry, never an exception."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.worker",
        "--impl",
        config.impl,
        "--charge-points",
        str(config.charge_points),
        "--phases",
        ",".join(config.phases),
        "--pushes",
        str(config.pushes),
        "--hours",
        str(config.hours),
        "--step",
        str(config.step),
        "--setup-timeout",
        str(config.setup_timeout),
        "--recovery-case",
        config.recovery_case,
        "--recovery-limit",
        str(config.recovery_limit),
        "--quiet",
        str(config.quiet),
    ]
    if config.impl == "core" and deps is not None:
        command += ["--deps", str(deps)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"impl": config.impl, "error": f"timed out after {timeout:g} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        return {"impl": config.impl, "error": f"worker exit {done.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


async def run_plan(
    plan: Plan, runner: Runner, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Run every job of the plan; return the raw results grouped per integration."""
    results: dict[str, dict[str, Any]] = {
        impl: {
            "runs": {"push": [], "steady": [], "setup": {}, "memory": {}, "recovery": {}},
            "errors": [],
        }
        for impl in plan.impls
    }
    jobs = plan.jobs()
    for number, (kind, impl, config) in enumerate(jobs, 1):
        label = f"[{number}/{len(jobs)}] {impl} {kind} {config.charge_points} charge points"
        if progress:
            progress(f"{label} …")
        started = time.perf_counter()
        result = await runner(config, plan.worker_timeout)
        elapsed = time.perf_counter() - started
        if progress:
            outcome = f"error: {result['error']}" if "error" in result else "ok"
            progress(f"{label}: {outcome} ({elapsed:.1f} s)")
        record(results[impl], kind, config, result)
    for side in results.values():
        runs = side["runs"]
        side["push"] = median_push(runs["push"])
        side["setup"] = {size: median_run(runs["setup"][size]) for size in sorted(runs["setup"])}
        side["setup_repeats"] = {size: len(runs["setup"][size]) for size in sorted(runs["setup"])}
        side["memory"] = {size: found[0] for size, found in sorted(runs["memory"].items())}
        side["recovery"] = {case: found[0] for case, found in runs["recovery"].items()}
    return results


def record(side: dict[str, Any], kind: str, config: WorkerConfig, result: dict[str, Any]) -> None:
    """File one worker's result under its kind; every repeat is kept for the ranges."""
    runs = side["runs"]
    if "error" in result:
        side["errors"].append(f"{kind} {config.charge_points}: {result['error']}")
    if "push" in result:
        runs["push"].append(result["push"])
    if "steady" in result:
        runs["steady"].append(result["steady"])
    if kind == "main":
        side["main"] = result
    if kind in ("main", "push", "setup"):
        runs["setup"].setdefault(config.charge_points, []).append(result)
    elif kind == "recovery":
        case = config.recovery_case
        outcome = (result.get("recovery") or {}).get(case) or {
            "error": result.get("error", "no result"),
            "seconds": None,
        }
        runs["recovery"].setdefault(case, []).append(outcome)
    elif kind == "memory":
        runs["memory"].setdefault(config.charge_points, []).append(result)
    if "library" in result:
        side["library"] = result["library"]


def median_push(runs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Each push metric's median over the runs (one hiccup must not decide a row)."""
    if not runs:
        return None

    def median(values: list[float]) -> float:
        return statistics.median(values)

    return {
        "runs": len(runs),
        "count": sum(run["count"] for run in runs),
        "latency_ms": {
            key: median([run["latency_ms"][key] for run in runs])
            for key in ("p50", "p99", "max", "mean")
        },
        "cpu_seconds_per_1000": median([run["cpu_seconds_per_1000"] for run in runs]),
        "loop_block_max_ms": median([run["loop_block_max_ms"] for run in runs]),
    }


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median setup time (a failed run counts as slowest)."""

    def seconds(run: dict[str, Any]) -> float:
        value = (run.get("setup") or {}).get("seconds")
        return float(value) if isinstance(value, int | float) else float("inf")

    ordered = sorted(runs, key=seconds)
    return ordered[(len(ordered) - 1) // 2]


def summarise(plan: Plan, results: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The JSON document: environment, plan, rows and raw results."""
    rows = build_rows(results)
    return {
        "schema": 1,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "plan": {
            "name": plan.name,
            "setup_sizes": list(plan.setup_sizes),
            "main_size": plan.main_size,
            "pushes": plan.pushes,
            "steady_hours": plan.hours,
            "steady_step_seconds": plan.step,
            "memory_sizes": list(plan.memory_sizes),
        },
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "git": _git_revision(),
        },
        "libraries": {impl: side.get("library") for impl, side in results.items()},
        "seconds": seconds,
        "rows": [row.as_dict() for row in rows],
        "results": results,
    }


def _git_revision() -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - read-only
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None


def header(document: dict[str, Any]) -> str:
    """One line saying what was compared, on what."""
    libraries = document["libraries"]
    core = libraries.get("core") or {}
    plan = document["plan"]
    env = document["environment"]
    load = env.get("load_average")
    load_text = f", load {load[0]:.1f}" if load else ""
    return (
        f"Blue Current: ours vs Home Assistant core blue_current (bluecurrent-api "
        f"{core.get('version', '?')}), {plan['name']} run, {plan['pushes']} pushes, "
        f"{plan['steady_hours']:g} h steady state; {env['cpus']} CPUs{load_text}"
    )


def write_json(document: dict[str, Any], path: Path) -> list[Path]:
    """Write the document to `path` and, for the default path, a timestamped copy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, sort_keys=False, default=str) + "\n"
    path.write_text(text)
    written = [path]
    if path == DEFAULT_JSON:
        stamp = document["created"].replace(":", "").replace("-", "")[:15]
        history = path.parent / "history" / f"{stamp}-{document['plan']['name']}.json"
        history.parent.mkdir(parents=True, exist_ok=True)
        history.write_text(text)
        written.append(history)
    return written


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the plan, print the table, write the JSON."""
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (~1-2 minutes)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    parser.add_argument("--deps", type=Path, default=DEFAULT_DEPS, help="bluecurrent-api 1.2.3")
    parser.add_argument("--only", choices=IMPL_NAMES, help="run one side only")
    parser.add_argument(
        "--no-statistics", action="store_true", help="skip the statistics import (ours only)"
    )
    args = parser.parse_args(argv)
    plan = PLANS["quick" if args.quick else "full"]
    if args.only:
        plan = dataclasses.replace(plan, impls=(args.only,))
    deps: Path | None = args.deps if args.deps.is_dir() else None
    if deps is None and "core" in plan.impls:
        print(
            f"warning: {args.deps} missing; core runs with the venv's bluecurrent-api "
            "(scripts/bench installs 1.2.3 there)",
            file=sys.stderr,
        )

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    started = time.perf_counter()
    results = asyncio.run(run_plan(plan, subprocess_runner(deps), progress))
    document = summarise(plan, results, time.perf_counter() - started)
    rows = build_rows(results)
    print(render(rows, header(document)))
    if "ours" in plan.impls and not args.no_statistics:
        # Core imports no history: this table has no core column.
        sessions = STATISTICS_SESSIONS[plan.name]
        try:
            timed, measured = statistics_import.run_all(sessions, plan.setup_repeats, progress)
        except (RuntimeError, subprocess.TimeoutExpired) as err:
            document["statistics_import"] = {"error": str(err)}
            results["ours"]["errors"].append(f"statistics import: {err}")
            print(f"\nStatistics import failed: {err}")
        else:
            document["statistics_import"] = {"timed": timed, "memory": measured}
            print()
            print(statistics_import.report(timed, measured))
    for path in write_json(document, args.json):
        print(f"JSON: {path}", file=sys.stderr)
    # A failing core is a result (it is in the table); a failing ours is a broken benchmark.
    return 1 if results.get("ours", {}).get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())

"""One measurement process: one integration, one Home Assistant instance, one simulator.

Run by the orchestrator as ``python -m benchmarks.worker --impl ours --phases setup,push ...``;
it prints one JSON object on the last line of stdout. The core side is started with
``--deps .bench-deps`` so that bluecurrent-api 1.2.3 (what core's manifest pins) shadows the
test venv's newer copy; that path is put first on sys.path before anything imports it.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
import json
import logging
import os
import sys
import tempfile
import time
from typing import Any

PHASES = ("setup", "push", "steady", "recovery", "memory")
# Close codes: 1001 is what a server sends when it shuts down or restarts (a clean close);
# 1011 an unexpected server error (an unclean close, as when the network path breaks).
RECOVERY_CASES = {"cloud_restart": 1001, "server_error": 1011}


@dataclass
class WorkerConfig:
    """What one process measures."""

    impl: str
    charge_points: int
    phases: tuple[str, ...]
    pushes: int = 1000
    hours: float = 1.0
    step: float = 10.0
    setup_timeout: float = 300.0
    seed: int = 0
    recovery_case: str = "server_error"
    recovery_limit: float = 120.0
    quiet: float = 0.3


async def run_worker(config: WorkerConfig) -> dict[str, Any]:
    """Start a simulator thread and a Home Assistant instance, and run the phases in order.

    Usable in-process (the smoke test does): everything it starts, it stops.
    """
    from .harness import IMPLS, Core, SimThread, home_assistant  # noqa: PLC0415
    from .phases import (  # noqa: PLC0415
        BenchError,
        memory,
        pushes,
        recovery,
        setup_entry,
        steady,
    )

    impl = IMPLS[config.impl]()
    result: dict[str, Any] = {
        "impl": config.impl,
        "charge_points": config.charge_points,
        "phases": list(config.phases),
    }
    # One charge point charges (pushes CH_STATUS in the steady state); the rest are idle.
    sim = SimThread(
        quiet=config.quiet, charge_points=config.charge_points, seed=config.seed, charging=1
    )
    await sim.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-ha-") as config_dir:
            async with home_assistant(config_dir) as hass:
                await impl.prepare(hass, sim.sim)
                result["library"] = impl.library()
                try:
                    if "memory" in config.phases:
                        result["memory"] = await memory(hass, sim, impl, config.setup_timeout)
                    else:
                        result["setup"] = await setup_entry(hass, sim, impl, config.setup_timeout)
                    if "push" in config.phases:
                        result["push"] = await pushes(hass, sim, impl, config.pushes)
                    if "steady" in config.phases:
                        result["steady"] = await steady(hass, sim, config.hours, config.step)
                    if "recovery" in config.phases:
                        # One case per process: what happens on the first drop since setup.
                        case = config.recovery_case
                        result["recovery"] = {
                            case: await recovery(
                                hass,
                                sim,
                                impl,
                                RECOVERY_CASES[case],
                                limit=config.recovery_limit,
                            )
                        }
                except BenchError as err:
                    result["error"] = str(err)
    finally:
        await sim.stop()
        if isinstance(impl, Core):
            impl.restore()
    return result


def _parse(argv: list[str] | None) -> tuple[WorkerConfig, str | None]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("--impl", choices=("ours", "core"), required=True)
    parser.add_argument("--charge-points", type=int, required=True)
    parser.add_argument("--phases", default="setup")
    parser.add_argument("--pushes", type=int, default=1000)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--step", type=float, default=10.0)
    parser.add_argument("--setup-timeout", type=float, default=300.0)
    parser.add_argument("--recovery-case", choices=sorted(RECOVERY_CASES), default="server_error")
    parser.add_argument("--recovery-limit", type=float, default=120.0)
    parser.add_argument("--quiet", type=float, default=0.3)
    parser.add_argument("--deps", default=None, help="directory put first on sys.path")
    args = parser.parse_args(argv)
    phases = tuple(p for p in args.phases.split(",") if p)
    if unknown := set(phases) - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    config = WorkerConfig(
        impl=args.impl,
        charge_points=args.charge_points,
        phases=phases,
        pushes=args.pushes,
        hours=args.hours,
        step=args.step,
        setup_timeout=args.setup_timeout,
        recovery_case=args.recovery_case,
        recovery_limit=args.recovery_limit,
        quiet=args.quiet,
    )
    return config, args.deps


def main(argv: list[str] | None = None) -> int:
    """Entry point of the worker process."""
    config, deps = _parse(argv)
    if deps:
        sys.path.insert(0, os.path.abspath(deps))
    # Before any Home Assistant import: make dt_util.utcnow a plain, patchable function.
    import asyncio  # noqa: PLC0415
    import warnings  # noqa: PLC0415

    import pytest_homeassistant_custom_component.patch_time  # type: ignore[import-untyped]  # noqa: F401, PLC0415

    warnings.simplefilter("ignore", DeprecationWarning)
    logging.basicConfig(level=os.environ.get("BENCH_LOG_LEVEL", "CRITICAL"))
    started = time.perf_counter()
    result = asyncio.run(run_worker(config))
    result["process_seconds"] = time.perf_counter() - started
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

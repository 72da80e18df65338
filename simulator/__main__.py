"""Command line: `python -m simulator --port 8765 --charge-points 3` serves until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime
import signal
import sys

from .server import Simulator
from .state import TZ


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the flags (see README.md)."""
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--charge-points", type=int, default=3)
    parser.add_argument("--username", default="demo@example.com")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--api-token", default="demo-api-token")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--charging", type=int, default=1, help="charge points with a session")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per second")
    parser.add_argument("--tick", type=float, default=5.0, help="seconds between updates")
    parser.add_argument("--grids", type=int, default=1, help="grid connections (round-robin)")
    parser.add_argument(
        "--history", type=int, default=0, help="extra past sessions per charge point (last year)"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Run until SIGINT/SIGTERM, then shut down cleanly."""
    sim = Simulator(
        host=args.host,
        port=args.port,
        charge_points=args.charge_points,
        username=args.username,
        password=args.password,
        api_token=args.api_token,
        seed=args.seed,
        charging=args.charging,
        tick_interval=args.tick if args.tick > 0 else None,
        speed=args.speed,
        start=datetime.now(TZ),
        grids=args.grids,
        history=args.history,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await sim.start()
    print(f"Blue Current simulator ready at {sim.base_url}", flush=True)
    print(f"  app websocket: {sim.ws_url}", flush=True)
    print(f"  HA websocket:  {sim.haserver_url}", flush=True)
    print(f"  REST v2.0:     {sim.api_url}", flush=True)
    print(f"  REST v2.1:     {sim.api_v21_url}", flush=True)
    print(f"  REST bce:      {sim.bce_url}", flush=True)
    print(f"  charge points: {', '.join(sim.account.charge_points)}", flush=True)
    print(f"  grids:         {', '.join(sim.grids)}", flush=True)
    try:
        await stop.wait()
    finally:
        await sim.stop()
        print("Simulator stopped", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit code 0 after Ctrl-C."""
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

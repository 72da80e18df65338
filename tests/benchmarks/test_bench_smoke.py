"""A tiny benchmark run, in this process: every measurement, both integrations, the table.

The only test in the suite with timed bounds, and they are loose: it checks that the benchmark
measures what it claims (pushes reach states, polls and pings are counted, the steady state
and the reconnects happen), not how fast anything is.
"""

from __future__ import annotations

import asyncio
import json
import math
from typing import Any

from benchmarks.__main__ import PLANS, Plan, in_process_runner, run_plan, summarise
from benchmarks.report import build_rows, render


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


async def test_tiny_run(socket_enabled: None) -> None:
    # pytest runs the loop in debug mode, which slows everything a benchmark measures.
    asyncio.get_running_loop().set_debug(False)
    plan = PLANS["smoke"]
    results = await run_plan(plan, in_process_runner())
    check_results(plan, results)
    check_report(plan, results)


def check_results(plan: Plan, results: dict[str, Any]) -> None:
    """Each side measured what the benchmark claims to measure."""
    for impl in ("ours", "core"):
        side = results[impl]
        assert side["errors"] == []
        main = side["main"]
        assert sorted(side["setup"]) == [1, 3]
        for size, run in side["setup"].items():
            setup = run["setup"]
            assert setup["charge_points"] == size
            assert 0 < setup["seconds"] < 30
            assert setup["traffic"]["connections"] >= 1
        assert side["push"]["runs"] == plan.push_repeats
        assert len(side["runs"]["steady"]) == plan.push_repeats
        push = main["push"]
        assert push["count"] == plan.pushes
        latency = push["latency_ms"]
        assert 0 < latency["p50"] <= latency["p99"] <= latency["max"] < 5000
        assert push["cpu_seconds"] > 0
        assert push["traffic"]["frames_from_cloud"] == plan.pushes  # one CH_STATUS each
        steady = main["steady"]
        assert steady["hours"] == plan.hours
        assert steady["traffic"]["connections"] == 0  # nothing dropped while time flew
        assert steady["traffic"]["frames_from_cloud"] > 0
        for size in plan.memory_sizes:
            assert side["memory"][size]["memory"]["retained_bytes"] > 0

    ours, core = results["ours"], results["core"]
    # Ours logs in with the password and reads status over REST; core uses its API token and
    # asks for each charge point's status over the websocket.
    assert ours["setup"][3]["setup"]["traffic"]["by_command"]["VALIDATE_PASSWORD"] == 1
    assert ours["setup"][3]["setup"]["traffic"]["rest_requests"] >= 3
    assert core["setup"][3]["setup"]["traffic"]["by_command"]["GET_CH_STATUS"] == 3
    # 12 simulated minutes: ours polled (every 10 min); core never polls but pings every 20 s.
    assert ours["main"]["steady"]["traffic"]["ws_commands"] > 0
    assert core["main"]["steady"]["traffic"]["ws_commands"] == 0
    assert core["main"]["steady"]["traffic"]["pings"] >= 30
    # Ours reconnects after its first backoff (0.5-1 s) and catches up.
    for case in ("server_error", "cloud_restart"):
        recovery = ours["recovery"][case]
        assert recovery["calm_minute_traffic"]["connections"] == 0
        assert _number(recovery["seconds"])
        assert 0.1 < recovery["seconds"] < 15
        assert recovery["traffic"]["connections"] == 1
    # Core waits 5 s after an unclean close; what it does on a clean one is its business.
    assert 5 <= core["recovery"]["server_error"]["seconds"] < 10
    restart = core["recovery"]["cloud_restart"]
    assert _number(restart["seconds"]) or "reconnect" in restart["error"]


def check_report(plan: Plan, results: dict[str, Any]) -> None:
    """The table and the JSON hold every row, with a number on both sides."""
    rows = build_rows(results)
    keys = {row.key for row in rows}
    assert {
        "latency",
        "cpu",
        "setup_time",
        "setup_requests",
        "steady_frames",
        "memory",
        "loop_block_push",
        "loop_block_setup",
        "recovery_server_error",
        "recovery_cloud_restart",
        "setup_per_entity",
        "memory_per_entity",
    } <= keys
    for row in rows:
        if not row.key.startswith("recovery"):
            assert row.ours is not None, row
            assert row.core is not None, row
        assert row.leader in ("ours", "core", "tie", "overlap")
    text = render(rows, "header")
    assert text.splitlines()[0] == "header"
    assert "core/ours" in text
    for row in rows:
        assert row.metric in text
    document = summarise(plan, results, 1.0)
    parsed = json.loads(json.dumps(document, default=str))
    assert parsed["plan"]["name"] == "smoke"
    assert len(parsed["rows"]) == len(rows)
    assert parsed["libraries"]["core"]["name"] == "bluecurrent-api"

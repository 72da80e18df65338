"""The table logic: ratios, leaders, notes and failures, on made-up results."""

from __future__ import annotations

import asyncio
import math
from typing import Any

from homeassistant.helpers import event as event_helper
from homeassistant.util import dt as dt_util

from benchmarks.harness import WarpClock
from benchmarks.phases import percentile
from benchmarks.report import Row, build_rows, render


def _side(latency: float, setup_500: float | None, recovery: float | None) -> dict[str, Any]:
    setup_runs = {
        10: {"setup": {"seconds": 0.1, "traffic": {"requests": 20, "ws_commands": 10}}},
        500: (
            {"setup": {"seconds": setup_500, "traffic": {"requests": 510, "ws_commands": 500}}}
            if setup_500 is not None
            else {"error": "timed out after 300 s"}
        ),
    }
    return {
        "push": {"latency_ms": {"p50": latency, "p99": latency * 2, "max": latency * 3}},
        "setup": setup_runs,
        "memory": {},
        "recovery": {
            "server_error": (
                {"seconds": recovery}
                if recovery is not None
                else {"seconds": None, "error": "no reconnect within 120 s"}
            )
        },
    }


def _row(rows: list[Row], metric: str) -> Row:
    return next(row for row in rows if row.metric.startswith(metric))


def test_leader_ratio_and_notes() -> None:
    rows = build_rows({"ours": _side(1.0, 2.0, 0.8), "core": _side(2.0, None, None)})
    p50 = _row(rows, "push → state latency p50")
    assert (p50.ours, p50.core, p50.ratio, p50.leader) == (1.0, 2.0, 2.0, "ours")
    assert p50.note == ""  # ours leads: nothing to explain
    big = _row(rows, "setup time, 500")
    assert big.core is None
    assert big.error_core == "timed out after 300 s"
    assert big.leader == "ours"  # core did not finish
    recovery = _row(rows, "recovery: state right after server error")
    assert recovery.leader == "ours"
    assert recovery.as_dict()["ratio_core_over_ours"] is None
    text = render(rows)
    assert "failed" in text
    assert "core timed out after 300 s" in text
    assert "core no reconnect within 120 s" in text


def test_lost_rows_get_a_note_and_zero_is_infinitely_better() -> None:
    rows = build_rows({"ours": _side(3.0, 2.0, 0.8), "core": _side(1.0, 1.0, 5.0)})
    p50 = _row(rows, "push → state latency p50")
    assert p50.leader == "core"
    assert p50.note
    assert "Where ours does not lead" in render(rows)
    zero = Row("pings", "pings", "", 0.0, 180.0)
    assert math.isinf(zero.ratio or 0)
    assert zero.leader == "ours"
    assert zero.as_dict()["ratio_infinite"] is True
    assert Row("x", "x", "", 0.0, 0.0).leader == "tie"


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert math.isnan(percentile([], 50))


async def test_warp_clock_moves_and_restores_every_clock() -> None:
    loop = asyncio.get_running_loop()
    utcnow, tracker = dt_util.utcnow, event_helper.time_tracker_utcnow
    own_time = vars(loop).get("time")  # the test harness may have set one already
    before_loop, before_utc = loop.time(), dt_util.utcnow()
    fired: list[float] = []
    loop.call_later(3600, lambda: fired.append(loop.time()))
    with WarpClock(loop) as clock:
        await asyncio.sleep(0)
        clock.advance(3600)
        assert loop.time() - before_loop >= 3600
        assert (dt_util.utcnow() - before_utc).total_seconds() >= 3600
        assert (event_helper.time_tracker_utcnow() - before_utc).total_seconds() >= 3600
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert fired  # the hour-long timer ran without waiting an hour
    assert loop.time() - before_loop < 60
    assert dt_util.utcnow is utcnow
    assert event_helper.time_tracker_utcnow is tracker
    assert vars(loop).get("time") is own_time

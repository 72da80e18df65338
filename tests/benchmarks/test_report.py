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


def _setup(seconds: float, requests: int, entities: int) -> dict[str, Any]:
    return {
        "setup": {
            "seconds": seconds,
            "registry_entities": entities,
            "traffic": {"requests": requests, "ws_commands": requests // 2},
        }
    }


def _side(
    latencies: list[float], setup_500: float | None, recovery: float | None
) -> dict[str, Any]:
    big = (
        [_setup(setup_500, 510, 10000)] * 3
        if setup_500 is not None
        else [{"error": "timed out after 300 s"}]
    )
    return {
        "runs": {
            "push": [
                {"latency_ms": {"p50": v, "p99": v * 2, "max": v * 3}, "cpu_seconds_per_1000": v}
                for v in latencies
            ],
            "steady": [],
            "setup": {10: [_setup(0.1, 20, 200)] * 3, 500: big},
            "memory": {
                10: [{"memory": {"retained_bytes": 1024 * 100, "registry_entities": 200}}] * 2,
                100: [
                    {"memory": {"retained_bytes": 1024 * 1000, "registry_entities": 2000}},
                    {"memory": {"retained_bytes": 1024 * 1090, "registry_entities": 2000}},
                ],
            },
            "recovery": {
                "server_error": [
                    {"seconds": recovery}
                    if recovery is not None
                    else {"seconds": None, "error": "no reconnect within 120 s"}
                ]
            },
        },
        "errors": [],
    }


def _row(rows: list[Row], metric: str) -> Row:
    return next(row for row in rows if row.metric.startswith(metric))


def test_a_lead_needs_ranges_apart() -> None:
    """Medians decide the ratio; only ranges that do not overlap decide who leads."""
    rows = build_rows(
        {"ours": _side([1.0, 1.1, 1.2], 2.0, 0.8), "core": _side([2.0, 2.2, 2.4], None, None)}
    )
    p50 = _row(rows, "push → state latency p50")
    assert (p50.ours, p50.core, p50.leader) == (1.1, 2.2, "ours")
    assert p50.ratio == 2.0
    assert p50.note == ""  # ours leads: nothing to explain
    overlap = build_rows(
        {"ours": _side([1.0, 1.5, 3.0], 2.0, 0.8), "core": _side([2.0, 2.1, 2.2], 2.0, 0.8)}
    )
    row = _row(overlap, "push → state latency p50")
    assert row.ours is not None
    assert row.core is not None
    assert row.ours < row.core  # a better median ...
    assert row.leader == "overlap"  # ... but the ranges overlap
    assert row.note  # so the table explains it
    assert "1.50 (1.00-3.00)" in render(overlap)


def test_failures_and_per_entity_rows() -> None:
    rows = build_rows({"ours": _side([1.0], 2.0, 0.8), "core": _side([2.0], None, None)})
    big = _row(rows, "setup time, 500")
    assert big.core is None
    assert big.error_core == "timed out after 300 s"
    assert big.leader == "ours"  # core did not finish
    per_entity = _row(rows, "setup time per registered entity")
    assert per_entity.ours == 200.0  # 2 s over 10,000 entities, in µs
    memory = _row(rows, "memory per registered entity")
    assert memory.ours_samples == [0.5, 0.55]  # KiB per extra entity, one per pair of runs
    assert _row(rows, "registered entities per charge point").ours == 20.0
    recovery = _row(rows, "recovery: state right after server error")
    assert recovery.leader == "ours"
    assert recovery.as_dict()["ratio_core_over_ours"] is None
    text = render(rows)
    assert "failed" in text
    assert "core timed out after 300 s" in text
    assert "core no reconnect within 120 s" in text


def test_zero_is_infinitely_better_and_equal_is_a_tie() -> None:
    zero = Row("pings", "pings", "", [0.0, 0.0], [180.0, 180.0])
    assert zero.ratio is not None
    assert math.isinf(zero.ratio)
    assert zero.leader == "ours"
    assert zero.as_dict()["ratio_infinite"] is True
    assert Row("x", "x", "", [0.0], [0.0]).leader == "tie"
    assert Row("x", "x", "", [], []).leader == "?"


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

"""A small statistics-import benchmark run, in this process: what it measures, not how fast."""

from __future__ import annotations

import asyncio

from benchmarks.__main__ import STATISTICS_SESSIONS
from benchmarks.statistics_import import report, run_once


async def test_small_import(socket_enabled: None) -> None:
    # pytest runs the loop in debug mode, which slows everything a benchmark measures.
    asyncio.get_running_loop().set_debug(False)
    sessions = STATISTICS_SESSIONS["smoke"]
    result = await run_once(sessions, memory=True)
    # The whole history reached the database (run_once waits for the last sum to match).
    assert result["sessions"] >= sessions
    assert result["pages"] >= sessions // 25
    assert result["rows"] > 0
    assert result["peak_mib"] > 0
    # Setup returns before the import ends: it runs in the background.
    assert 0 < result["setup_s"] < result["import_s"]
    table = report([result], [result])
    assert "history imported after" in table
    assert "peak memory (tracemalloc)" in table

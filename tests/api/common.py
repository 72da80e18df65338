"""Small helpers shared by the API tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
import time


async def wait_until(condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Poll in real time until ``condition`` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


class FakeClock:
    """A wall clock the test moves by hand, for ``ClientSettings.now`` (the daily limit's reset)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta

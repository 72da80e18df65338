"""Small helpers shared by the API tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import time


async def wait_until(condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Poll in real time until ``condition`` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)

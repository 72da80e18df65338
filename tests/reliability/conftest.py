"""Fixtures of the reliability tests: the integration's fixtures, a simulated clock, fast waits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import freezegun.api
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from tests.integration.conftest import (  # noqa: F401 - fixtures, registered by importing them
    auto_enable_custom_integrations,
    clock_jumps,
    cloud,
    config_entry,
    loaded_entry,
    wait_for,
)

from .oracle import enable_all


@pytest.fixture
def sim_clock(
    hass: HomeAssistant, simulator: Simulator, freezer: FrozenDateTimeFactory
) -> FrozenDateTimeFactory:
    """Home Assistant's wall clock (and the client's) set to the simulator's time.

    The freezer moves ``datetime.now``, ``time.time`` and ``dt_util.utcnow`` wherever they are
    read, so the client's daily limit reset and the coordinator's schedule follow simulated time.
    The event loop keeps the real monotonic clock (the freezer would stop it too): sockets,
    timeouts and backoff run in real time. It stays so until the test's loop is closed, also
    after the freezer stops, when the loop's own clock would read the same real time.
    Tests move the wall clock with ``freezer.move_to(simulator.now)`` after ``simulator.advance``.
    """
    # Read through the module: freezegun replaces any copy of it held elsewhere.
    hass.loop.time = freezegun.api.real_monotonic  # type: ignore[method-assign]
    freezer.move_to(simulator.now)
    return freezer


async def wait_until(
    condition: Callable[[], bool], seconds: float, hass: HomeAssistant | None = None
) -> bool:
    """Poll on the loop's clock (real time even under the freezer) until ``condition`` holds.

    Returns whether it did; ``seconds`` is a generous upper bound, not a performance limit.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            return False
        if hass is not None:
            await hass.async_block_till_done()
        await asyncio.sleep(0.01)
    return True


@pytest.fixture
async def full_entry(
    hass: HomeAssistant,
    clock_jumps: None,  # noqa: F811 - the fixtures imported above
    loaded_entry: MockConfigEntry,  # noqa: F811
) -> MockConfigEntry:
    """The loaded entry with every entity enabled, the ones disabled by default included.

    Without websocket pings: firing the timers of a poll interval ahead would time out a pong
    and reconnect, which refetches everything and hides what a poll alone does.
    """
    assert await enable_all(hass, loaded_entry) > 0
    return loaded_entry

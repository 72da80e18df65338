"""Fixtures shared by every test: a Blue Current cloud simulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from simulator import Simulator


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """A fresh simulated cloud on an ephemeral port, with two charge points."""
    sim = Simulator(charge_points=2, seed=1, charging=1)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()

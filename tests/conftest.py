"""Fixtures shared by every test: a Blue Current cloud simulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest

from custom_components.bluecurrent.const import DOMAIN
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


def find_device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    """The integration's device with this identifier (an evse id, grid id or entry id).

    Through the entries' own devices: DeviceRegistry.async_get_device is deprecated from Home
    Assistant 2026.8 on, and raises when a test (not an integration) calls it.
    """
    registry = dr.async_get(hass)
    for entry in hass.config_entries.async_entries(DOMAIN):
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            if (DOMAIN, identifier) in device.identifiers:
                return device
    return None

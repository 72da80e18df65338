"""Fixtures of the history statistics tests: a recorder, and an account with a year of sessions.

Imported by the test_statistics* modules (a conftest.py is shared by every test here); tests
ask for the imported entry with ``usefixtures("imported")``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
import logging

from homeassistant.components.recorder import Recorder
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from .test_statistics_oracle import settle_statistics


async def async_import(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up in Amsterdam's time zone and wait until its history is imported."""
    await hass.config.async_set_time_zone("Europe/Amsterdam")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await settle_statistics(hass)


async def async_restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload the entry (a restart: stored totals are read again) and let the statistics settle."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await settle_statistics(hass)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    recorder_mock: Recorder, enable_custom_integrations: None
) -> Iterator[None]:
    """A recorder in every test that imports this; it must be set up before Home Assistant is.

    The test plugin logs every SQL statement; the recorder's thread would print them between
    the test results.
    """
    engine = logging.getLogger("sqlalchemy.engine")
    level = engine.level
    engine.setLevel(logging.WARNING)
    yield
    engine.setLevel(level)


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """The default account with a year of sessions: 100 more per charge point."""
    sim = Simulator(charge_points=2, seed=1, charging=1, history=100)
    async with sim:
        yield sim


@pytest.fixture
async def imported(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> AsyncIterator[MockConfigEntry]:
    """The entry set up in Amsterdam's time zone, its history imported."""
    await async_import(hass, config_entry)
    yield config_entry
    if config_entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(config_entry.entry_id)

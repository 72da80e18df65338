"""Home Assistant test instance with the integration pointed at the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import time

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.const import CONF_CLOUD_URL, DOMAIN
from simulator import Simulator

USERNAME = "demo@example.com"
PASSWORD = "demo"
API_TOKEN = "demo-api-token"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/bluecurrent in every test."""


@pytest.fixture
async def cloud(hass: HomeAssistant, simulator: Simulator) -> Simulator:
    """The simulator, set as the developer cloud address before any flow runs."""
    assert await async_setup_component(hass, DOMAIN, {DOMAIN: {CONF_CLOUD_URL: simulator.base_url}})
    return simulator


@pytest.fixture
def config_entry(simulator: Simulator) -> MockConfigEntry:
    """An entry for the simulator's default account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=USERNAME,
        unique_id=USERNAME,
        data={
            CONF_USERNAME: USERNAME,
            CONF_PASSWORD: PASSWORD,
            CONF_CLOUD_URL: simulator.base_url,
        },
    )


@pytest.fixture
async def loaded_entry(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> AsyncIterator[MockConfigEntry]:
    """The entry set up against the simulator; unloaded afterwards so nothing lingers."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    yield config_entry
    if config_entry.state is ConfigEntryState.LOADED:
        assert await hass.config_entries.async_unload(config_entry.entry_id)
        await hass.async_block_till_done()


type WaitFor = Callable[[Callable[[], bool], float], Awaitable[None]]


@pytest.fixture
def wait_for(hass: HomeAssistant) -> WaitFor:
    """Wait, in real time, until a condition on Home Assistant's state holds."""

    async def _wait(condition: Callable[[], bool], seconds: float = 5.0) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError("condition not met in time")
            await hass.async_block_till_done()
            await asyncio.sleep(0.02)

    return _wait


def entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The entity id registered for a unique id."""
    from homeassistant.helpers import entity_registry as er

    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert found is not None, f"no {platform} entity with unique id {unique_id}"
    return found


def state_of(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The current state of an entity, by unique id."""
    state = hass.states.get(entity_id(hass, platform, unique_id))
    assert state is not None
    return state.state

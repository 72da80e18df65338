"""Home Assistant test instance with the integration pointed at the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.bluecurrent.const import CONF_CLOUD_URL, DOMAIN
from custom_components.bluecurrent.coordinator import BlueCurrentCoordinator
from custom_components.bluecurrent.settings import DATA_SETTINGS, DEFAULT_SETTINGS, get_settings
from simulator import Simulator

USERNAME = "demo@example.com"
PASSWORD = "demo"
API_TOKEN = "demo-api-token"
# A fixed entry id: the account's entities carry it in their unique ids (snapshots).
ENTRY_ID = "01JBLUECURRENTTESTENTRY000"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load custom_components/bluecurrent in every test."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in Home Assistant's format, under tests/integration/snapshots/.

    The test plugin defines this fixture too, but syrupy's own registers later and wins.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


POLL_INTERVAL = DEFAULT_SETTINGS.poll_interval


@pytest.fixture
async def cloud(hass: HomeAssistant, simulator: Simulator) -> Simulator:
    """The simulator, with the integration's actions registered (as at Home Assistant start)."""
    assert await async_setup_component(hass, DOMAIN, {})
    return simulator


def use_settings(hass: HomeAssistant, **changes: object) -> None:
    """Inject other timings for the entries set up from now on."""
    hass.data[DATA_SETTINGS] = replace(get_settings(hass), **changes)  # type: ignore[arg-type]


def use_client_settings(hass: HomeAssistant, **changes: object) -> None:
    """Inject other client timings for the entries set up from now on."""
    use_settings(hass, client=replace(get_settings(hass).client, **changes))  # type: ignore[arg-type]


@pytest.fixture
def config_entry(simulator: Simulator) -> MockConfigEntry:
    """An entry for the simulator's default account."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=USERNAME,
        unique_id=USERNAME,
        entry_id=ENTRY_ID,
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
    """The entry set up against the simulator, its transaction history read in the background.

    Unloaded afterwards so nothing lingers.
    """
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
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


# Unavailable by design in the simulator's default account: boost (no smart charging is on), the
# delayed-charging window (none saved yet) and price-based charging's settings (it is off).
IDLE_SMART_KEYS = (
    "boost",
    "delayed_charging_start",
    "delayed_charging_end",
    "departure_time",
    "expected_energy",
    "minimum_energy",
)


def idle_smart(unique_id: str) -> bool:
    """Whether an entity is one that smart charging's default state leaves unavailable."""
    return unique_id.endswith(tuple(f"_{key}" for key in IDLE_SMART_KEYS))


def entity_id(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The entity id registered for a unique id."""
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert found is not None, f"no {platform} entity with unique id {unique_id}"
    return found


def state_of(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The current state of an entity, by unique id."""
    state = hass.states.get(entity_id(hass, platform, unique_id))
    assert state is not None
    return state.state


@pytest.fixture
def all_entities_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register every entity enabled, also those disabled by default."""
    monkeypatch.setattr(Entity, "entity_registry_enabled_default", property(lambda _: True))


@pytest.fixture
def fast_reconnect(hass: HomeAssistant) -> None:
    """Clients built from now on retry a lost connection within a fraction of a second."""
    use_client_settings(hass, backoff_initial=0.05, backoff_max=0.2)


@pytest.fixture
def short_action_timeout(hass: HomeAssistant) -> None:
    """Clients built from now on give a charge point half a second to carry out a command."""
    use_client_settings(hass, action_timeout=0.5)


@pytest.fixture
def clock_jumps(hass: HomeAssistant) -> None:
    """Clients for a clock that jumps hours (freezegun).

    No websocket pings (their pongs would time out), and a client waiting for the request
    limit's reset looks at the clock often, so it notices a jump past midnight at once.
    """
    use_client_settings(hass, heartbeat=None, limit_sleep_step=0.05)


def coordinator_of(entry: MockConfigEntry) -> BlueCurrentCoordinator:
    """The coordinator of a loaded entry."""
    coordinator: BlueCurrentCoordinator = entry.runtime_data.coordinator
    return coordinator


async def settle(hass: HomeAssistant) -> None:
    """Let every task finish, the coordinator's background refreshes included."""
    await hass.async_block_till_done(wait_background_tasks=True)


async def fire_poll(hass: HomeAssistant) -> None:
    """Fire the timers due within one poll interval (the coordinator's poll) and let them run.

    Home Assistant's clock itself does not move; tests that need it to use `jump_clock`.
    """
    async_fire_time_changed(hass, dt_util.utcnow() + POLL_INTERVAL)
    await settle(hass)


async def fire_soon(hass: HomeAssistant, seconds: float) -> None:
    """Fire the timers due within a few seconds (debouncers, delayed saves) and let them run."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await settle(hass)


async def jump_clock(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move the (ticking) frozen clock forward and run what became due, as time passing would."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await settle(hass)


def record_states(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Collect every state an entity takes from now on, so short-lived ones are not missed."""
    seen: list[str] = []

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"] == entity_id and (state := event.data["new_state"]):
            seen.append(state.state)

    hass.bus.async_listen(EVENT_STATE_CHANGED, _changed)
    return seen

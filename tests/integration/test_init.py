"""Setup, unload, reload and the ways setup can fail."""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.api import CannotConnectError
from custom_components.bluecurrent.storage import storage_key
from simulator import Simulator

from .conftest import WaitFor

OUR_LOGGERS = "custom_components.bluecurrent."


async def test_setup_unload_reload(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Unload closes the websocket; reload brings the same entities back."""
    entities = er.async_entries_for_config_entry(er.async_get(hass), loaded_entry.entry_id)
    assert entities
    assert cloud.stats.connections == 1

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert cloud.stats.connections == 2
    again = er.async_entries_for_config_entry(er.async_get(hass), loaded_entry.entry_id)
    assert {e.unique_id for e in again} == {e.unique_id for e in entities}

    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    for entity in entities:
        state = hass.states.get(entity.entity_id)
        assert state is None or state.state == "unavailable"


async def test_rejected_credentials_start_reauth(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """Rejected credentials fail setup and ask the user to log in again."""
    cloud.faults.reject_credentials = True
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert any(config_entry.async_get_active_flows(hass, {"reauth"}))


async def test_unreachable_cloud_retries(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """An unreachable cloud makes setup retry later."""
    await cloud.stop()
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_devices(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """One device per charge point, one for the grid and one for the account."""
    registry = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(registry, loaded_entry.entry_id)
    by_id = {next(iter(d.identifiers))[1]: d for d in devices}
    for evse_id, point in cloud.account.charge_points.items():
        device = by_id[evse_id]
        assert device.manufacturer == "Blue Current"
        assert device.model_id == point.model_type
        assert device.serial_number == evse_id
        assert device.name == (point.name or evse_id)
    grid = next(d for i, d in by_id.items() if i.startswith("GRID-"))
    assert all(by_id[evse_id].via_device_id == grid.id for evse_id in cloud.account.charge_points)
    account = by_id[loaded_entry.entry_id]
    assert (account.model, account.entry_type) == ("Account", dr.DeviceEntryType.SERVICE)
    assert len(devices) == len(cloud.account.charge_points) + 2


async def test_shutdown_closes_the_connection(
    hass: HomeAssistant,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    wait_for: WaitFor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Stopping Home Assistant closes the websocket quietly; the client does not reconnect."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    client = config_entry.runtime_data.client
    assert client.connected
    assert cloud.connections

    await hass.async_stop()
    # The integration's own records only: asyncio's slow-callback warning (a busy machine, or
    # Home Assistant's platform set-up) is not about the shutdown.
    ours = [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING
        and (r.name == "custom_components.bluecurrent" or r.name.startswith(OUR_LOGGERS))
    ]
    assert not ours, caplog.text
    assert not client.connected
    # The simulator forgets the socket once its side of the close is done.
    await wait_for(lambda: not cloud.connections, 5)
    connections = cloud.stats.connections
    # A closed client refuses calls instead of waiting for a reconnect that never comes.
    with pytest.raises(CannotConnectError):
        await client.get_account()
    assert cloud.stats.connections == connections


async def test_removing_the_entry_deletes_its_store(
    hass: HomeAssistant,
    hass_storage: dict[str, object],
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """Deleting the entry leaves nothing of it in .storage (totals, absences, the limit)."""
    key = storage_key(loaded_entry.entry_id)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)  # flushes the store
    assert key in hass_storage
    await hass.config_entries.async_remove(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage

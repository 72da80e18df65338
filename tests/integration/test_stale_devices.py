"""A charge point the cloud leaves out keeps its device, names and areas; it goes only late.

One answer without it (or an empty list at start-up) is not enough: only a charge point absent
from every successful read for 24 hours is removed. The user may delete such a device earlier.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from simulator import Simulator

from ..conftest import find_device
from .conftest import POLL_INTERVAL, entity_id, fire_poll, jump_clock, settle, state_of

MORNING = "2026-03-02 10:00:00+00:00"


def _device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    return find_device(hass, identifier)


def _entities(hass: HomeAssistant, evse_id: str) -> list[er.RegistryEntry]:
    registry = er.async_get(hass)
    return [e for e in registry.entities.values() if e.unique_id.startswith(f"{evse_id}_")]


async def test_missing_from_one_answer_keeps_everything(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Absent once: unavailable, with the user's name and area; back: as before."""
    device = _device(hass, "BCU100002")
    assert device is not None
    registry = dr.async_get(hass)
    registry.async_update_device(device.id, name_by_user="Oprit links", area_id="garage")
    activity = entity_id(hass, "sensor", "BCU100002_activity")
    entities = {e.entity_id for e in _entities(hass, "BCU100002")}

    hidden = cloud.account.charge_points.pop("BCU100002")
    await fire_poll(hass)
    kept = _device(hass, "BCU100002")
    assert kept is not None
    assert (kept.name_by_user, kept.area_id) == ("Oprit links", "garage")
    assert {e.entity_id for e in _entities(hass, "BCU100002")} == entities
    assert state_of(hass, "sensor", "BCU100002_activity") == STATE_UNAVAILABLE
    assert state_of(hass, "sensor", "BCU100001_activity") == "charging"

    cloud.account.charge_points["BCU100002"] = hidden
    await fire_poll(hass)
    assert hass.states.get(activity).state == "available"  # type: ignore[union-attr]


async def test_empty_list_at_start_up_removes_nothing(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Started while the cloud lists no charge point: the devices wait for it to list them."""
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    hidden = dict(cloud.account.charge_points)
    cloud.account.charge_points.clear()
    assert await hass.config_entries.async_setup(loaded_entry.entry_id)
    await settle(hass)
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert _device(hass, "BCU100001") is not None
    assert _device(hass, "BCU100002") is not None
    assert _entities(hass, "BCU100002")

    cloud.account.charge_points.update(hidden)
    await fire_poll(hass)
    assert state_of(hass, "sensor", "BCU100001_activity") == "charging"


@pytest.mark.freeze_time(MORNING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_removed_after_a_day_of_absence(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """Gone from every read for 24 hours: device and entities removed, the rest untouched."""
    await cloud.remove_charge_point("BCU100002")
    await jump_clock(hass, freezer, POLL_INTERVAL)
    await jump_clock(hass, freezer, timedelta(hours=23))
    assert _device(hass, "BCU100002") is not None

    await jump_clock(hass, freezer, timedelta(hours=1) + POLL_INTERVAL)
    assert _device(hass, "BCU100002") is None
    assert not _entities(hass, "BCU100002")
    assert state_of(hass, "sensor", "BCU100001_activity") == "charging"
    # The grid and account devices stay.
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), loaded_entry.entry_id)
    assert len(devices) == 3


@pytest.mark.freeze_time(MORNING, tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_absence_is_counted_across_restarts(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """The 24 hours start at the first answer without it, also when a reload comes between."""
    await cloud.remove_charge_point("BCU100002")
    await jump_clock(hass, freezer, POLL_INTERVAL)
    await jump_clock(hass, freezer, timedelta(hours=20))
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await settle(hass)
    assert _device(hass, "BCU100002") is not None
    await jump_clock(hass, freezer, timedelta(hours=4) + POLL_INTERVAL)
    assert _device(hass, "BCU100002") is None


async def test_user_may_delete_only_a_stale_device(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """Deleting a charge point the account still has is refused; one it left is allowed."""
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)

    async def remove(identifier: str) -> bool:
        device = _device(hass, identifier)
        assert device is not None
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": loaded_entry.entry_id,
                "device_id": device.id,
            }
        )
        response = await client.receive_json()
        return bool(response["success"])

    assert not await remove("BCU100002")
    assert not await remove("GRID-BCU100001")
    assert not await remove(loaded_entry.entry_id)
    await cloud.remove_charge_point("BCU100002")
    await fire_poll(hass)
    assert await remove("BCU100002")
    assert _device(hass, "BCU100002") is None

"""The Blue Current integration: EV charge points from the Blue Current cloud."""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .api import BlueCurrentError
from .client_factory import create_client
from .const import DOMAIN
from .coordinator import BlueCurrentCoordinator
from .data import BlueCurrentConfigEntry, BlueCurrentRuntimeData
from .devices import forget, is_current
from .errors import setup_error
from .services import async_setup_services
from .statistics import async_setup_statistics
from .storage import EntryStore

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TIME,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, for every entry."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BlueCurrentConfigEntry) -> bool:
    """Connect, read the account and set up the platforms.

    While the daily request limit lasts, nothing is sent: the entry loads, the repair issue
    says until when, and the client connects by itself after the reset.
    """
    store = EntryStore(hass, entry.entry_id)
    stored = await store.async_load()
    client = create_client(hass, entry.data, stored.limited_until)
    try:
        await client.connect(wait_for_limit=True)
    except BlueCurrentError as err:
        await client.close()
        raise setup_error(err) from err
    entry.async_on_unload(client.close)

    async def _close(_: Event) -> None:
        """Close at shutdown too, before the shared session goes, or the client would retry."""
        await client.close()

    # Not listen_once: its remover complains when called after the event fired.
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _close))

    coordinator = BlueCurrentCoordinator(hass, entry, client, store, stored)
    async_setup_statistics(hass, entry, coordinator)
    if client.connected:
        await coordinator.async_config_entry_first_refresh()
    elif client.limited_until is not None:
        coordinator.limit.async_seen(client.limited_until)
    coordinator.async_start()
    entry.runtime_data = BlueCurrentRuntimeData(client=client, coordinator=coordinator)

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    coordinator.transactions.async_release()
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BlueCurrentConfigEntry) -> bool:
    """Unload the platforms; the client closes through the entry's unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: BlueCurrentConfigEntry) -> None:
    """Delete what the entry stored: its totals, absences and the request limit."""
    await EntryStore(hass, entry.entry_id).async_remove()


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: BlueCurrentConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device only once the account no longer has it."""
    if is_current(entry, device):
        return False
    for domain, identifier in device.identifiers:
        if domain == DOMAIN:
            forget(entry.runtime_data.coordinator.data, identifier)
    return True

"""The Blue Current integration: EV charge points from the Blue Current cloud."""

from __future__ import annotations

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryNotReady
import homeassistant.helpers.config_validation as cv
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .api import BlueCurrentError, InvalidCredentialsError, RequestLimitReachedError
from .const import CONF_CLOUD_URL, DOMAIN
from .coordinator import BlueCurrentConfigEntry, BlueCurrentCoordinator, BlueCurrentRuntimeData
from .helpers import DATA_CLOUD_URL, create_client, translate_error
from .services import async_setup_services

PLATFORMS = [Platform.BUTTON, Platform.SELECT, Platform.SENSOR, Platform.SWITCH]

# Only a developer setting lives in YAML: the address of another cloud (the simulator).
CONFIG_SCHEMA = vol.Schema(
    {DOMAIN: vol.Schema({vol.Optional(CONF_CLOUD_URL): cv.url})}, extra=vol.ALLOW_EXTRA
)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, and take the developer's cloud address if one is set."""
    if cloud_url := config.get(DOMAIN, {}).get(CONF_CLOUD_URL):
        hass.data[DATA_CLOUD_URL] = cloud_url
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: BlueCurrentConfigEntry) -> bool:
    """Connect to the cloud, fetch the account and set up the platforms."""
    client = create_client(hass, entry.data)
    try:
        await client.connect()
    except InvalidCredentialsError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except RequestLimitReachedError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="limit_reached",
            translation_placeholders=translate_error(err).translation_placeholders,
        ) from err
    except BlueCurrentError as err:
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={"error": type(err).__name__},
        ) from err
    entry.async_on_unload(client.close)

    async def _close(_: Event) -> None:
        """Close at shutdown too, before the shared session goes, or the client would retry."""
        await client.close()

    # Not listen_once: its remover complains when called after the event fired.
    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _close))

    coordinator = BlueCurrentCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    coordinator.async_start_push()
    coordinator.async_remove_stale_devices()
    entry.runtime_data = BlueCurrentRuntimeData(client=client, coordinator=coordinator)

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: BlueCurrentConfigEntry) -> bool:
    """Unload the platforms; the client closes through the entry's unload callbacks."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)

"""Actions that entities cannot express: start a session with a chosen charge card."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
import voluptuous as vol

from .api import BlueCurrentError
from .cards import find_card
from .const import ATTR_CHARGE_CARD, DOMAIN, SERVICE_START_SESSION
from .data import BlueCurrentConfigEntry
from .errors import invalid, translate_error
from .smart_actions import async_setup_smart_services

START_SESSION_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Optional(ATTR_CHARGE_CARD): cv.string,
    }
)


def resolve_charge_point(hass: HomeAssistant, device_id: str) -> tuple[BlueCurrentConfigEntry, str]:
    """Find the loaded entry and evse id behind a device, or say why not."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise invalid("unknown_device", device=device_id)
    if device.disabled:
        raise invalid("device_disabled", device=device.name or device_id)
    evse_id = next((i for d, i in device.identifiers if d == DOMAIN), None)
    for entry_id in device.config_entries:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN:
            continue
        if entry.state is not ConfigEntryState.LOADED:
            raise invalid("entry_not_loaded", device=device.name or device_id)
        typed: BlueCurrentConfigEntry = entry
        if evse_id in typed.runtime_data.coordinator.data.charge_points:
            return typed, evse_id
    raise invalid("not_a_charge_point", device=device.name or device_id)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions once, for all entries."""

    async def start_session(call: ServiceCall) -> None:
        entry, evse_id = resolve_charge_point(hass, call.data[ATTR_DEVICE_ID])
        coordinator = entry.runtime_data.coordinator
        card = None
        if wanted := call.data.get(ATTR_CHARGE_CARD):
            card = find_card(coordinator.data.cards, wanted)
        try:
            await coordinator.client.start_session(evse_id, card.uid if card else None)
        except BlueCurrentError as err:
            coordinator.async_note_error(err)
            raise translate_error(err) from err

    hass.services.async_register(
        DOMAIN, SERVICE_START_SESSION, start_session, schema=START_SESSION_SCHEMA
    )
    async_setup_smart_services(hass, resolve_charge_point)

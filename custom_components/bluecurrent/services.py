"""Actions that entities cannot express: start a session with a chosen charge card."""

from __future__ import annotations

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .cards import find_card
from .const import ATTR_CHARGE_CARD, DOMAIN, SERVICE_START_SESSION
from .errors import cloud_call
from .history import GET_SESSIONS_SCHEMA, SERVICE_GET_SESSIONS, async_get_sessions
from .smart_actions import async_setup_smart_services
from .targets import resolve_charge_point

START_SESSION_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Optional(ATTR_CHARGE_CARD): cv.string,
    }
)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions once, for all entries."""

    async def start_session(call: ServiceCall) -> None:
        entry, evse_id = resolve_charge_point(hass, call.data[ATTR_DEVICE_ID])
        coordinator = entry.runtime_data.coordinator
        card = None
        if wanted := call.data.get(ATTR_CHARGE_CARD):
            card = find_card(coordinator.data.cards, wanted)
        await cloud_call(
            coordinator.async_note_error,
            coordinator.client.start_session(evse_id, card.uid if card else None),
        )

    hass.services.async_register(
        DOMAIN, SERVICE_START_SESSION, start_session, schema=START_SESSION_SCHEMA
    )

    async def get_sessions(call: ServiceCall) -> ServiceResponse:
        return await async_get_sessions(hass, call)

    hass.services.async_register(
        DOMAIN,
        SERVICE_GET_SESSIONS,
        get_sessions,
        schema=GET_SESSIONS_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    async_setup_smart_services(hass, resolve_charge_point)

"""Actions that entities cannot express: start a session with a chosen charge card."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
import voluptuous as vol

from .api import BlueCurrentError, ChargeCard
from .const import ATTR_CHARGE_CARD, DOMAIN, SERVICE_START_SESSION
from .coordinator import BlueCurrentConfigEntry
from .helpers import translate_error

START_SESSION_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Optional(ATTR_CHARGE_CARD): cv.string,
    }
)


def _invalid(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def _resolve_charge_point(
    hass: HomeAssistant, device_id: str
) -> tuple[BlueCurrentConfigEntry, str]:
    """Find the loaded entry and evse id behind a device, or say why not."""
    registry = dr.async_get(hass)
    device = registry.async_get(device_id)
    if device is None:
        raise _invalid("unknown_device", device=device_id)
    if device.disabled:
        raise _invalid("device_disabled", device=device.name or device_id)
    evse_id = next((i for d, i in device.identifiers if d == DOMAIN), None)
    # Not device.config_entries: deprecated in 2026.8, when a device gets one config entry.
    for entry in hass.config_entries.async_entries(DOMAIN):
        if device_id not in {
            d.id for d in dr.async_entries_for_config_entry(registry, entry.entry_id)
        }:
            continue
        if entry.state is not ConfigEntryState.LOADED:
            raise _invalid("entry_not_loaded", device=device.name or device_id)
        typed: BlueCurrentConfigEntry = entry
        if evse_id in typed.runtime_data.coordinator.data.charge_points:
            return typed, evse_id
    raise _invalid("not_a_charge_point", device=device.name or device_id)


def _resolve_card(cards: list[ChargeCard], wanted: str) -> ChargeCard:
    """Match a card by uid, id or name (case-insensitive); only valid cards of the account."""
    needle = wanted.strip().casefold()
    for card in cards:
        if needle in {
            card.uid.casefold(),
            card.id.casefold(),
            (card.name or "").casefold(),
        }:
            if card.valid is False:
                raise _invalid("invalid_card", card=wanted)
            return card
    raise _invalid("unknown_card", card=wanted)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions once, for all entries."""

    async def start_session(call: ServiceCall) -> None:
        entry, evse_id = _resolve_charge_point(hass, call.data[ATTR_DEVICE_ID])
        coordinator = entry.runtime_data.coordinator
        card = None
        if wanted := call.data.get(ATTR_CHARGE_CARD):
            card = _resolve_card(coordinator.data.cards, wanted)
        try:
            await coordinator.client.start_session(evse_id, card.uid if card else None)
        except BlueCurrentError as err:
            raise translate_error(err) from err

    hass.services.async_register(
        DOMAIN, SERVICE_START_SESSION, start_session, schema=START_SESSION_SCHEMA
    )

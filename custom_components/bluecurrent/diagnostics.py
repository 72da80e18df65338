"""Diagnostics with every personal field redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_API_TOKEN, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .const import CONF_CLOUD_URL, DOMAIN
from .coordinator import BlueCurrentConfigEntry, ChargePointData

# Personal or secret: credentials, identity, contact, money, places, and card identifiers.
TO_REDACT = {
    CONF_API_TOKEN,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_CLOUD_URL,
    "token",
    "title",
    "unique_id",
    "login",
    "email",
    "contact_email",
    "full_name",
    "customer_name",
    "beneficiary_name",
    "evse_name",
    "name",
    "chargepoint_name",
    "card_name",
    "tel",
    "phone",
    "iban",
    "iban_beneficiary",
    "address",
    "street",
    "housenumber",
    "zipcode",
    "postal_code",
    "city",
    "x_coord",
    "y_coord",
    "latitude",
    "longitude",
    "uid",
    "id",
    "card_id",
    "customer_id",
    "hubspot_user_identity",
    "contract_id",
}


def _point(point: ChargePointData) -> dict[str, Any]:
    return {
        "info": asdict(point.info),
        "statuses": {str(k): asdict(v) for k, v in point.statuses.items()},
        "latest_transaction": asdict(point.latest_transaction)
        if point.latest_transaction
        else None,
        "ledger": point.ledger.as_dict() if point.ledger else None,
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: BlueCurrentConfigEntry
) -> dict[str, Any]:
    """Everything the integration knows of the account, without personal data."""
    coordinator = entry.runtime_data.coordinator
    data = coordinator.data
    return async_redact_data(
        {
            "entry": entry.as_dict(),
            "connected": coordinator.connected,
            "last_update_success": coordinator.last_update_success,
            "cards": [asdict(card) for card in data.cards],
            "grid": asdict(data.grid) if data.grid else None,
            "sustainability": asdict(data.sustainability) if data.sustainability else None,
            "charge_points": [_point(point) for point in data.charge_points.values()],
        },
        TO_REDACT,
    )


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: BlueCurrentConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """Return what is known of one charge point, without personal data."""
    data = entry.runtime_data.coordinator.data
    for domain, identifier in device.identifiers:
        if domain == DOMAIN and (point := data.charge_points.get(identifier)):
            return async_redact_data(_point(point), TO_REDACT)
    return {}

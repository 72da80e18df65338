"""Diagnostics of the entry and of a charge point, with every personal value redacted."""

from __future__ import annotations

import json
import re
from typing import Any

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from simulator import Simulator

from ..conftest import find_device
from .conftest import API_TOKEN, ENTRY_ID, PASSWORD

# A session token as the cloud (and the simulator) issues them.
SESSION_TOKEN = re.compile(r"\b[0-9a-f]{32}\b")


def _personal_values(cloud: Simulator) -> set[str | float]:
    """Everything about the account that identifies a person, a place or a secret."""
    account = cloud.account
    values: set[str | float | None] = {
        account.login,
        account.email,
        account.full_name,
        account.tel,
        account.customer_id,
        account.hubspot_user_identity,
        PASSWORD,
        API_TOKEN,
        cloud.base_url,
    }
    for card in account.cards:
        values |= {card.uid, card.id, card.name, card.customer_name}
    for contract in account.contracts:
        values |= {
            contract.contract_id,
            contract.contact_email,
            contract.beneficiary_name,
            contract.iban_beneficiary,
        }
    for grid in account.grids:
        address = grid.address
        values |= {address.street, address.housenumber, address.postal_code, address.city}
    for point in account.charge_points.values():
        location = point.location
        values |= {
            point.name,
            location.x_coord,
            location.y_coord,
            location.street,
            location.housenumber,
            location.zipcode,
            location.city,
        }
    return {value for value in values if value not in (None, "")}


def _values(data: Any) -> list[Any]:
    """Every scalar value in a JSON tree."""
    if isinstance(data, dict):
        return [leaf for value in data.values() for leaf in _values(value)]
    if isinstance(data, list):
        return [leaf for value in data for leaf in _values(value)]
    return [data]


def _assert_redacted(cloud: Simulator, diagnostics: Any) -> None:
    dump = json.dumps(diagnostics)
    values = _values(diagnostics)
    for personal in _personal_values(cloud):
        # Compared with their type: the house number "1" is not socket number 1.
        assert not any(type(v) is type(personal) and v == personal for v in values), personal
        # Longer values must not occur inside other text either.
        if isinstance(personal, str) and len(personal) >= 4:
            assert personal not in dump, personal
    assert not SESSION_TOKEN.search(dump)


async def test_entry_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Everything the entry knows, with every personal value redacted."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, loaded_entry)
    _assert_redacted(cloud, diagnostics)
    assert diagnostics["connected"] is True
    assert len(diagnostics["charge_points"]) == len(cloud.account.charge_points)
    assert diagnostics["entry"]["entry_id"] == ENTRY_ID
    assert diagnostics == snapshot(exclude=props("created_at", "modified_at"))


async def test_device_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """A charge point's device shows that charge point; the grid and account devices nothing."""
    for evse_id in cloud.account.charge_points:
        device = find_device(hass, evse_id)
        assert device is not None
        diagnostics = await get_diagnostics_for_device(hass, hass_client, loaded_entry, device)
        _assert_redacted(cloud, diagnostics)
        assert diagnostics["info"]["evse_id"] == evse_id
        assert diagnostics["sockets"]
        assert diagnostics["ledger"]["count"] == len(
            cloud.account.charge_points[evse_id].transactions
        )

    for identifier in (f"GRID-{next(iter(cloud.account.charge_points))}", loaded_entry.entry_id):
        device = find_device(hass, identifier)
        assert device is not None
        assert await get_diagnostics_for_device(hass, hass_client, loaded_entry, device) == {}

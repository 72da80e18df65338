"""Helpers of the smart-charging tests: prepare the simulator, call entities and actions, and
capture what a refused command must leave alone."""

from __future__ import annotations

import copy
from typing import Any

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceResponse
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator

from .conftest import entity_id

EVSE = "BCU100001"  # one socket, charging at the start
TWIN = "BCU100002"  # two sockets, idle
SMART_PATH = "POST /app/bc_api/api/v2.0/"
SETTINGS_READ = "GET_CH_SETTINGS"


def uid(key: str, evse: str = EVSE) -> str:
    """The unique id of a charge point's entity."""
    return f"{evse}_{key}"


async def load(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set the entry up against the simulator as it is now."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


async def press(
    hass: HomeAssistant, domain: str, service: str, key: str, evse: str = EVSE, **data: Any
) -> None:
    """Call an entity service on one of a charge point's entities."""
    await hass.services.async_call(
        domain,
        service,
        {ATTR_ENTITY_ID: entity_id(hass, domain, uid(key, evse)), **data},
        blocking=True,
    )


async def action(hass: HomeAssistant, service: str, **data: Any) -> ServiceResponse:
    """Call one of the integration's actions."""
    response = data.pop("return_response", False)
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


def device(hass: HomeAssistant, evse: str = EVSE) -> str:
    """The device id of a charge point."""
    found = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, evse)})
    assert found is not None
    return found.id


def state(hass: HomeAssistant, domain: str, key: str, evse: str = EVSE) -> str:
    """The state of a charge point's entity."""
    found = hass.states.get(entity_id(hass, domain, uid(key, evse)))
    assert found is not None
    return found.state


def attributes(hass: HomeAssistant, domain: str, key: str, evse: str = EVSE) -> dict[str, Any]:
    """The attributes of a charge point's entity."""
    found = hass.states.get(entity_id(hass, domain, uid(key, evse)))
    assert found is not None
    return dict(found.attributes)


def exists(hass: HomeAssistant, domain: str, key: str, evse: str = EVSE) -> bool:
    """Whether a charge point has this entity."""
    return er.async_get(hass).async_get_entity_id(domain, DOMAIN, uid(key, evse)) is not None


def save_window(cloud: Simulator, days: list[int], start: str, end: str, evse: str = EVSE) -> None:
    """Give a charge point a delayed-charging window, as if saved in the app."""
    delayed = cloud.account.charge_points[evse].delayed_charging
    delayed.days, delayed.start_time, delayed.end_time = days, start, end


def cloud_state(cloud: Simulator) -> Any:
    """Everything smart charging may change in the simulator."""
    return copy.deepcopy(
        [
            (
                cp.delayed_charging,
                cp.price_based_charging,
                cp.capacity_tariff,
                cp.session.boosting if cp.session else None,
            )
            for cp in cloud.account.charge_points.values()
        ]
        + [cloud.account.override_schedules]
    )


def shown(hass: HomeAssistant) -> dict[str, Any]:
    """Every entity's state and attributes, buttons apart (their state is the last press)."""
    return {
        state.entity_id: (state.state, dict(state.attributes))
        for state in hass.states.async_all()
        if state.entity_id.split(".")[0] != "button"
    }

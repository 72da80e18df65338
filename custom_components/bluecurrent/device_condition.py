"""Device conditions of a charge point: charging, vehicle connected, available, disabled.

Each is the state of the entity that shows it, found by its translation key when checked.
"""

from __future__ import annotations

from homeassistant.components.device_automation.exceptions import InvalidDeviceAutomationConfig
from homeassistant.const import CONF_CONDITION, CONF_DEVICE_ID, CONF_DOMAIN, CONF_TYPE
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import condition, config_validation as cv
from homeassistant.helpers.typing import ConfigType, TemplateVarsType
import voluptuous as vol

from .const import DOMAIN
from .device_entities import ACTIVITY, CHARGING, VEHICLE_CONNECTED, Kind, find_entities

# Condition type: the entity, and the state it must have.
CONDITIONS: dict[str, tuple[Kind, str]] = {
    "is_charging": (CHARGING, "on"),
    "vehicle_connected": (VEHICLE_CONNECTED, "on"),
    "is_available": (ACTIVITY, "available"),
    "is_disabled": (ACTIVITY, "disabled"),
}

CONDITION_SCHEMA = cv.DEVICE_CONDITION_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In(CONDITIONS)}
)


async def async_get_conditions(hass: HomeAssistant, device_id: str) -> list[dict[str, str]]:
    """List the conditions a charge point device offers (those whose entity it has)."""
    return [
        {
            CONF_CONDITION: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: condition_type,
        }
        for condition_type, (kind, _) in CONDITIONS.items()
        if find_entities(hass, device_id, kind)
    ]


@callback
def async_condition_from_config(
    hass: HomeAssistant, config: ConfigType
) -> condition.ConditionCheckerType:
    """Check the state of the entity behind the condition type, found when it is checked."""
    kind, wanted = CONDITIONS[config[CONF_TYPE]]
    device_id = config[CONF_DEVICE_ID]
    if not find_entities(hass, device_id, kind):
        raise InvalidDeviceAutomationConfig(
            f"The device has no enabled entity for {config[CONF_TYPE]}"
        )

    @callback
    def test_is_state(hass: HomeAssistant, variables: TemplateVarsType) -> bool:
        entity_ids = find_entities(hass, device_id, kind)
        return bool(entity_ids) and condition.state(hass, entity_ids[0], wanted)

    return test_is_state

"""Device triggers of a charge point: charging, vehicle, session end, offline, error.

Charging started or stopped, a vehicle plugged in or out, a session ended, the charge point went
offline or reports an error. Each is Home Assistant's own state trigger on the entity that shows
it; none fires on the way to or from unavailable or unknown.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import InvalidDeviceAutomationConfig
from homeassistant.components.homeassistant.triggers import state as state_trigger
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_PLATFORM, CONF_TYPE
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType
import voluptuous as vol

from .const import DOMAIN
from .device_entities import ACTIVITY, CHARGING, SESSION_END, VEHICLE_CONNECTED, Kind, find_entities

_NOT_READ = ["unavailable", "unknown"]

# Trigger type: the entity, and the state trigger's from/to (None: any state but _NOT_READ).
TRIGGERS: dict[str, tuple[Kind, str | None, str | None]] = {
    "charging_started": (CHARGING, "off", "on"),
    "charging_stopped": (CHARGING, "on", "off"),
    "vehicle_connected": (VEHICLE_CONNECTED, "off", "on"),
    "vehicle_disconnected": (VEHICLE_CONNECTED, "on", "off"),
    "session_ended": (SESSION_END, None, None),
    "went_offline": (ACTIVITY, None, "offline"),
    "error": (ACTIVITY, None, "error"),
}

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend({vol.Required(CONF_TYPE): vol.In(TRIGGERS)})


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """List the triggers a charge point device offers (those whose entity it has)."""
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type, (kind, _, _) in TRIGGERS.items()
        if find_entities(hass, device_id, kind)
    ]


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Attach Home Assistant's state trigger to the entity behind the trigger type."""
    kind, from_state, to_state = TRIGGERS[config[CONF_TYPE]]
    entity_ids = find_entities(hass, config[CONF_DEVICE_ID], kind)
    if not entity_ids:
        raise InvalidDeviceAutomationConfig(
            f"The device has no enabled entity for {config[CONF_TYPE]}"
        )
    state_config: dict[str, Any] = {
        CONF_PLATFORM: "state",
        state_trigger.CONF_ENTITY_ID: entity_ids,
        state_trigger.CONF_NOT_FROM: _NOT_READ,
    }
    if from_state is not None:
        del state_config[state_trigger.CONF_NOT_FROM]
        state_config[state_trigger.CONF_FROM] = from_state
    if to_state is not None:
        state_config[state_trigger.CONF_TO] = to_state
    else:
        state_config[state_trigger.CONF_NOT_TO] = _NOT_READ
    validated = await state_trigger.async_validate_trigger_config(hass, state_config)
    return await state_trigger.async_attach_trigger(
        hass, validated, action, trigger_info, platform_type="device"
    )

"""Actions for what entities cannot express: delayed charging's days, override schedules.

Input is checked before anything is sent (translated validation errors); the cloud's refusals
become translated errors and change nothing. After a change, what is shown is what the cloud
then reports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import math
from typing import Any

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api import BlueCurrentError
from .const import DOMAIN
from .coordinator import BlueCurrentCoordinator
from .data import BlueCurrentConfigEntry, ChargePointData
from .errors import cloud_call, invalid
from .overrides import schedules_of, value_in_force
from .permissions import check_writable
from .smart import parse_days, parse_time

SERVICE_SET_DELAYED_CHARGING = "set_delayed_charging"
SERVICE_SET_CURRENT_OVERRIDE = "set_current_override"
SERVICE_CLEAR_CURRENT_OVERRIDE = "clear_current_override"
ATTR_DAYS = "days"
ATTR_START_TIME = "start_time"
ATTR_END_TIME = "end_time"
ATTR_START_DAYS = "start_days"
ATTR_END_DAYS = "end_days"
ATTR_CURRENT = "current"
ATTR_SCHEDULE_ID = "schedule_id"
# The most a Type 2 connection carries; the range of a charge point whose own is unknown.
MAX_CURRENT = 63.0

type Resolve = Callable[[HomeAssistant, str], tuple[BlueCurrentConfigEntry, str]]

_DAYS = vol.All(cv.ensure_list_csv, [cv.string])
SET_DELAYED_CHARGING_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_DAYS): _DAYS,
        vol.Required(ATTR_START_TIME): cv.string,
        vol.Required(ATTR_END_TIME): cv.string,
    }
)
SET_CURRENT_OVERRIDE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Required(ATTR_CURRENT): vol.Coerce(float),
        vol.Required(ATTR_START_TIME): cv.string,
        vol.Required(ATTR_START_DAYS): _DAYS,
        vol.Required(ATTR_END_TIME): cv.string,
        vol.Required(ATTR_END_DAYS): _DAYS,
    }
)
CLEAR_CURRENT_OVERRIDE_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_DEVICE_ID): cv.string,
        vol.Optional(ATTR_SCHEDULE_ID): vol.Coerce(int),
    }
)


async def _reread_overrides(coordinator: BlueCurrentCoordinator) -> None:
    """Show the schedules as the cloud now has them; the change itself already succeeded."""
    try:
        await coordinator.overrides.async_read()
    except BlueCurrentError as err:
        coordinator.async_note_error(err)


def _highest_current(point: ChargePointData, coordinator: BlueCurrentCoordinator) -> float:
    """Return the most the charge point draws, as its statuses say.

    While an override is in force the statuses report it instead: the range is then Type 2's.
    """
    evse_id = point.info.evse_id
    if value_in_force(coordinator.data.overrides, evse_id, dt_util.now()) is None:
        usages = [s.max_usage for s in point.statuses if s.max_usage]
        if usages:
            return max(usages)
    return MAX_CURRENT


def async_setup_smart_services(hass: HomeAssistant, resolve: Resolve) -> None:
    """Register the smart-charging actions; ``resolve`` finds a device's entry and evse id."""

    async def set_delayed_charging(call: ServiceCall) -> None:
        entry, evse_id = resolve(hass, call.data[ATTR_DEVICE_ID])
        days = parse_days(call.data[ATTR_DAYS], ATTR_DAYS)
        start = parse_time(call.data[ATTR_START_TIME], ATTR_START_TIME)
        end = parse_time(call.data[ATTR_END_TIME], ATTR_END_TIME)
        coordinator = entry.runtime_data.coordinator
        setting = coordinator.data.charge_points[evse_id].info.delayed_charging
        check_writable(setting, "delayed_charging")
        client = coordinator.client
        commands: list[Callable[[], Awaitable[object]]] = [
            lambda: client.set_delayed_charging_schedule(evse_id, days, start, end)
        ]
        if setting is None or setting.value is not True:
            commands.append(lambda: client.set_delayed_charging(evse_id, True))
        await cloud_call(coordinator.async_note_error, coordinator.confirm.send(evse_id, *commands))

    async def set_current_override(call: ServiceCall) -> ServiceResponse:
        targets = [resolve(hass, device_id) for device_id in call.data[ATTR_DEVICE_ID]]
        if not targets:
            raise invalid("no_charge_point")
        if len({entry.entry_id for entry, _ in targets}) > 1:
            raise invalid("several_accounts")
        start = parse_time(call.data[ATTR_START_TIME], ATTR_START_TIME)
        start_days = parse_days(call.data[ATTR_START_DAYS], ATTR_START_DAYS)
        end = parse_time(call.data[ATTR_END_TIME], ATTR_END_TIME)
        end_days = parse_days(call.data[ATTR_END_DAYS], ATTR_END_DAYS)
        coordinator = targets[0][0].runtime_data.coordinator
        current: float = call.data[ATTR_CURRENT]
        for _, evse_id in targets:
            point = coordinator.data.charge_points[evse_id]
            highest = _highest_current(point, coordinator)
            if not (math.isfinite(current) and 0 <= current <= highest):
                raise invalid(
                    "current_out_of_range",
                    current=f"{current:g}",
                    charge_point=point.info.name or evse_id,
                    maximum=f"{highest:g}",
                )
        evse_ids = [evse_id for _, evse_id in targets]
        schedule = await cloud_call(
            coordinator.async_note_error,
            coordinator.client.set_current_override(
                evse_ids,
                current,
                start_time=start,
                start_days=start_days,
                end_time=end,
                end_days=end_days,
            ),
        )
        await _reread_overrides(coordinator)
        return {ATTR_SCHEDULE_ID: schedule.schedule_id} if call.return_response else None

    async def clear_current_override(call: ServiceCall) -> None:
        device_id: str | None = call.data.get(ATTR_DEVICE_ID)
        schedule_id: int | None = call.data.get(ATTR_SCHEDULE_ID)
        if (device_id is None) == (schedule_id is None):
            raise invalid("clear_what")
        if device_id is not None:
            entry, evse_id = resolve(hass, device_id)
            await _clear_charge_point(entry.runtime_data.coordinator, evse_id)
            return
        assert schedule_id is not None
        owner = next(
            (
                entry
                for entry in hass.config_entries.async_loaded_entries(DOMAIN)
                if any(
                    s.schedule_id == schedule_id
                    for s in entry.runtime_data.coordinator.data.overrides
                )
            ),
            None,
        )
        if owner is None:
            raise invalid("unknown_schedule", schedule=str(schedule_id))
        coordinator = owner.runtime_data.coordinator
        await cloud_call(
            coordinator.async_note_error, coordinator.client.clear_current_override(schedule_id)
        )
        await _reread_overrides(coordinator)

    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_DELAYED_CHARGING,
        set_delayed_charging,
        schema=SET_DELAYED_CHARGING_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_CURRENT_OVERRIDE,
        set_current_override,
        schema=SET_CURRENT_OVERRIDE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CLEAR_CURRENT_OVERRIDE,
        clear_current_override,
        schema=CLEAR_CURRENT_OVERRIDE_SCHEMA,
    )


async def _clear_charge_point(coordinator: BlueCurrentCoordinator, evse_id: str) -> None:
    """End every override of one charge point; schedules shared with others keep those."""
    client = coordinator.client
    schedules = await cloud_call(coordinator.async_note_error, coordinator.overrides.async_read())
    for schedule in schedules_of(schedules, evse_id):
        others = [e for e in schedule.chargepoints if e != evse_id]
        if not others:
            await cloud_call(
                coordinator.async_note_error, client.clear_current_override(schedule.schedule_id)
            )
            continue
        window: dict[str, Any] = {
            "start_time": schedule.start_time,
            "start_days": schedule.start_days,
            "end_time": schedule.end_time,
            "end_days": schedule.end_days,
        }
        await cloud_call(
            coordinator.async_note_error,
            client.edit_current_override(schedule.schedule_id, others, schedule.value, **window),
        )
    await _reread_overrides(coordinator)

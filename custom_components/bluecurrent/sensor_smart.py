"""Sensors of smart charging: the days of the delayed-charging window, the override current."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import WEEKDAYS, UnitOfElectricCurrent
from homeassistant.util import dt as dt_util

from .api import OverrideSchedule
from .api.models import format_time
from .data import SOURCE_CHARGE_POINTS, SOURCE_OVERRIDES
from .overrides import schedules_of, value_in_force
from .permissions import visible
from .sensor_types import BlueCurrentSensorDescription
from .smart import day_set
from .views import PointView


def _days(days: tuple[int, ...]) -> list[str]:
    return [WEEKDAYS[day - 1] for day in days]


def _schedule(schedule: OverrideSchedule) -> dict[str, Any]:
    """Show a schedule as automations read it: days "mon".."sun", times "HH:MM", current in A."""
    return {
        "schedule_id": schedule.schedule_id,
        "current": schedule.value,
        "start_time": format_time(schedule.start_time),
        "start_days": _days(schedule.start_days),
        "end_time": format_time(schedule.end_time),
        "end_days": _days(schedule.end_days),
        "charge_points": list(schedule.chargepoints),
    }


def _override_schedules(view: PointView) -> dict[str, Any]:
    schedules = schedules_of(view.data.overrides, view.point.info.evse_id)
    return {"schedules": [_schedule(schedule) for schedule in schedules]}


SMART_SENSORS: tuple[BlueCurrentSensorDescription[PointView], ...] = (
    BlueCurrentSensorDescription[PointView](
        key="delayed_charging_days",
        translation_key="delayed_charging_days",
        # The state is a key of DAY_SETS, translated ("mon_tue_wed_thu_fri" reads "Mon-Fri").
        # No ENUM device class: its 127 options would ride along in every state and registry
        # entry for nothing but the automation editor's list.
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: visible(p.info.delayed_charging),
        entity_registry_enabled_default=False,  # detail of the window, set with the action
        value_fn=lambda v: day_set(w.days) if (w := v.point.info.delayed_charging) else None,
    ),
    BlueCurrentSensorDescription[PointView](
        key="current_override",
        translation_key="current_override",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        source=SOURCE_OVERRIDES,
        entity_registry_enabled_default=False,  # overrides are set with actions; a detail
        value_fn=lambda v: value_in_force(v.data.overrides, v.point.info.evse_id, dt_util.now()),
        attributes_fn=_override_schedules,
    ),
)

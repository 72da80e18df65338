"""The sensors of a charge point and of each of its sockets.

Enabled by default are the values a dashboard or the Energy dashboard shows and automations use;
each says why. Detail and diagnostics are there but disabled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import (
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfPower,
)

from .data import SOURCE_CHARGE_POINTS
from .sensor_smart import SMART_SENSORS
from .sensor_types import BlueCurrentSensorDescription
from .status_values import (
    ACTIVITIES,
    VEHICLE_STATES,
    activity,
    combined_activity,
    currents,
    mean_of,
    power_kw,
    remaining_current,
    vehicle_state,
    voltages,
)
from .views import PointView, from_status, has_status, mean, total

type PointSensor = BlueCurrentSensorDescription[PointView]


def _currency(view: PointView) -> str | None:
    return view.point.currency


def _per_kwh(view: PointView) -> str | None:
    currency = view.point.currency
    return f"{currency}/kWh" if currency else None


# What every energy and every cost sensor shares (session, lifetime, latest session).
_ENERGY: dict[str, Any] = {
    "device_class": SensorDeviceClass.ENERGY,
    "native_unit_of_measurement": UnitOfEnergy.KILO_WATT_HOUR,
    "suggested_display_precision": 2,
}
_COST: dict[str, Any] = {
    "device_class": SensorDeviceClass.MONETARY,
    "suggested_display_precision": 2,
    "unit_fn": _currency,
}


def _status_sensor(**kwargs: Any) -> PointSensor:
    """Describe a sensor read from statuses: it follows pushes and needs a status."""
    return BlueCurrentSensorDescription[PointView](
        reads_status=True, available_fn=has_status, **kwargs
    )


def _phase(kind: str, n: int) -> PointSensor:
    current = kind == "current"
    return _status_sensor(
        key=f"{kind}_phase_{n}",
        translation_key=f"{kind}_phase",
        translation_placeholders={"phase": str(n)},
        device_class=SensorDeviceClass.CURRENT if current else SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=(
            UnitOfElectricCurrent.AMPERE if current else UnitOfElectricPotential.VOLT
        ),
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1 if current else 0,
        entity_registry_enabled_default=False,  # detail: the power sensor sums the phases
        value_fn=from_status(
            lambda s: (currents(s) if current else voltages(s))[n - 1],
            total if current else mean,
        ),
    )


def _limit(key: str, fn: Callable[[Any], float | None]) -> PointSensor:
    return _status_sensor(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # diagnostics of the charge point's limits
        per_socket=True,
        combined=False,
        value_fn=from_status(fn),
    )


def _session(key: str, fn: Callable[[Any], Any], **kwargs: Any) -> PointSensor:
    """Describe a value of the running session, else of the one that ended last."""
    return _status_sensor(
        key=key,
        translation_key=key,
        per_socket=True,
        combined=False,
        value_fn=lambda v: None if (session := v.session) is None else fn(session),
        **kwargs,
    )


def _ledger(key: str, value_fn: Callable[[PointView], Any], **kwargs: Any) -> PointSensor:
    """Describe a value of the completed sessions, known once they have been read."""
    return BlueCurrentSensorDescription[PointView](
        key=key,
        translation_key=key,
        available_fn=lambda v: v.point.ledger is not None,
        value_fn=value_fn,
        **kwargs,
    )


POINT_SENSORS: tuple[PointSensor, ...] = (
    _status_sensor(
        key="activity",
        translation_key="activity",
        device_class=SensorDeviceClass.ENUM,
        options=ACTIVITIES,
        per_socket=True,
        # Enabled: what the charge point is doing, the first thing a dashboard shows.
        value_fn=from_status(activity, combined_activity),
    ),
    _status_sensor(
        key="vehicle_status",
        translation_key="vehicle_status",
        device_class=SensorDeviceClass.ENUM,
        options=VEHICLE_STATES,
        per_socket=True,
        combined=False,
        entity_registry_enabled_default=False,  # detail: the binary sensors say what matters
        value_fn=from_status(vehicle_state),
    ),
    *(_phase("current", n) for n in (1, 2, 3)),
    _status_sensor(
        key="current",
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        per_socket=True,
        entity_registry_enabled_default=False,  # detail: power says how fast it charges
        value_fn=from_status(lambda s: mean_of(currents(s)), total),
    ),
    *(_phase("voltage", n) for n in (1, 2, 3)),
    _status_sensor(
        key="voltage",
        translation_key="voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        entity_registry_enabled_default=False,  # detail: the mains voltage
        value_fn=from_status(lambda s: mean_of(voltages(s)), mean),
    ),
    _status_sensor(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        per_socket=True,
        # Enabled: how fast the car charges; dashboards and load automations use it.
        value_fn=from_status(power_kw, total),
    ),
    _session(
        "session_energy",
        lambda s: s.energy,
        state_class=SensorStateClass.TOTAL_INCREASING,
        **_ENERGY,
        # Enabled: what this session charged so far (or the last one charged).
    ),
    _session(
        "session_cost",
        lambda s: s.cost,
        **_COST,
        # Enabled: what this session costs so far (or the last one cost).
    ),
    _session(
        "session_start",
        lambda s: s.started,
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_registry_enabled_default=False,  # detail: "session ended" is what automations use
    ),
    _session(
        "session_end",
        lambda s: s.ended,
        device_class=SensorDeviceClass.TIMESTAMP,
        # Enabled: it changes once per ended session, the trigger of "session ended" automations.
    ),
    _status_sensor(
        key="offline_since",
        translation_key="offline_since",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # diagnostic: "Activity" says offline
        value_fn=from_status(lambda s: s.offline_since, min),
    ),
    _limit("max_usage", lambda s: s.max_usage),
    _limit("smart_charging_max_usage", lambda s: s.smartcharging_max_usage),
    _limit("max_offline", lambda s: s.max_offline),
    _status_sensor(
        key="remaining_current",
        translation_key="remaining_current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # diagnostic of the charge point's limits
        per_socket=True,
        combined=False,
        value_fn=lambda v: remaining_current(v.point.info.smart_charging, v.status),
    ),
    _ledger(
        "lifetime_energy",
        lambda v: v.point.lifetime_energy,
        state_class=SensorStateClass.TOTAL_INCREASING,
        monotonic=True,
        reads_status=True,
        **_ENERGY,
        # Enabled: the Energy dashboard's individual device.
    ),
    _ledger(
        "lifetime_cost",
        lambda v: v.point.lifetime_cost,
        state_class=SensorStateClass.TOTAL,
        monotonic=True,
        reads_status=True,
        **_COST,
        # Enabled: what charging here cost in all, next to the lifetime energy.
    ),
    _ledger(
        "latest_transaction_energy",
        lambda v: v.latest.kwh if v.latest else None,
        per_socket=True,
        combined=False,
        entity_registry_enabled_default=False,  # the session sensors keep the last session
        **_ENERGY,
    ),
    _ledger(
        "latest_transaction_cost",
        lambda v: v.latest.total_costs if v.latest else None,
        per_socket=True,
        combined=False,
        entity_registry_enabled_default=False,  # the session sensors keep the last session
        **_COST,
    ),
    BlueCurrentSensorDescription[PointView](
        key="tariff_price",
        translation_key="tariff_price",
        suggested_display_precision=3,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # diagnostic: the price others pay here
        unit_fn=_per_kwh,
        source=SOURCE_CHARGE_POINTS,
        value_fn=lambda v: v.point.info.tariff.price_in_vat if v.point.info.tariff else None,
    ),
    *SMART_SENSORS,
)

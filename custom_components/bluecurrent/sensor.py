"""Sensors: charge point status and session, lifetime totals, grid currents, sustainability."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    EntityCategory,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfMass,
    UnitOfPower,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api import ChargePointStatus, GridStatus, Sustainability
from .coordinator import BlueCurrentConfigEntry, ChargePointData
from .entity import (
    AccountEntity,
    ChargePointEntity,
    GridEntity,
    async_track_charge_points,
)

PARALLEL_UPDATES = 0

# The cloud says "unavailable" for a blocked charge point; Home Assistant reserves that word for an
# entity it cannot read, so the sensor calls it "disabled".
ACTIVITIES = ["available", "charging", "disabled", "error", "offline"]
_ACTIVITY_STATES = {"unavailable": "disabled"}
VEHICLE_STATUSES = {
    "A": "standby",
    "B": "vehicle_detected",
    "C": "ready",
    "D": "ready",
    "E": "no_power",
    "F": "vehicle_error",
}

type SensorValue = StateType | datetime


def _mean(values: Iterable[float | None]) -> float | None:
    """Mean of the phases in use; a charger on one phase reports zeros on the others."""
    used = [v for v in values if v]
    if not used:
        return 0.0 if any(v is not None for v in values) else None
    return round(sum(used) / len(used), 1)


def _currents(s: ChargePointStatus) -> list[float | None]:
    return [s.actual_p1, s.actual_p2, s.actual_p3]


def _voltages(s: ChargePointStatus) -> list[float | None]:
    return [s.actual_v1, s.actual_v2, s.actual_v3]


def power_kw(s: ChargePointStatus) -> float | None:
    """Power as the sum over phases of current times voltage, right for 1 and 3 phases."""
    pairs = [(i, v) for i, v in zip(_currents(s), _voltages(s), strict=True)]
    if all(i is None or v is None for i, v in pairs):
        return None
    return round(sum((i or 0.0) * (v or 0.0) for i, v in pairs) / 1000, 2)


def remaining_current(point: ChargePointData, s: ChargePointStatus) -> float | None:
    """Return the current the charge point may still draw under its active limit."""
    limit = s.smartcharging_max_usage if point.info.smart_charging else s.max_usage
    used = _mean(_currents(s))
    if limit is None or used is None:
        return None
    return round(max(limit - used, 0.0), 1)


def _activity(s: ChargePointStatus) -> str | None:
    activity = _ACTIVITY_STATES.get(s.activity or "", s.activity)
    return activity if activity in ACTIVITIES else None


def _vehicle(s: ChargePointStatus) -> str | None:
    return VEHICLE_STATUSES.get(s.vehicle_status or "")


@dataclass(frozen=True, kw_only=True)
class StatusSensorDescription(SensorEntityDescription):
    """A sensor read from a socket's status; shown per socket on multi-socket points."""

    status_fn: Callable[[ChargePointData, ChargePointStatus], SensorValue]
    per_socket: bool = False
    unit_fn: Callable[[ChargePointData], str | None] | None = None


@dataclass(frozen=True, kw_only=True)
class ChargePointSensorDescription(SensorEntityDescription):
    """A sensor read from what is known of the charge point as a whole."""

    value_fn: Callable[[ChargePointData], SensorValue]
    unit_fn: Callable[[ChargePointData], str | None] | None = None
    # Never report less than before (lifetime totals for the Energy dashboard).
    monotonic: bool = False
    # Includes the running session, so it moves with every status push.
    reads_status: bool = False


@dataclass(frozen=True, kw_only=True)
class GridSensorDescription(SensorEntityDescription):
    """A sensor of the grid connection."""

    value_fn: Callable[[GridStatus], SensorValue]


@dataclass(frozen=True, kw_only=True)
class AccountSensorDescription(SensorEntityDescription):
    """A sensor of the account."""

    value_fn: Callable[[Sustainability], SensorValue]


def _currency(point: ChargePointData) -> str | None:
    return point.currency


def _per_kwh(point: ChargePointData) -> str | None:
    return f"{point.currency}/kWh" if point.currency else None


def _phase(kind: str, n: int) -> StatusSensorDescription:
    current = kind == "current"
    return StatusSensorDescription(
        key=f"{kind}_phase_{n}",
        translation_key=f"{kind}_phase",
        translation_placeholders={"phase": str(n)},
        device_class=SensorDeviceClass.CURRENT if current else SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=(
            UnitOfElectricCurrent.AMPERE if current else UnitOfElectricPotential.VOLT
        ),
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1 if current else 0,
        entity_registry_enabled_default=False,
        status_fn=lambda _, s: (_currents(s) if current else _voltages(s))[n - 1],
    )


def _limit(key: str, fn: Callable[[ChargePointStatus], float | None], enabled: bool) -> Any:
    return StatusSensorDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=enabled,
        status_fn=lambda _, s: fn(s),
    )


STATUS_SENSORS: tuple[StatusSensorDescription, ...] = (
    StatusSensorDescription(
        key="activity",
        translation_key="activity",
        device_class=SensorDeviceClass.ENUM,
        options=ACTIVITIES,
        per_socket=True,
        status_fn=lambda _, s: _activity(s),
    ),
    StatusSensorDescription(
        key="vehicle_status",
        translation_key="vehicle_status",
        device_class=SensorDeviceClass.ENUM,
        options=sorted(set(VEHICLE_STATUSES.values())),
        per_socket=True,
        status_fn=lambda _, s: _vehicle(s),
    ),
    *(_phase("current", n) for n in (1, 2, 3)),
    StatusSensorDescription(
        key="current",
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        per_socket=True,
        status_fn=lambda _, s: _mean(_currents(s)),
    ),
    *(_phase("voltage", n) for n in (1, 2, 3)),
    StatusSensorDescription(
        key="voltage",
        translation_key="voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        status_fn=lambda _, s: _mean(_voltages(s)),
    ),
    StatusSensorDescription(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=2,
        per_socket=True,
        status_fn=lambda _, s: power_kw(s),
    ),
    StatusSensorDescription(
        key="session_energy",
        translation_key="session_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        per_socket=True,
        status_fn=lambda _, s: s.actual_kwh,
    ),
    StatusSensorDescription(
        key="session_cost",
        translation_key="session_cost",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=2,
        per_socket=True,
        unit_fn=_currency,
        status_fn=lambda _, s: s.total_cost,
    ),
    StatusSensorDescription(
        key="session_start",
        translation_key="session_start",
        device_class=SensorDeviceClass.TIMESTAMP,
        status_fn=lambda _, s: s.start_datetime,
    ),
    StatusSensorDescription(
        key="session_end",
        translation_key="session_end",
        device_class=SensorDeviceClass.TIMESTAMP,
        status_fn=lambda _, s: s.stop_datetime,
    ),
    StatusSensorDescription(
        key="offline_since",
        translation_key="offline_since",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        status_fn=lambda _, s: s.offline_since,
    ),
    _limit("max_usage", lambda s: s.max_usage, enabled=True),
    _limit("smart_charging_max_usage", lambda s: s.smartcharging_max_usage, enabled=False),
    _limit("max_offline", lambda s: s.max_offline, enabled=False),
    StatusSensorDescription(
        key="remaining_current",
        translation_key="remaining_current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        status_fn=remaining_current,
    ),
)

CHARGE_POINT_SENSORS: tuple[ChargePointSensorDescription, ...] = (
    ChargePointSensorDescription(
        key="lifetime_energy",
        translation_key="lifetime_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        monotonic=True,
        reads_status=True,
        value_fn=lambda p: p.lifetime_energy,
    ),
    ChargePointSensorDescription(
        key="lifetime_cost",
        translation_key="lifetime_cost",
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        suggested_display_precision=2,
        monotonic=True,
        reads_status=True,
        unit_fn=_currency,
        value_fn=lambda p: p.lifetime_cost,
    ),
    ChargePointSensorDescription(
        key="latest_transaction_energy",
        translation_key="latest_transaction_energy",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        value_fn=lambda p: p.latest_transaction.kwh if p.latest_transaction else None,
    ),
    ChargePointSensorDescription(
        key="latest_transaction_cost",
        translation_key="latest_transaction_cost",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=2,
        unit_fn=_currency,
        value_fn=lambda p: p.latest_transaction.total_costs if p.latest_transaction else None,
    ),
    ChargePointSensorDescription(
        key="tariff_price",
        translation_key="tariff_price",
        suggested_display_precision=3,
        entity_category=EntityCategory.DIAGNOSTIC,
        unit_fn=_per_kwh,
        value_fn=lambda p: p.info.tariff.price_in_vat if p.info.tariff else None,
    ),
)


def _grid_phase(n: int) -> GridSensorDescription:
    return GridSensorDescription(
        key=f"grid_current_phase_{n}",
        translation_key="grid_current_phase",
        translation_placeholders={"phase": str(n)},
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        value_fn=lambda g: [g.grid_actual_p1, g.grid_actual_p2, g.grid_actual_p3][n - 1],
    )


def _grid_max(g: GridStatus) -> float | None:
    phases = [p for p in (g.grid_actual_p1, g.grid_actual_p2, g.grid_actual_p3) if p is not None]
    return max(phases) if phases else None


GRID_SENSORS: tuple[GridSensorDescription, ...] = (
    *(_grid_phase(n) for n in (1, 2, 3)),
    GridSensorDescription(
        key="grid_current",
        translation_key="grid_current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda g: _mean([g.grid_actual_p1, g.grid_actual_p2, g.grid_actual_p3]),
    ),
    GridSensorDescription(
        key="grid_current_max",
        translation_key="grid_current_max",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=_grid_max,
    ),
    GridSensorDescription(
        key="grid_max_installed",
        translation_key="grid_max_installed",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda g: g.grid_max_install,
    ),
    GridSensorDescription(
        key="grid_max_reserved",
        translation_key="grid_max_reserved",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda g: g.grid_max_reserved,
    ),
)

ACCOUNT_SENSORS: tuple[AccountSensorDescription, ...] = (
    AccountSensorDescription(
        key="trees",
        translation_key="trees",
        state_class=SensorStateClass.TOTAL_INCREASING,
        value_fn=lambda s: s.trees,
    ),
    AccountSensorDescription(
        key="co2",
        translation_key="co2",
        device_class=SensorDeviceClass.WEIGHT,
        native_unit_of_measurement=UnitOfMass.KILOGRAMS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        value_fn=lambda s: s.co2,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for the account, its grid and every charge point."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(AccountSensor(coordinator, d) for d in ACCOUNT_SENSORS)
    if (grid := coordinator.data.grid) is not None and grid.id:
        async_add_entities(GridSensor(coordinator, grid.id, d) for d in GRID_SENSORS)

    def _entities(point: ChargePointData) -> Iterable[Entity]:
        evse_id = point.info.evse_id
        for description in STATUS_SENSORS:
            yield StatusSensor(coordinator, evse_id, description)
            if description.per_socket and len(point.socket_ids) > 1:
                for socket_id in point.socket_ids:
                    yield StatusSensor(coordinator, evse_id, description, socket_id)
        for cp_description in CHARGE_POINT_SENSORS:
            yield ChargePointSensor(coordinator, evse_id, cp_description)

    async_track_charge_points(entry, async_add_entities, _entities)


class StatusSensor(ChargePointEntity, SensorEntity):
    """A value from the status of the charge point's first socket, or of one socket."""

    entity_description: StatusSensorDescription

    @property
    def reads_status(self) -> bool:
        """Every status sensor follows status pushes."""
        return True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Name per-socket sensors by socket."""
        super().__init__(*args, **kwargs)
        if self.socket_id is not None:
            self._attr_translation_key = f"socket_{self.entity_description.key}"
            self._attr_entity_registry_enabled_default = True

    @property
    def _status(self) -> ChargePointStatus | None:
        point = self.point
        if self.socket_id is None:
            return point.status
        return point.statuses.get(self.socket_id)

    @property
    def available(self) -> bool:
        """Unavailable while the cloud has not reported this status."""
        return super().available and self._status is not None

    @property
    def native_value(self) -> SensorValue:
        """The value from the latest pushed or polled status."""
        status = self._status
        return None if status is None else self.entity_description.status_fn(self.point, status)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Currency units follow the tariff."""
        if (unit_fn := self.entity_description.unit_fn) is not None:
            return None if (point := self.known_point) is None else unit_fn(point)
        return super().native_unit_of_measurement


class ChargePointSensor(ChargePointEntity, RestoreSensor):
    """A value about the whole charge point; lifetime totals never go down."""

    entity_description: ChargePointSensorDescription
    _restored: float | None = None

    @property
    def reads_status(self) -> bool:
        """Lifetime totals include the running session."""
        return self.entity_description.reads_status

    async def async_added_to_hass(self) -> None:
        """Take the last reported total so a restart never lowers it."""
        await super().async_added_to_hass()
        if self.entity_description.monotonic and (last := await self.async_get_last_sensor_data()):
            value = last.native_value
            self._restored = float(value) if isinstance(value, int | float) else None

    @property
    def native_value(self) -> SensorValue:
        """The value, clamped to the highest reported one for lifetime totals."""
        if (point := self.known_point) is None:
            # Left the account: what is kept for a restore is the last total.
            return self._restored if self.entity_description.monotonic else None
        value = self.entity_description.value_fn(point)
        if not self.entity_description.monotonic or not isinstance(value, int | float):
            return value
        if self._restored is not None and value < self._restored:
            return self._restored
        self._restored = float(value)
        return round(value, 3)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Currency units follow the tariff."""
        if (unit_fn := self.entity_description.unit_fn) is not None:
            return None if (point := self.known_point) is None else unit_fn(point)
        return super().native_unit_of_measurement


class GridSensor(GridEntity, SensorEntity):
    """A current of the grid connection."""

    entity_description: GridSensorDescription

    @property
    def native_value(self) -> SensorValue:
        """The latest pushed or polled grid value."""
        grid = self.coordinator.data.grid
        return None if grid is None else self.entity_description.value_fn(grid)


class AccountSensor(AccountEntity, SensorEntity):
    """A sustainability figure of the account."""

    entity_description: AccountSensorDescription

    @property
    def available(self) -> bool:
        """Unavailable until the cloud reported it."""
        return super().available and self.coordinator.data.sustainability is not None

    @property
    def native_value(self) -> SensorValue:
        """The latest polled value."""
        data = self.coordinator.data.sustainability
        return None if data is None else self.entity_description.value_fn(data)

"""The sensor description, and the sensors of grid connections and of the account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfElectricCurrent, UnitOfMass

from .api import GridStatus
from .data import SOURCE_SUSTAINABILITY, GridData
from .entity import BlueCurrentDescription
from .status_values import mean_of


@dataclass(frozen=True, kw_only=True)
class BlueCurrentSensorDescription[T](SensorEntityDescription, BlueCurrentDescription[T]):
    """A sensor; ``unit_fn`` for units that follow the data (the tariff's currency)."""

    unit_fn: Callable[[T], str | None] | None = None
    # Never report less than before (lifetime totals for the Energy dashboard).
    monotonic: bool = False


def _grid_phase(n: int) -> BlueCurrentSensorDescription[GridData]:
    return BlueCurrentSensorDescription[GridData](
        key=f"grid_current_phase_{n}",
        translation_key="grid_current_phase",
        translation_placeholders={"phase": str(n)},
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        entity_registry_enabled_default=False,  # detail: the average and maximum say enough
        available_fn=_has_grid_status,
        value_fn=lambda g: grid_currents(g.status)[n - 1],
    )


def _has_grid_status(grid: GridData) -> bool:
    return grid.status is not None


def grid_currents(status: GridStatus | None) -> list[float | None]:
    """Return the grid's current per phase."""
    if status is None:
        return [None, None, None]
    return [status.grid_actual_p1, status.grid_actual_p2, status.grid_actual_p3]


def _grid_max(grid: GridData) -> float | None:
    phases = [p for p in grid_currents(grid.status) if p is not None]
    return max(phases) if phases else None


def _grid_sensor(key: str, **kwargs: Any) -> BlueCurrentSensorDescription[GridData]:
    return BlueCurrentSensorDescription[GridData](
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=1,
        available_fn=_has_grid_status,
        **kwargs,
    )


GRID_SENSORS: tuple[BlueCurrentSensorDescription[GridData], ...] = (
    *(_grid_phase(n) for n in (1, 2, 3)),
    _grid_sensor(
        "grid_current",
        state_class=SensorStateClass.MEASUREMENT,
        # Enabled: the load on the grid connection, what load balancing is about.
        value_fn=lambda g: mean_of(grid_currents(g.status)),
    ),
    _grid_sensor(
        "grid_current_max",
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,  # detail: the busiest phase
        value_fn=_grid_max,
    ),
    _grid_sensor(
        "grid_max_installed",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # diagnostic: a fixed property of the grid
        value_fn=lambda g: g.status.grid_max_install,
    ),
    _grid_sensor(
        "grid_max_reserved",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,  # diagnostic: a fixed property of the grid
        value_fn=lambda g: g.status.grid_max_reserved,
    ),
)

ACCOUNT_SENSORS: tuple[BlueCurrentSensorDescription[Any], ...] = (
    BlueCurrentSensorDescription[Any](
        key="trees",
        translation_key="trees",
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
        source=SOURCE_SUSTAINABILITY,
        entity_registry_enabled_default=False,  # a curiosity; CO2 saved says the same
        available_fn=lambda d: d.sustainability is not None,
        value_fn=lambda d: d.sustainability.trees,
    ),
    BlueCurrentSensorDescription[Any](
        key="co2",
        translation_key="co2",
        device_class=SensorDeviceClass.WEIGHT,
        native_unit_of_measurement=UnitOfMass.KILOGRAMS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=1,
        source=SOURCE_SUSTAINABILITY,
        # Enabled: the account's one figure of its own, the CO2 its charging saved.
        available_fn=lambda d: d.sustainability is not None,
        value_fn=lambda d: d.sustainability.co2,
    ),
)

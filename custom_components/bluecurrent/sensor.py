"""Sensors of charge points and their sockets, grid connections and the account."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import RestoreSensor, SensorEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .coordinator import BlueCurrentCoordinator
from .data import BlueCurrentConfigEntry
from .entity import BlueCurrentEntity, async_track_entities, point_entities
from .scopes import Scope
from .sensor_points import POINT_SENSORS
from .sensor_types import ACCOUNT_SENSORS, GRID_SENSORS, BlueCurrentSensorDescription

PARALLEL_UPDATES = 0

type SensorValue = StateType | datetime


def _sensor(
    coordinator: BlueCurrentCoordinator,
    scope: Scope,
    description: BlueCurrentSensorDescription[Any],
) -> BlueCurrentSensor:
    """Make a sensor; only lifetime totals remember their value across restarts."""
    cls = BlueCurrentTotalSensor if description.monotonic else BlueCurrentSensor
    return cls(coordinator, scope, description)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add sensors for the account, its grids and every charge point."""
    coordinator = entry.runtime_data.coordinator

    def entities(descriptions: tuple[Any, ...]) -> Callable[[Scope], list[Entity]]:
        return lambda scope: [_sensor(coordinator, scope, d) for d in descriptions]

    await async_track_entities(
        entry,
        async_add_entities,
        points=point_entities(coordinator, _sensor, POINT_SENSORS),
        grids=entities(GRID_SENSORS),
        account=entities(ACCOUNT_SENSORS),
    )


class BlueCurrentSensor(BlueCurrentEntity[Any], SensorEntity):
    """A sensor of any scope."""

    entity_description: BlueCurrentSensorDescription[Any]

    @property
    def native_value(self) -> SensorValue:
        """Return the description's value."""
        value: SensorValue = self.described_value
        return value

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Currency units follow the tariff."""
        if (unit_fn := self.entity_description.unit_fn) is not None:
            subject = self.subject
            return None if subject is None else unit_fn(subject)
        return super().native_unit_of_measurement


class BlueCurrentTotalSensor(BlueCurrentSensor, RestoreSensor):
    """A lifetime total: never lower than before, also across restarts.

    A class of its own because only these restore their state: every restored entity costs
    Home Assistant memory and work at start and at shutdown.
    """

    _restored: float | None = None

    async def async_added_to_hass(self) -> None:
        """Take the last reported total so a restart never lowers it."""
        await super().async_added_to_hass()
        if last := await self.async_get_last_sensor_data():
            value = last.native_value
            self._restored = float(value) if isinstance(value, int | float) else None

    @property
    def native_value(self) -> SensorValue:
        """Return the total, clamped to the highest one reported."""
        value = self.described_value
        if not isinstance(value, int | float):
            # Nothing to read (e.g. it left the account): a restore keeps the last total.
            return self._restored
        if self._restored is not None and value < self._restored:
            return self._restored
        self._restored = float(value)
        return round(value, 3)

"""Binary sensors: vehicle connected, charging, boosting (per charge point and socket)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import BlueCurrentConfigEntry
from .entity import (
    BlueCurrentDescription,
    BlueCurrentEntity,
    async_track_entities,
    point_entities,
)
from .smart import has_smart_charging
from .status_values import charging, vehicle_connected
from .views import PointView, any_true, from_status, has_status

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class BlueCurrentBinarySensorDescription(
    BinarySensorEntityDescription, BlueCurrentDescription[PointView]
):
    """A binary sensor of a charge point or socket."""


BINARY_SENSORS: tuple[BlueCurrentBinarySensorDescription, ...] = (
    BlueCurrentBinarySensorDescription(
        key="vehicle_connected",
        translation_key="vehicle_connected",
        device_class=BinarySensorDeviceClass.PLUG,
        reads_status=True,
        per_socket=True,
        available_fn=has_status,
        # Enabled: "car plugged in" is what automations start from.
        value_fn=from_status(vehicle_connected, any_true),
    ),
    BlueCurrentBinarySensorDescription(
        key="charging",
        translation_key="charging",
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        reads_status=True,
        per_socket=True,
        available_fn=has_status,
        # Enabled: "charging started/stopped" is what automations react to.
        value_fn=from_status(charging, any_true),
    ),
    BlueCurrentBinarySensorDescription(
        key="boosting",
        translation_key="boosting",
        # Not reads_status: the status pushes that change boosting update it (push.py), the
        # others, most of them, cost it nothing.
        per_socket=True,
        available_fn=has_status,
        exists_fn=lambda p: has_smart_charging(p.info),
        entity_registry_enabled_default=False,  # detail: the boost button's press says the same
        value_fn=from_status(lambda s: s.boosting, any_true),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors of every charge point and socket."""
    points = point_entities(entry.runtime_data.coordinator, BlueCurrentBinarySensor, BINARY_SENSORS)
    await async_track_entities(entry, async_add_entities, points=points)


class BlueCurrentBinarySensor(BlueCurrentEntity[PointView], BinarySensorEntity):
    """A yes/no state read from the statuses."""

    entity_description: BlueCurrentBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The state as the last status says."""
        value: Any = self.described_value
        return None if value is None else bool(value)

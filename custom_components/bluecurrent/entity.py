"""Base entities: one device per charge point, one for the grid, one for the account."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import CONFIGURATION_URL, DOMAIN, MANUFACTURER
from .coordinator import (
    ACCOUNT_CONTEXT,
    GRID_CONTEXT,
    BlueCurrentConfigEntry,
    BlueCurrentCoordinator,
    ChargePointData,
)


class BlueCurrentEntity(CoordinatorEntity[BlueCurrentCoordinator]):
    """Available only while the cloud connection is up, so no state goes stale."""

    _attr_has_entity_name = True
    _last_shown: tuple[object, ...] | None = None

    @property
    def available(self) -> bool:
        """Unavailable while disconnected or when the last poll failed."""
        return super().available and self.coordinator.connected

    async def async_added_to_hass(self) -> None:
        """Forget what was written before, so the first update after (re)adding is written."""
        self._last_shown = None
        await super().async_added_to_hass()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed.

        A push changes a few values of one charge point; building and comparing full states
        for all its other entities is most of the CPU a push would cost.
        """
        shown: tuple[object, ...] = (False,)
        if self.available:
            shown = (True, self.state, self.unit_of_measurement, self.capability_attributes)
        if shown != self._last_shown:
            self._last_shown = shown
            self.async_write_ha_state()


class ChargePointEntity(BlueCurrentEntity):
    """An entity of one charge point (or one socket of it)."""

    def __init__(
        self,
        coordinator: BlueCurrentCoordinator,
        evse_id: str,
        description: EntityDescription,
        socket_id: int | None = None,
    ) -> None:
        """Attach the entity to its charge point's device."""
        self.entity_description = description
        super().__init__(coordinator, context=(evse_id, self.reads_status))
        self.evse_id = evse_id
        self.socket_id = socket_id
        if socket_id is None:
            self._attr_unique_id = f"{evse_id}_{description.key}"
        else:
            self._attr_unique_id = f"{evse_id}_socket_{socket_id}_{description.key}"
            self._attr_translation_placeholders = {"socket": str(socket_id)}
        info = coordinator.data.charge_points[evse_id].info
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, evse_id)},
            manufacturer=MANUFACTURER,
            model=info.model_type,
            name=info.name or evse_id,
            serial_number=evse_id,
            configuration_url=CONFIGURATION_URL,
        )

    @property
    def reads_status(self) -> bool:
        """Whether the state depends on the pushed status; only those follow status pushes."""
        return False

    @property
    def point(self) -> ChargePointData:
        """The charge point's current data; only while it is in the account (see available)."""
        return self.coordinator.data.charge_points[self.evse_id]

    @property
    def known_point(self) -> ChargePointData | None:
        """The charge point's data, or None once it left the account.

        For what Home Assistant reads even from an unavailable or departing entity: units,
        options and the state to restore.
        """
        return self.coordinator.data.charge_points.get(self.evse_id)

    @property
    def available(self) -> bool:
        """Unavailable once the charge point left the account."""
        return super().available and self.evse_id in self.coordinator.data.charge_points


class GridEntity(BlueCurrentEntity):
    """An entity of the account's grid connection."""

    def __init__(
        self, coordinator: BlueCurrentCoordinator, grid_id: str, description: EntityDescription
    ) -> None:
        """Attach the entity to the grid connection's device."""
        super().__init__(coordinator, context=GRID_CONTEXT)
        self.entity_description = description
        self._attr_unique_id = f"{grid_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, grid_id)},
            manufacturer=MANUFACTURER,
            model="Grid connection",
            translation_key="grid",
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=CONFIGURATION_URL,
        )

    @property
    def available(self) -> bool:
        """Unavailable until the grid status is known."""
        return super().available and self.coordinator.data.grid is not None


class AccountEntity(BlueCurrentEntity):
    """An entity of the Blue Current account as a whole."""

    def __init__(self, coordinator: BlueCurrentCoordinator, description: EntityDescription) -> None:
        """Attach the entity to the account's service device."""
        super().__init__(coordinator, context=ACCOUNT_CONTEXT)
        self.entity_description = description
        entry_id = coordinator.config_entry.entry_id
        self._attr_unique_id = f"{entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, entry_id)},
            manufacturer=MANUFACTURER,
            translation_key="account",
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=CONFIGURATION_URL,
        )


def async_track_charge_points(
    entry: BlueCurrentConfigEntry,
    add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[ChargePointData], Iterable[Entity]],
) -> None:
    """Add entities for every charge point now, and for each one that joins later."""
    coordinator = entry.runtime_data.coordinator
    known: set[str] = set()

    @callback
    def _add_new() -> None:
        current = coordinator.data.charge_points
        known.intersection_update(current)
        new = [point for evse_id, point in current.items() if evse_id not in known]
        if not new:
            return
        known.update(point.info.evse_id for point in new)
        add_entities(entity for point in new for entity in factory(point))

    _add_new()
    entry.async_on_unload(coordinator.async_add_listener(_add_new))

"""Buttons: stop the session, soft reset, reboot, unlock the connector."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import BlueCurrentClient
from .coordinator import BlueCurrentConfigEntry, ChargePointData
from .entity import ChargePointEntity, async_track_charge_points
from .helpers import bluecurrent_command

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class BlueCurrentButtonDescription(ButtonEntityDescription):
    """A command button of a charge point."""

    press_fn: Callable[[BlueCurrentClient, str], Awaitable[Any]]


BUTTONS: tuple[BlueCurrentButtonDescription, ...] = (
    BlueCurrentButtonDescription(
        key="stop_session",
        translation_key="stop_session",
        press_fn=lambda client, evse_id: client.stop_session(evse_id),
    ),
    BlueCurrentButtonDescription(
        key="soft_reset",
        translation_key="soft_reset",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client, evse_id: client.soft_reset(evse_id),
    ),
    BlueCurrentButtonDescription(
        key="reboot",
        translation_key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client, evse_id: client.reboot(evse_id),
    ),
    BlueCurrentButtonDescription(
        key="unlock_connector",
        translation_key="unlock_connector",
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client, evse_id: client.unlock_connector(evse_id),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the command buttons of every charge point."""
    coordinator = entry.runtime_data.coordinator

    def _entities(point: ChargePointData) -> Iterable[Entity]:
        return (BlueCurrentButton(coordinator, point.info.evse_id, d) for d in BUTTONS)

    async_track_charge_points(entry, async_add_entities, _entities)


class BlueCurrentButton(ChargePointEntity, ButtonEntity):
    """Sends one command and reports the cloud's verdict."""

    entity_description: BlueCurrentButtonDescription

    @bluecurrent_command
    async def async_press(self) -> None:
        """Send the command; a rejection becomes a translated error."""
        await self.entity_description.press_fn(self.coordinator.client, self.evse_id)

"""Switches: enable/disable charging, plug and charge, public charging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import BlueCurrentClient, Setting
from .coordinator import BlueCurrentConfigEntry, BlueCurrentCoordinator, ChargePointData
from .entity import ChargePointEntity, async_track_charge_points
from .helpers import bluecurrent_command

PARALLEL_UPDATES = 1

ENABLED_ACTIVITIES = {"available", "charging", "error"}


def _enabled(point: ChargePointData) -> bool | None:
    status = point.status
    if status is None or status.activity == "offline":
        return None
    if status.activity == "unavailable":
        return False
    return status.activity in ENABLED_ACTIVITIES


async def _set_enabled(coordinator: BlueCurrentCoordinator, evse_id: str, on: bool) -> None:
    await coordinator.client.set_status(evse_id, on)
    coordinator.async_apply_local(evse_id, activity="available" if on else "unavailable")


def _writable(setting: Setting | None) -> bool:
    return setting is not None and setting.permission == "write"


def _setting_switch(
    key: str,
    get: Callable[[ChargePointData], Setting | None],
    send: Callable[[BlueCurrentClient, str, bool], Awaitable[Any]],
) -> BlueCurrentSwitchDescription:
    async def set_fn(coordinator: BlueCurrentCoordinator, evse_id: str, on: bool) -> None:
        await send(coordinator.client, evse_id, on)
        if (setting := get(coordinator.data.charge_points[evse_id])) is not None:
            coordinator.async_apply_local(evse_id, **{key: replace(setting, value=on)})

    return BlueCurrentSwitchDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        exists_fn=lambda p: _writable(get(p)),
        is_on_fn=lambda p: None if (s := get(p)) is None else bool(s.value),
        set_fn=set_fn,
    )


@dataclass(frozen=True, kw_only=True)
class BlueCurrentSwitchDescription(SwitchEntityDescription):
    """A switch of a charge point."""

    exists_fn: Callable[[ChargePointData], bool] = lambda _: True
    reads_status: bool = False
    is_on_fn: Callable[[ChargePointData], bool | None]
    set_fn: Callable[[BlueCurrentCoordinator, str, bool], Awaitable[None]]


SWITCHES: tuple[BlueCurrentSwitchDescription, ...] = (
    BlueCurrentSwitchDescription(
        key="enabled",
        translation_key="enabled",
        reads_status=True,
        is_on_fn=_enabled,
        set_fn=_set_enabled,
    ),
    _setting_switch(
        "plug_and_charge",
        lambda p: p.info.plug_and_charge,
        lambda client, evse_id, on: client.set_plug_and_charge(evse_id, on),
    ),
    _setting_switch(
        "public_charging",
        lambda p: p.info.public_charging,
        lambda client, evse_id, on: client.set_public_charging(evse_id, on),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches each charge point allows."""
    coordinator = entry.runtime_data.coordinator

    def _entities(point: ChargePointData) -> Iterable[Entity]:
        for description in SWITCHES:
            if description.exists_fn(point):
                yield BlueCurrentSwitch(coordinator, point.info.evse_id, description)

    async_track_charge_points(entry, async_add_entities, _entities)


class BlueCurrentSwitch(ChargePointEntity, SwitchEntity):
    """A switch whose state follows the cloud's confirmation and pushes."""

    entity_description: BlueCurrentSwitchDescription

    @property
    def reads_status(self) -> bool:
        """Enabled follows the pushed activity; the settings switches follow settings."""
        return self.entity_description.reads_status

    @property
    def is_on(self) -> bool | None:
        """State as the cloud last confirmed or pushed it."""
        return self.entity_description.is_on_fn(self.point)

    @bluecurrent_command
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on and wait for the cloud's verdict."""
        await self.entity_description.set_fn(self.coordinator, self.evse_id, True)

    @bluecurrent_command
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off and wait for the cloud's verdict."""
        await self.entity_description.set_fn(self.coordinator, self.evse_id, False)

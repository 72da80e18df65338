"""Switches: charging enabled, plug and charge, public charging, the capacity-tariff limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Setting
from .coordinator import BlueCurrentCoordinator
from .data import SOURCE_CHARGE_POINTS, BlueCurrentConfigEntry, ChargePointData
from .entity import (
    BlueCurrentDescription,
    BlueCurrentEntity,
    async_track_entities,
    point_entities,
)
from .errors import bluecurrent_command, invalid
from .permissions import check_writable, visible
from .views import PointView, has_status

PARALLEL_UPDATES = 1

type SetFn = Callable[[BlueCurrentCoordinator, PointView, bool], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class BlueCurrentSwitchDescription(SwitchEntityDescription, BlueCurrentDescription[PointView]):
    """A switch of a charge point; ``set_fn`` sends the change and shows the confirmed one."""

    set_fn: SetFn


def _enabled(view: PointView) -> bool | None:
    """On unless every socket that is online is blocked."""
    activities = [s.activity for s in view.point.statuses if s.activity != "offline"]
    if not activities:
        return None
    return any(activity != "unavailable" for activity in activities)


async def _set_enabled(coordinator: BlueCurrentCoordinator, view: PointView, on: bool) -> None:
    evse_id = view.point.info.evse_id
    await coordinator.client.set_status(evse_id, on, socket_ids=view.point.socket_ids)
    coordinator.async_apply_confirmed(evse_id, activity="available" if on else "unavailable")


async def _set_capacity(coordinator: BlueCurrentCoordinator, view: PointView, on: bool) -> None:
    """Switch the limit off, or on again with the last limit the cloud reported."""
    setting = view.point.info.capacity_tariff
    check_writable(setting, "capacity_tariff")
    evse_id = view.point.info.evse_id
    client = coordinator.client
    limit = view.point.capacity_limit
    if on and limit is None:
        raise invalid("capacity_limit_unknown")
    await coordinator.confirm.send(
        evse_id, lambda: client.set_capacity_tariff(evse_id, on, limit if on else None)
    )


def _setting_switch(
    key: str,
    get: Callable[[ChargePointData], Setting | None],
    send: Callable[[BlueCurrentCoordinator, str, bool], Awaitable[Any]],
    enabled: bool,
) -> BlueCurrentSwitchDescription:
    async def set_fn(coordinator: BlueCurrentCoordinator, view: PointView, on: bool) -> None:
        setting = get(view.point)
        check_writable(setting, key)
        evse_id = view.point.info.evse_id
        await send(coordinator, evse_id, on)
        if setting is not None:
            coordinator.async_apply_confirmed(evse_id, **{key: replace(setting, value=on)})

    return BlueCurrentSwitchDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: visible(get(p)),
        entity_registry_enabled_default=enabled,
        value_fn=lambda v: None if (s := get(v.point)) is None else bool(s.value),
        set_fn=set_fn,
    )


SWITCHES: tuple[BlueCurrentSwitchDescription, ...] = (
    BlueCurrentSwitchDescription(
        key="enabled",
        translation_key="enabled",
        reads_status=True,
        available_fn=has_status,
        # Enabled: the on/off of charging that night-charging automations drive.
        value_fn=_enabled,
        set_fn=_set_enabled,
    ),
    _setting_switch(
        "plug_and_charge",
        lambda p: p.info.plug_and_charge,
        lambda c, evse_id, on: c.client.set_plug_and_charge(evse_id, on),
        # Enabled: whether a plugged-in car charges without a card, what owners switch.
        enabled=True,
    ),
    _setting_switch(
        "public_charging",
        lambda p: p.info.public_charging,
        lambda c, evse_id, on: c.client.set_public_charging(evse_id, on),
        enabled=False,  # set once, when a charge point is shared; rarely changed
    ),
    BlueCurrentSwitchDescription(
        key="capacity_tariff",
        translation_key="capacity_tariff",
        entity_category=EntityCategory.CONFIG,
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: visible(p.info.capacity_tariff),
        entity_registry_enabled_default=False,  # Belgian capacity tariffs only
        value_fn=lambda v: None if (c := v.point.info.capacity_tariff) is None else c.value is True,
        set_fn=_set_capacity,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the switches each charge point has."""
    points = point_entities(entry.runtime_data.coordinator, BlueCurrentSwitch, SWITCHES)
    await async_track_entities(entry, async_add_entities, points=points)


class BlueCurrentSwitch(BlueCurrentEntity[PointView], SwitchEntity):
    """A switch whose state follows the cloud's confirmation and pushes."""

    entity_description: BlueCurrentSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The state as the cloud last confirmed or pushed it."""
        value: bool | None = self.described_value
        return value

    @bluecurrent_command
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn on and wait for the cloud's verdict."""
        await self._set(True)

    @bluecurrent_command
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn off and wait for the cloud's verdict."""
        await self._set(False)

    async def _set(self, on: bool) -> None:
        if (view := self.subject) is not None:
            await self.entity_description.set_fn(self.coordinator, view, on)

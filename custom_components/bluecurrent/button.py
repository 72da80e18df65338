"""Buttons: stop the session, soft reset, reboot, unlock the connector, boost."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import BlueCurrentClient
from .data import SOURCE_CHARGE_POINTS, BlueCurrentConfigEntry
from .entity import (
    BlueCurrentDescription,
    BlueCurrentEntity,
    async_track_entities,
    point_entities,
)
from .errors import bluecurrent_command, invalid
from .permissions import check_writable
from .smart import MODE_PRICE, active_mode, has_smart_charging, mode_settings
from .views import PointView

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class BlueCurrentButtonDescription(ButtonEntityDescription, BlueCurrentDescription[PointView]):
    """A command button of a charge point or socket."""

    press_fn: Callable[[BlueCurrentClient, PointView], Awaitable[Any]]
    value_fn: Callable[[PointView], Any] = lambda _: None


def _evse(view: PointView) -> str:
    return view.point.info.evse_id


async def _boost(client: BlueCurrentClient, view: PointView) -> None:
    """Send the override that fits the mode on: charge now despite the window or the prices."""
    info = view.point.info
    mode = active_mode(info)
    if mode is None:
        raise invalid("no_smart_mode")
    check_writable(mode_settings(info)[mode], f"{mode}_charging")
    if mode == MODE_PRICE:
        await client.boost_price_based_charging(info.evse_id)
    else:
        await client.boost_delayed_charging(info.evse_id)


BUTTONS: tuple[BlueCurrentButtonDescription, ...] = (
    BlueCurrentButtonDescription(
        key="stop_session",
        translation_key="stop_session",
        # Enabled: ends a session from a dashboard or an automation.
        press_fn=lambda client, v: client.stop_session(_evse(v)),
    ),
    BlueCurrentButtonDescription(
        key="soft_reset",
        translation_key="soft_reset",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,  # maintenance, pressed rarely and by hand
        press_fn=lambda client, v: client.soft_reset(_evse(v)),
    ),
    BlueCurrentButtonDescription(
        key="reboot",
        translation_key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,  # maintenance, after a soft reset did not help
        press_fn=lambda client, v: client.reboot(_evse(v)),
    ),
    BlueCurrentButtonDescription(
        key="unlock_connector",
        translation_key="unlock_connector",
        entity_category=EntityCategory.CONFIG,
        per_socket=True,
        combined=False,
        entity_registry_enabled_default=False,  # rare: a cable that stays locked in the socket
        press_fn=lambda client, v: client.unlock_connector(_evse(v), socket_id=v.socket_key),
    ),
    BlueCurrentButtonDescription(
        key="boost",
        translation_key="boost",
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: has_smart_charging(p.info),
        # Only while delayed or price-based charging holds the car back.
        available_fn=lambda v: active_mode(v.point.info) is not None,
        # Enabled: "charge now" when plans change, pressed from a dashboard or an automation.
        press_fn=_boost,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the command buttons of every charge point."""
    points = point_entities(entry.runtime_data.coordinator, BlueCurrentButton, BUTTONS)
    await async_track_entities(entry, async_add_entities, points=points)


class BlueCurrentButton(BlueCurrentEntity[PointView], ButtonEntity):
    """Sends one command and reports the cloud's verdict."""

    entity_description: BlueCurrentButtonDescription

    @bluecurrent_command
    async def async_press(self) -> None:
        """Send the command; a rejection becomes a translated error."""
        if (view := self.subject) is not None:
            await self.entity_description.press_fn(self.coordinator.client, view)

"""Times: the delayed-charging window and the departure time of price-based charging."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import time

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import DelayedCharging, PriceBasedCharging
from .coordinator import BlueCurrentCoordinator
from .data import SOURCE_CHARGE_POINTS, BlueCurrentConfigEntry
from .entity import (
    BlueCurrentDescription,
    BlueCurrentEntity,
    async_track_entities,
    point_entities,
)
from .errors import bluecurrent_command
from .permissions import check_writable, visible
from .smart import price_settings_shown, send_price_settings, whole_minutes
from .views import PointView

PARALLEL_UPDATES = 1

type SetFn = Callable[[BlueCurrentCoordinator, PointView, time], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class BlueCurrentTimeDescription(TimeEntityDescription, BlueCurrentDescription[PointView]):
    """A time of a charge point; ``set_fn`` sends it and shows what the cloud then says."""

    set_fn: SetFn


def _delayed(view: PointView) -> DelayedCharging | None:
    return view.point.info.delayed_charging


def _price(view: PointView) -> PriceBasedCharging | None:
    return view.point.info.price_based_charging


def _has_window(view: PointView) -> bool:
    """Tell whether a window was saved (the action saves the first)."""
    window = _delayed(view)
    return window is not None and window.start_time is not None and window.end_time is not None


def _window_time(view: PointView, end: bool) -> time | None:
    if (window := _delayed(view)) is None:
        return None
    return window.end_time if end else window.start_time


def _window_setter(end: bool) -> SetFn:
    """Save the window with one end moved; the other end and the days stay."""

    async def set_fn(coordinator: BlueCurrentCoordinator, view: PointView, value: time) -> None:
        window = _delayed(view)
        check_writable(window, "delayed_charging")
        assert window is not None
        assert window.start_time is not None
        assert window.end_time is not None
        start, stop = (window.start_time, value) if end else (value, window.end_time)
        evse_id = view.point.info.evse_id
        client = coordinator.client
        await coordinator.confirm.send(
            evse_id,
            lambda: client.set_delayed_charging_schedule(evse_id, window.days, start, stop),
        )

    return set_fn


async def _set_departure(coordinator: BlueCurrentCoordinator, view: PointView, value: time) -> None:
    await send_price_settings(coordinator, view, departure=value)


def _window_end(end: bool) -> BlueCurrentTimeDescription:
    """Describe one end of the delayed-charging window."""
    key = "delayed_charging_end" if end else "delayed_charging_start"
    return BlueCurrentTimeDescription(
        key=key,
        translation_key=key,
        entity_category=EntityCategory.CONFIG,
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: visible(p.info.delayed_charging),
        available_fn=_has_window,
        entity_registry_enabled_default=False,  # the window is set whole with the action
        value_fn=lambda v: _window_time(v, end),
        set_fn=_window_setter(end),
    )


TIMES: tuple[BlueCurrentTimeDescription, ...] = (
    _window_end(end=False),
    _window_end(end=True),
    BlueCurrentTimeDescription(
        key="departure_time",
        translation_key="departure_time",
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: visible(p.info.price_based_charging),
        available_fn=lambda v: price_settings_shown(v.point.info),
        # Enabled: when the car must be ready, what a morning or calendar automation sets.
        value_fn=lambda v: settings.expected_departure_time if (settings := _price(v)) else None,
        set_fn=_set_departure,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the times of every charge point."""
    points = point_entities(entry.runtime_data.coordinator, BlueCurrentTime, TIMES)
    await async_track_entities(entry, async_add_entities, points=points)


class BlueCurrentTime(BlueCurrentEntity[PointView], TimeEntity):
    """A time the cloud confirms; the one shown is what the cloud says."""

    entity_description: BlueCurrentTimeDescription

    @property
    def native_value(self) -> time | None:
        """The time as the cloud last reported it."""
        value: time | None = self.described_value
        return value

    @bluecurrent_command
    async def async_set_value(self, value: time) -> None:
        """Send the time (hours and minutes) and wait for the cloud's verdict."""
        whole_minutes(value, self.entity_description.key)
        if (view := self.subject) is not None:
            await self.entity_description.set_fn(self.coordinator, view, value)

"""Numbers: the energies of price-based charging and the capacity-tariff limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import EntityCategory, UnitOfEnergy
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import PriceBasedCharging
from .api.smart import CAPACITY_MAX_KWH, CAPACITY_MIN_KWH
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
from .smart import price_settings_shown, send_price_settings
from .views import PointView

PARALLEL_UPDATES = 1

# More than any car's battery holds: the energy a session may want by the departure.
MAX_ENERGY = 200.0

type SetFn = Callable[[BlueCurrentCoordinator, PointView, float], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class BlueCurrentNumberDescription(NumberEntityDescription, BlueCurrentDescription[PointView]):
    """A number of a charge point; ``set_fn`` sends it and shows what the cloud then says."""

    set_fn: SetFn


def _price(view: PointView) -> PriceBasedCharging | None:
    return view.point.info.price_based_charging


def _energy_setter(minimum: bool) -> SetFn:
    """Send one energy with the other settings as they are."""

    async def set_fn(coordinator: BlueCurrentCoordinator, view: PointView, value: float) -> None:
        if minimum:
            await send_price_settings(coordinator, view, minimum=value)
        else:
            await send_price_settings(coordinator, view, expected=value)

    return set_fn


async def _set_capacity_limit(
    coordinator: BlueCurrentCoordinator, view: PointView, value: float
) -> None:
    """Set the limit, which switches the capacity-tariff limit on."""
    check_writable(view.point.info.capacity_tariff, "capacity_tariff")
    evse_id = view.point.info.evse_id
    client = coordinator.client
    await coordinator.confirm.send(
        evse_id, lambda: client.set_capacity_tariff(evse_id, True, value)
    )


def _energy(key: str, minimum: bool) -> BlueCurrentNumberDescription:
    return BlueCurrentNumberDescription(
        key=key,
        translation_key=key,
        device_class=NumberDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        native_min_value=0,
        native_max_value=MAX_ENERGY,
        native_step=0.1,
        mode=NumberMode.BOX,
        entity_category=EntityCategory.CONFIG,
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: visible(p.info.price_based_charging),
        available_fn=lambda v: price_settings_shown(v.point.info),
        # Detail of price-based charging; the departure time is what mornings move.
        entity_registry_enabled_default=False,
        value_fn=lambda v: (
            None if (s := _price(v)) is None else (s.minimum_kwh if minimum else s.expected_kwh)
        ),
        set_fn=_energy_setter(minimum),
    )


NUMBERS: tuple[BlueCurrentNumberDescription, ...] = (
    _energy("expected_energy", minimum=False),
    _energy("minimum_energy", minimum=True),
    BlueCurrentNumberDescription(
        key="capacity_tariff_limit",
        translation_key="capacity_tariff_limit",
        # The cloud's own unit for the limit (capacitytariffmaxkwh).
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        native_min_value=CAPACITY_MIN_KWH,
        native_max_value=CAPACITY_MAX_KWH,
        native_step=0.01,
        mode=NumberMode.BOX,
        entity_category=EntityCategory.CONFIG,
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: visible(p.info.capacity_tariff),
        entity_registry_enabled_default=False,  # Belgian capacity tariffs only
        value_fn=lambda v: None if (c := v.point.info.capacity_tariff) is None else c.max_kwh,
        set_fn=_set_capacity_limit,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the numbers of every charge point."""
    points = point_entities(entry.runtime_data.coordinator, BlueCurrentNumber, NUMBERS)
    await async_track_entities(entry, async_add_entities, points=points)


class BlueCurrentNumber(NumberEntity, BlueCurrentEntity[PointView]):
    """A number the cloud confirms; the one shown is what the cloud says.

    NumberEntity comes first: its ``value`` (the state, in the shown unit) must win.
    """

    entity_description: BlueCurrentNumberDescription

    @property
    def native_value(self) -> float | None:
        """The number as the cloud last reported it."""
        value: float | None = self.described_value
        return value

    @bluecurrent_command
    async def async_set_native_value(self, value: float) -> None:
        """Send the number and wait for the cloud's verdict."""
        if (view := self.subject) is not None:
            await self.entity_description.set_fn(self.coordinator, view, value)

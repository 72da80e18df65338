"""Selects: the plug-and-charge card and the smart-charging mode of each charge point."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import ChargeCard
from .cards import card_labels, valid_cards
from .const import NO_CARD_OPTION
from .coordinator import BlueCurrentCoordinator
from .data import SOURCE_CARDS, SOURCE_CHARGE_POINTS, BlueCurrentConfigEntry
from .entity import (
    BlueCurrentDescription,
    BlueCurrentEntity,
    async_track_entities,
    point_entities,
)
from .errors import bluecurrent_command
from .permissions import check_writable
from .smart import (
    MODE_DELAYED,
    MODE_OFF,
    active_mode,
    has_smart_charging,
    mode_options,
    mode_settings,
)
from .views import PointView

PARALLEL_UPDATES = 1

type SelectFn = Callable[[BlueCurrentCoordinator, PointView, str], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class BlueCurrentSelectDescription(SelectEntityDescription, BlueCurrentDescription[PointView]):
    """A select of a charge point: ``value_fn`` gives the current option."""

    options_fn: Callable[[PointView], list[str]]
    # Sends the choice and shows the confirmed one.
    select_fn: SelectFn


def _cards(view: PointView) -> dict[str, ChargeCard]:
    """Label the account's valid cards, and the card set now if it is no longer valid."""
    cards = valid_cards(view.data.cards)
    current = view.point.info.plug_and_charge_card
    if current is not None and all(card.uid != current.uid for card in cards):
        cards.append(current)
    return card_labels(cards)


def _current_card(view: PointView) -> str | None:
    current = view.point.info.plug_and_charge_card
    if current is None:
        return NO_CARD_OPTION
    return next((label for label, card in _cards(view).items() if card.uid == current.uid), None)


async def _select_card(coordinator: BlueCurrentCoordinator, view: PointView, option: str) -> None:
    # Home Assistant only passes one of the options, and every option but "no card" is a label.
    card = None if option == NO_CARD_OPTION else _cards(view)[option]
    evse_id = view.point.info.evse_id
    await coordinator.client.set_plug_and_charge_charge_card(evse_id, card.uid if card else None)
    coordinator.async_apply_confirmed(evse_id, plug_and_charge_card=card)


async def _select_mode(coordinator: BlueCurrentCoordinator, view: PointView, option: str) -> None:
    """Switch the chosen mode on (the cloud switches the other off), or every mode off."""
    info = view.point.info
    evse_id = info.evse_id
    client = coordinator.client
    if option == active_mode(info):
        return
    settings = mode_settings(info)
    if option == MODE_OFF:
        on = [mode for mode, setting in settings.items() if setting and setting.value is True]
        for mode in on:
            check_writable(settings[mode], f"{mode}_charging")
        commands = [
            (lambda: client.set_delayed_charging(evse_id, False))
            if mode == MODE_DELAYED
            else (lambda: client.set_price_based_charging(evse_id, False))
            for mode in on
        ]
        await coordinator.confirm.send(evse_id, *commands)
        return
    check_writable(settings[option], f"{option}_charging")
    if option == MODE_DELAYED:
        await coordinator.confirm.send(evse_id, lambda: client.set_delayed_charging(evse_id, True))
    else:
        await coordinator.confirm.send(
            evse_id, lambda: client.set_price_based_charging(evse_id, True)
        )


SELECTS: tuple[BlueCurrentSelectDescription, ...] = (
    BlueCurrentSelectDescription(
        key="plug_and_charge_card",
        translation_key="plug_and_charge_card",
        entity_category=EntityCategory.CONFIG,
        source=SOURCE_CARDS,
        # Enabled: which card plug-and-charge sessions are billed to, changed by automations.
        value_fn=_current_card,
        options_fn=lambda v: [NO_CARD_OPTION, *_cards(v)],
        select_fn=_select_card,
    ),
    BlueCurrentSelectDescription(
        key="smart_charging_mode",
        translation_key="smart_charging_mode",
        source=SOURCE_CHARGE_POINTS,
        exists_fn=lambda p: has_smart_charging(p.info),
        # Enabled: how the car charges (at once, in a window, when cheap), what automations set.
        value_fn=lambda v: active_mode(v.point.info) or MODE_OFF,
        options_fn=lambda v: mode_options(v.point.info),
        select_fn=_select_mode,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects of every charge point."""
    points = point_entities(entry.runtime_data.coordinator, BlueCurrentSelect, SELECTS)
    await async_track_entities(entry, async_add_entities, points=points)


class BlueCurrentSelect(BlueCurrentEntity[PointView], SelectEntity):
    """A choice the cloud confirms; the option shown is what the cloud says."""

    entity_description: BlueCurrentSelectDescription

    @property
    def options(self) -> list[str]:
        """The choices this charge point offers."""
        view = self.subject
        return [] if view is None else self.entity_description.options_fn(view)

    @property
    def current_option(self) -> str | None:
        """The option the cloud has set."""
        value: str | None = self.described_value
        return value

    @bluecurrent_command
    async def async_select_option(self, option: str) -> None:
        """Send the choice and wait for the cloud's verdict."""
        if (view := self.subject) is not None:
            await self.entity_description.select_fn(self.coordinator, view, option)

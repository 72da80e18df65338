"""Select: the plug-and-charge card of each charge point."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import ChargeCard
from .cards import card_labels, valid_cards
from .const import NO_CARD_OPTION
from .data import SOURCE_CARDS, BlueCurrentConfigEntry
from .entity import (
    BlueCurrentDescription,
    BlueCurrentEntity,
    async_track_entities,
    charge_point_scopes,
)
from .errors import bluecurrent_command
from .views import PointView

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class BlueCurrentSelectDescription(SelectEntityDescription, BlueCurrentDescription[PointView]):
    """A select of a charge point."""


SELECTS: tuple[BlueCurrentSelectDescription, ...] = (
    BlueCurrentSelectDescription(
        key="plug_and_charge_card",
        translation_key="plug_and_charge_card",
        entity_category=EntityCategory.CONFIG,
        source=SOURCE_CARDS,
        # Enabled: which card plug-and-charge sessions are billed to, changed by automations.
        value_fn=lambda v: v.point.info.plug_and_charge_card,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the card select of every charge point."""
    coordinator = entry.runtime_data.coordinator
    await async_track_entities(
        entry,
        async_add_entities,
        points=lambda point: [
            PlugAndChargeCardSelect(coordinator, scope, description)
            for description in SELECTS
            for scope in charge_point_scopes(point, description)
        ],
    )


class PlugAndChargeCardSelect(BlueCurrentEntity[PointView], SelectEntity):
    """Chooses which of the account's valid cards plug-and-charge sessions use."""

    entity_description: BlueCurrentSelectDescription

    def _labels(self) -> dict[str, ChargeCard]:
        cards = valid_cards(self.coordinator.data.cards)
        current: ChargeCard | None = self.value
        if current is not None and all(card.uid != current.uid for card in cards):
            cards.append(current)
        return card_labels(cards)

    @property
    def options(self) -> list[str]:
        """No card, then the account's valid cards by name."""
        return [NO_CARD_OPTION, *self._labels()]

    @property
    def current_option(self) -> str | None:
        """The card the cloud has set, by its label."""
        current: ChargeCard | None = self.value
        if current is None:
            return NO_CARD_OPTION
        return next(
            (label for label, card in self._labels().items() if card.uid == current.uid), None
        )

    @bluecurrent_command
    async def async_select_option(self, option: str) -> None:
        """Send the chosen card's uid, or none, and wait for the verdict.

        Home Assistant only passes one of the options, and every option but "no card" is a label.
        """
        card = None if option == NO_CARD_OPTION else self._labels()[option]
        evse_id = self.scope.evse_id  # type: ignore[union-attr]
        await self.coordinator.client.set_plug_and_charge_charge_card(
            evse_id, card.uid if card else None
        )
        self.coordinator.async_apply_confirmed(evse_id, plug_and_charge_card=card)

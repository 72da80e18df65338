"""Select: the plug-and-charge card of each charge point."""

from __future__ import annotations

from collections.abc import Iterable

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import ChargeCard
from .const import NO_CARD_OPTION
from .coordinator import BlueCurrentConfigEntry, ChargePointData
from .entity import ChargePointEntity, async_track_charge_points
from .helpers import bluecurrent_command

PARALLEL_UPDATES = 1

CARD_SELECT = SelectEntityDescription(
    key="plug_and_charge_card",
    translation_key="plug_and_charge_card",
    entity_category=EntityCategory.CONFIG,
)


def card_labels(cards: Iterable[ChargeCard]) -> dict[str, ChargeCard]:
    """Label cards by name, adding the card id only where two names collide."""
    cards = list(cards)
    names = [card.name or card.id for card in cards]
    labels: dict[str, ChargeCard] = {}
    for card, name in zip(cards, names, strict=True):
        label = name if names.count(name) == 1 else f"{name} ({card.id})"
        labels[label] = card
    return labels


async def async_setup_entry(
    hass: HomeAssistant,
    entry: BlueCurrentConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the card select of every charge point."""
    coordinator = entry.runtime_data.coordinator

    def _entities(point: ChargePointData) -> Iterable[Entity]:
        return (PlugAndChargeCardSelect(coordinator, point.info.evse_id, CARD_SELECT),)

    async_track_charge_points(entry, async_add_entities, _entities)


class PlugAndChargeCardSelect(ChargePointEntity, SelectEntity):
    """Chooses which of the account's valid cards plug and charge sessions use."""

    def _current(self) -> ChargeCard | None:
        point = self.known_point
        return None if point is None else point.info.plug_and_charge_card

    def _labels(self) -> dict[str, ChargeCard]:
        valid = [card for card in self.coordinator.data.cards if card.valid is not False]
        current = self._current()
        if current is not None and all(card.uid != current.uid for card in valid):
            valid.append(current)
        return card_labels(valid)

    @property
    def options(self) -> list[str]:
        """No card, then the account's valid cards by name."""
        return [NO_CARD_OPTION, *self._labels()]

    @property
    def current_option(self) -> str | None:
        """The card the cloud has set, by its label."""
        current = self._current()
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
        client = self.coordinator.client
        await client.set_plug_and_charge_charge_card(self.evse_id, card.uid if card else None)
        self.coordinator.async_apply_local(self.evse_id, plug_and_charge_card=card)

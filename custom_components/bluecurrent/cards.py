"""The account's charge cards as users name them: labels for the select and the action."""

from __future__ import annotations

from collections.abc import Iterable

from .api import ChargeCard
from .errors import invalid


def valid_cards(cards: Iterable[ChargeCard]) -> list[ChargeCard]:
    """Keep the cards a session may be paid with (when the cloud does not say, they count)."""
    return [card for card in cards if card.valid is not False]


def card_labels(cards: Iterable[ChargeCard]) -> dict[str, ChargeCard]:
    """Label cards by name, adding the card id only where two names collide."""
    cards = list(cards)
    names = [card.name or card.id for card in cards]
    labels: dict[str, ChargeCard] = {}
    for card, name in zip(cards, names, strict=True):
        label = name if names.count(name) == 1 else f"{name} ({card.id})"
        labels[label] = card
    return labels


def find_card(cards: list[ChargeCard], wanted: str) -> ChargeCard:
    """Match a card by name, id or uid (case-insensitive); only valid cards of the account.

    A card that does not match is refused with the valid cards' names, so the user sees what to
    write instead.
    """
    needle = wanted.strip().casefold()
    labels = card_labels(valid_cards(cards))
    for label, card in labels.items():
        if needle in {label.casefold(), card.id.casefold(), card.uid.casefold()}:
            return card
    for card in cards:
        if needle in {(card.name or "").casefold(), card.id.casefold(), card.uid.casefold()}:
            raise invalid("invalid_card", card=wanted, cards=_names(labels))
    raise invalid("unknown_card", card=wanted, cards=_names(labels))


def _names(labels: dict[str, ChargeCard]) -> str:
    return ", ".join(labels) if labels else "-"

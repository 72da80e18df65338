"""The bluecurrent.get_sessions action: past sessions of a date range, with totals per card.

It reads the cloud's transactions newest first, for the range's days only, and stops as soon as
a session ended before the range: a month out of a long history costs a page or two.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import aclosing
from datetime import date, datetime
from typing import Any

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .api import ChargeCard, Transaction
from .api.const import TIMEZONE
from .const import ATTR_CHARGE_CARD, DOMAIN
from .data import BlueCurrentConfigEntry
from .errors import cloud_call, invalid
from .targets import resolve_charge_point

SERVICE_GET_SESSIONS = "get_sessions"
ATTR_START = "start"
ATTR_END = "end"
NO_CARD = "No card"

GET_SESSIONS_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_START): cv.date,
        vol.Required(ATTR_END): cv.date,
        vol.Optional(ATTR_CHARGE_CARD): cv.string,
    }
)


def _match_card(cards: list[ChargeCard], wanted: str) -> ChargeCard:
    """Any card of the account, old ones included: their sessions are history too."""
    needle = wanted.strip().casefold()
    for card in cards:
        if needle in {(card.name or "").casefold(), card.id.casefold()}:
            return card
    names = ", ".join(card.name or card.id for card in cards) or "-"
    raise invalid("unknown_card", card=wanted, cards=names)


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _entry(transaction: Transaction, names: dict[str, str]) -> dict[str, Any]:
    evse_id = transaction.chargepoint_id or ""
    return {
        "charge_point": names.get(evse_id, transaction.evse_name or evse_id),
        "evse_id": evse_id,
        "socket": transaction.socket_id,
        "start": _iso(transaction.started_at),
        "end": _iso(transaction.end_time),
        "energy_kwh": transaction.kwh,
        "cost": transaction.total_costs,
        "currency": transaction.currency,
        "card": transaction.card_name or (NO_CARD if _no_card(transaction) else None),
    }


def _no_card(transaction: Transaction) -> bool:
    return transaction.card_id in (None, "", "BCU-APP", "BCU_HOME_USE")


def _totals(sessions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    totals: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"sessions": 0, "energy_kwh": 0.0, "cost": 0.0, "currency": None}
    )
    for session in sessions:
        total = totals[session["card"] or NO_CARD]
        total["sessions"] += 1
        total["energy_kwh"] = round(total["energy_kwh"] + (session["energy_kwh"] or 0.0), 3)
        total["cost"] = round(total["cost"] + (session["cost"] or 0.0), 2)
        total["currency"] = total["currency"] or session["currency"]
    return dict(totals)


def _entry_of(hass: HomeAssistant, call: ServiceCall) -> tuple[BlueCurrentConfigEntry, list[str]]:
    """Find the account and charge points the call asks about: one, or all of the account."""
    if device_id := call.data.get(ATTR_DEVICE_ID):
        entry, evse_id = resolve_charge_point(hass, device_id)
        return entry, [evse_id]
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    if len(entries) != 1:
        raise invalid("choose_charge_point")
    only: BlueCurrentConfigEntry = entries[0]
    return only, list(only.runtime_data.coordinator.data.charge_points)


async def async_get_sessions(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    """Return the sessions that ended in the range, and what each card paid for."""
    start: date = call.data[ATTR_START]
    end: date = call.data[ATTR_END]
    if end < start:
        raise invalid("end_before_start", start=start.isoformat(), end=end.isoformat())
    entry, evse_ids = _entry_of(hass, call)
    coordinator = entry.runtime_data.coordinator
    card = None
    if wanted := call.data.get(ATTR_CHARGE_CARD):
        card = _match_card(coordinator.data.cards, wanted)
    names = {
        evse_id: point.info.name or evse_id
        for evse_id, point in coordinator.data.charge_points.items()
    }

    async def read() -> list[dict[str, Any]]:
        sessions: list[dict[str, Any]] = []
        stream = coordinator.client.iterate_transactions(evse_ids, start=start, end=end)
        async with aclosing(stream) as transactions:
            async for transaction in transactions:
                ended = transaction.end_time
                if ended is not None and ended.astimezone(TIMEZONE).date() < start:
                    break  # newest first: nothing older is in the range
                if card is not None and transaction.card_id != card.id:
                    continue
                sessions.append(_entry(transaction, names))
        return sessions

    sessions = await cloud_call(coordinator.async_note_error, read())
    response: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "sessions": sessions,
        "totals": _totals(sessions),
    }
    return response

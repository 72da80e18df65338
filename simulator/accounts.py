"""Building the seed's account: customer, cards, contract, grids and charge points.

The order of draws from the seed's random stream is part of the contract: the same seed must
give the same account, names, cards and histories as before any new option existed.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import grids, history
from .state import CITIES, Account, Card, ChargePointState, Contract, Location

if TYPE_CHECKING:
    from .model import Model

_NAMES = ("Oprit", "Garage", "Carport", "Voordeur", "Achtertuin", "Kantoor", "Schuur", "Werkplaats")


def build(
    model: Model, *, username: str, charge_points: int, charging: int, grid_count: int
) -> None:
    """Create the account; the first charge point has 30 past sessions, the others 3 to 8."""
    rng = model.rng
    customer_id = str(1000000 + rng.randrange(9000000))
    model.account = Account(customer_id=customer_id, login=username, email=username)
    full_name = model.account.full_name
    model.account.cards = [
        Card(_uid(model), _card_id(model), "Company card", full_name),
        Card(_uid(model), _card_id(model), "Private card", full_name, True, date(2024, 2, 1)),
        Card(
            _uid(model),
            _card_id(model),
            "Old card",
            full_name,
            valid=False,
            date_became_invalid=date(2025, 1, 31),
        ),
    ]
    model.account.contracts = [Contract(f"BCU{rng.randrange(10**7, 10**8)}", username)]
    for _ in range(max(1, grid_count)):
        grids.add(model)
    for index in range(charge_points):
        two_sockets = charge_points >= 2 and index == charge_points - 1
        cp = new_charge_point(
            model,
            socket_ids=[1, 2] if two_sockets else [1],
            history_count=30 if index == 0 else rng.randint(3, 8),
        )
        if index < charging:
            _start_default_session(model, cp)
    grids.recompute(model)


def _uid(model: Model) -> str:
    return "".join(model.rng.choice("0123456789ABCDEF") for _ in range(12))


def _card_id(model: Model) -> str:
    return f"NL-BCU-{model.rng.randrange(100000, 999999)}-{model.rng.randrange(10)}"


def next_evse_id(model: Model) -> str:
    """Pick the next free evse id in the BCU1000xx series."""
    while f"BCU{model.next_evse_number}" in model.account.charge_points:
        model.next_evse_number += 1
    return f"BCU{model.next_evse_number}"


def new_charge_point(
    model: Model,
    evse_id: str | None = None,
    *,
    name: str | None = None,
    socket_ids: list[int] | None = None,
    model_type: str | None = None,
    history_count: int = 0,
    grid_id: str | None = None,
) -> ChargePointState:
    """Create and register a charge point with `history_count` past transactions."""
    rng = model.rng
    evse_id = evse_id or next_evse_id(model)
    sockets = list(socket_ids or [1])
    if model_type is None:
        model_type = "H:NANOXL-2X22" if len(sockets) > 1 else "H:MOVE-C32T2"
    grid = grids.pick(model, grid_id)
    city, zipcode = rng.choice(CITIES)
    valid = [card for card in model.account.cards if card.valid]
    default_uid = valid[0].uid if valid else None
    cp = ChargePointState(
        evse_id=evse_id,
        name=name if name is not None else f"{rng.choice(_NAMES)} {evse_id[-3:]}",
        model_type=model_type,
        socket_ids=sockets,
        grid_id=grid,
        location=Location(city=city, zipcode=zipcode, housenumber=str(rng.randint(1, 200))),
        default_card_uid=default_uid,
        preferred_card_uid=default_uid,
        max_usage=rng.choice((16, 20, 25)),
    )
    model.account.charge_points[evse_id] = cp
    history.add_default(model, cp, history_count)
    return cp


def _start_default_session(model: Model, cp: ChargePointState) -> None:
    valid = [card for card in model.account.cards if card.valid]
    session = model.start_session(cp, valid[0] if valid else None)
    session.started_at = model.now - timedelta(minutes=45)
    cp.last_start[session.socket_id] = session.started_at
    session.kwh = 3.2
    session.cost = round(cp.tariff.start_price_in_vat + session.kwh * cp.tariff.price_in_vat, 2)

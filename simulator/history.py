"""Completed sessions: booking transactions, the default history, late uploads, big histories."""

from __future__ import annotations

from datetime import datetime, timedelta
import math
import random
from typing import TYPE_CHECKING

from .state import NO_CARD, Card, ChargePointState, Transaction

if TYPE_CHECKING:
    from .model import Model

SHORTEST = timedelta(minutes=30)
LONGEST = timedelta(hours=10)


def record(
    model: Model,
    cp: ChargePointState,
    *,
    socket_id: int,
    card: Card | None,
    started: datetime,
    ended: datetime,
    kwh: float,
    latest: bool = True,
) -> Transaction:
    """Book a transaction with a fresh id, priced with the charge point's tariff.

    `latest` says it is the socket's newest session (CH_STATUS start/stop/cost follow it); when
    False they follow it only if it is newer than what the socket shows and nothing charges there.
    """
    tariff = cp.tariff
    transaction = Transaction(
        transaction_id=model.take_transaction_id(),
        chargepoint_id=cp.evse_id,
        socket_id=socket_id,
        chargepoint_type=cp.chargepoint_type,
        evse_name=cp.name or None,
        started_at=started,
        end_time=ended,
        kwh=kwh,
        card_id=card.id if card else NO_CARD,
        card_name=card.name if card else None,
        total_costs=round(tariff.start_price_in_vat + kwh * tariff.price_in_vat, 2),
        total_costs_ex_vat=round(tariff.start_price_ex_vat + kwh * tariff.price_ex_vat, 2),
        vat=tariff.vat_percentage,
        currency=tariff.currency,
    )
    cp.transactions.append(transaction)
    charging_here = cp.session is not None and cp.session.socket_id == socket_id
    shown = cp.last_stop.get(socket_id)
    if latest or (not charging_here and (shown is None or ended > shown)):
        cp.last_start[socket_id] = started
        cp.last_stop[socket_id] = ended
        cp.last_cost[socket_id] = transaction.total_costs
    return transaction


def add_default(model: Model, cp: ChargePointState, count: int) -> None:
    """Book the seed's few recent sessions, the newest ending 2-20 hours ago (as always)."""
    rng = model.rng
    cards: list[Card | None] = [card for card in model.account.cards if card.valid]
    cards.append(None)
    end = model.now - timedelta(hours=rng.randint(2, 20))
    entries = []
    for _ in range(count):
        started = end - timedelta(minutes=rng.randint(30, 300))
        entries.append((started, end, rng.choice(cards), rng.choice(cp.socket_ids)))
        end = started - timedelta(hours=rng.randint(4, 40))
    for started, ended, card, socket_id in reversed(entries):
        kwh = round(rng.uniform(2.0, 30.0), 3)
        record(model, cp, socket_id=socket_id, card=card, started=started, ended=ended, kwh=kwh)


def add_late(
    model: Model,
    cp: ChargePointState,
    *,
    started: datetime,
    ended: datetime,
    kwh: float,
    card: Card | None,
    socket_id: int | None,
) -> Transaction:
    """Book a session a charger uploads after being offline; it lists by its (older) stop."""
    socket = cp.socket_ids[0] if socket_id is None else socket_id
    if socket not in cp.socket_ids:
        raise ValueError(f"{cp.evse_id} has no socket {socket}")
    if not started < ended <= model.now:
        raise ValueError("a transaction must start before it ends, and end by now")
    if not (math.isfinite(kwh) and kwh >= 0):
        raise ValueError("kwh must be a finite number >= 0")
    return record(
        model,
        cp,
        socket_id=socket,
        card=card,
        started=started.astimezone(model.now.tzinfo),
        ended=ended.astimezone(model.now.tzinfo),
        kwh=round(kwh, 3),
        latest=False,
    )


def generate(model: Model, cp: ChargePointState, count: int, *, days: float) -> list[Transaction]:
    """Book `count` past sessions spread over the last `days` days, before the existing ones.

    Each socket gets its share in back-to-back time slots of random length (at least 36
    minutes), one session per slot at a random offset: sessions never overlap on a socket,
    cross hour and day boundaries as real ones do, and a few long slots hold the long sessions.
    Lengths run from 30 minutes to 10 hours. Booked oldest first; deterministic for the seed,
    the charge point and its history so far; O(count).
    """
    if count < 0 or days <= 0:
        raise ValueError("count must be >= 0 and days > 0")
    if count == 0:
        return []
    rng = random.Random(f"{model.seed}:{cp.evse_id}:{len(cp.transactions)}:{count}")
    begin = model.now - timedelta(days=days)
    end = min(
        [model.now]
        + [t.started_at for t in cp.transactions]
        + ([cp.session.started_at] if cp.session is not None else [])
    )
    window = (end - begin).total_seconds()
    sockets = list(cp.socket_ids)
    shortest, longest = SHORTEST.total_seconds(), LONGEST.total_seconds()
    spans: list[tuple[datetime, int, int]] = []
    for socket_index, socket_id in enumerate(sockets):
        share = len(range(socket_index, count, len(sockets)))
        spare = window - share * shortest * 1.2
        if spare < 0:
            raise ValueError(f"{count} sessions do not fit in the {days} days before the history")
        weights = [rng.expovariate(1.0) for _ in range(share)]
        total = sum(weights)
        slot_start = 0.0
        for weight in weights:
            slot = shortest * 1.2 + spare * weight / total
            # Mostly short sessions, now and then a long one (a car left overnight).
            length = int(shortest + (min(longest, slot * 0.9) - shortest) * rng.random())
            offset = slot_start + rng.uniform(0, slot - length)
            spans.append((begin + timedelta(seconds=int(offset)), length, socket_id))
            slot_start += slot
    spans.sort()
    cards: list[Card | None] = [card for card in model.account.cards if card.valid]
    cards.append(None)
    made = []
    for started, length, socket_id in spans:
        kwh = min(rng.uniform(3.0, 11.0) * length / 3600, 80.0)
        made.append(
            record(
                model,
                cp,
                socket_id=socket_id,
                card=rng.choice(cards),
                started=started,
                ended=started + timedelta(seconds=length),
                kwh=round(kwh, 3),
                latest=False,
            )
        )
    return made

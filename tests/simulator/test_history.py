"""Late transactions, generated big histories, and paging through them over REST."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
import itertools
import time

import aiohttp
import pytest

from simulator import Simulator, Transaction

FIRST, SECOND = "BCU100001", "BCU100002"


async def page(
    sim: Simulator, http: aiohttp.ClientSession, token: str, query: str, evse_id: str
) -> dict:
    async with http.post(
        f"{sim.api_url}/gettransactions?{query}",
        data=f'{{"chargepoints": [{{"chargepoint_id": "{evse_id}"}}]}}',
        headers={"Authorization": f"Token {token}"},
    ) as response:
        assert response.status == 200
        return (await response.json())["data"]


async def test_late_transaction_is_sorted_in_by_its_stop_time(
    simulator: Simulator, http: aiohttp.ClientSession, token: str
) -> None:
    cp = simulator.charge_point(SECOND)
    newest = max(cp.transactions, key=lambda t: t.end_time)
    last_stop = dict(cp.last_stop)
    await simulator.start_charging(SECOND)
    session = cp.session
    ended = newest.end_time - timedelta(hours=1)
    card = simulator.account.cards[1]
    late = await simulator.add_transaction(
        SECOND,
        started=ended - timedelta(hours=2),
        ended=ended,
        kwh=7.5,
        card_uid=card.uid,
        socket_id=2,
    )
    assert late.transaction_id == max(t.transaction_id for t in cp.transactions)
    assert (late.card_id, late.socket_id, late.total_costs) == (card.id, 2, round(7.5 * 0.242, 2))
    assert cp.session is session  # the live session is left alone
    # The status follows it only where it is the socket's newest session.
    shown = last_stop.get(2)
    assert cp.last_stop.get(2) == (ended if shown is None or ended > shown else shown)

    listed = await page(simulator, http, token, "page=1&sort_field_order=DESC", SECOND)
    ids = [t["transaction_id"] for t in listed["transactions"]]
    assert ids[0] == newest.transaction_id
    assert ids[1] == late.transaction_id  # newer id, older stop: second, not first
    ascending = await page(simulator, http, token, "page=1&sort_field_order=ASC", SECOND)
    assert ascending["transactions"][-2]["transaction_id"] == late.transaction_id


async def test_late_transaction_does_not_move_the_status(simulator: Simulator) -> None:
    cp = simulator.charge_point(FIRST)
    shown = dict(cp.last_stop), dict(cp.last_start)
    oldest = min(t.end_time for t in cp.transactions)
    await simulator.add_transaction(
        FIRST, started=oldest - timedelta(days=3, hours=2), ended=oldest - timedelta(days=3), kwh=1
    )
    assert (dict(cp.last_stop), dict(cp.last_start)) == shown
    # A charge point without history shows the uploaded session as its last one.
    fresh = await simulator.add_charge_point(history=0)
    ended = simulator.now - timedelta(hours=5)
    booked = await simulator.add_transaction(
        fresh.evse_id, started=ended - timedelta(hours=1), ended=ended, kwh=4
    )
    assert (fresh.last_stop[1], fresh.last_cost[1]) == (ended, booked.total_costs)
    assert booked.card_id == "BCU-APP"


async def test_late_transaction_refuses_impossible_input(simulator: Simulator) -> None:
    now = simulator.now
    hour = timedelta(hours=1)
    before = len(simulator.charge_point(FIRST).transactions)
    for kwargs, match in (
        ({"started": now - hour, "ended": now - 2 * hour, "kwh": 1.0}, "before it ends"),
        ({"started": now - hour, "ended": now + hour, "kwh": 1.0}, "end by now"),
        ({"started": now - 2 * hour, "ended": now - hour, "kwh": -1.0}, "kwh"),
        ({"started": now - 2 * hour, "ended": now - hour, "kwh": float("nan")}, "kwh"),
        ({"started": now - 2 * hour, "ended": now - hour, "kwh": 1.0, "socket_id": 3}, "socket"),
        ({"started": now - 2 * hour, "ended": now - hour, "kwh": 1.0, "card_uid": "X"}, "card"),
    ):
        with pytest.raises(ValueError, match=match):
            await simulator.add_transaction(FIRST, **kwargs)  # type: ignore[arg-type]
    assert len(simulator.charge_point(FIRST).transactions) == before


def _check_realistic(made: list[Transaction], sim: Simulator, days: float) -> None:
    earliest = sim.now - timedelta(days=days)
    per_socket: dict[int, list[Transaction]] = defaultdict(list)
    for t in made:
        length = t.end_time - t.started_at
        assert timedelta(minutes=30) <= length <= timedelta(hours=10)
        assert earliest <= t.started_at
        assert t.end_time <= sim.now
        assert t.total_costs == round(t.kwh * 0.242, 2)
        per_socket[t.socket_id].append(t)
    for items in per_socket.values():
        items.sort(key=lambda t: t.started_at)
        assert all(a.end_time <= b.started_at for a, b in itertools.pairwise(items))
    assert any(t.started_at.date() != t.end_time.date() for t in made)  # across midnight
    assert any(t.started_at.hour != t.end_time.hour for t in made)
    assert any(t.end_time - t.started_at > timedelta(hours=5) for t in made)
    assert {t.card_id for t in made} >= {sim.account.cards[0].id, "BCU-APP"}


def test_five_thousand_sessions_fast_and_realistic() -> None:
    sim = Simulator(charge_points=1, charging=1)
    cp = sim.charge_point(FIRST)
    oldest_before = min(t.started_at for t in cp.transactions)
    started = time.perf_counter()
    made = sim.generate_history(FIRST, 5000)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5, elapsed
    assert len(made) == 5000
    assert len({t.transaction_id for t in cp.transactions}) == 5030
    assert max(t.end_time for t in made) <= oldest_before  # before the existing history
    _check_realistic(made, sim, 365)
    # Same seed, same history; another seed, another one.
    again = Simulator(charge_points=1, charging=1).generate_history(FIRST, 5000)
    assert [(t.started_at, t.kwh, t.card_id) for t in again] == [
        (t.started_at, t.kwh, t.card_id) for t in made
    ]
    other = Simulator(charge_points=1, charging=1, seed=7).generate_history(FIRST, 5000)
    assert [t.started_at for t in other] != [t.started_at for t in made]


def test_history_spreads_over_sockets_and_long_sessions() -> None:
    sim = Simulator(charge_points=2, charging=0, history=400)
    two = sim.charge_point(SECOND)
    assert two.socket_ids == [1, 2]
    made = [t for t in two.transactions if t.end_time < min(two.last_stop.values())]
    assert len(two.transactions) >= 400
    assert {t.socket_id for t in made} == {1, 2}
    _check_realistic(two.transactions[-400:], sim, 365)
    sparse = Simulator(charge_points=1, charging=0).generate_history(FIRST, 50, days=100)
    assert max(t.end_time - t.started_at for t in sparse) > timedelta(hours=6)
    assert Simulator(charge_points=1).generate_history(FIRST, 0) == []
    for count, days, match in ((5000, 10, "do not fit"), (-1, 365, "count"), (10, 0, "days")):
        with pytest.raises(ValueError, match=match):
            Simulator(charge_points=1).generate_history(FIRST, count, days=days)


def test_history_option_keeps_the_default_account() -> None:
    plain, big = Simulator(), Simulator(history=100)
    for evse_id, cp in plain.account.charge_points.items():
        other = big.charge_point(evse_id)
        assert other.transactions[: len(cp.transactions)] == cp.transactions
        assert len(other.transactions) == len(cp.transactions) + 100
        assert (other.last_start, other.last_stop, other.name) == (
            cp.last_start,
            cp.last_stop,
            cp.name,
        )


async def test_paging_through_five_thousand_is_fast_and_complete(
    socket_enabled: None, http: aiohttp.ClientSession
) -> None:
    async with Simulator(charge_points=1, charging=0, history=5000) as sim:
        async with http.ws_connect(sim.haserver_url) as ws:
            await ws.send_json({"command": "VALIDATE_API_TOKEN", "token": sim.api_token})
            token = (await ws.receive_json())["token"]
        seen: list[int] = []
        ends: list[str] = []
        number: int | None = 1
        started = time.perf_counter()
        while number is not None:
            data = await page(sim, http, token, f"page={number}&sort_field_order=ASC", FIRST)
            seen.extend(t["transaction_id"] for t in data["transactions"])
            ends.extend(t["end_time"] for t in data["transactions"])
            number = data["next_page"]
        elapsed = time.perf_counter() - started
        assert data["total_pages"] == 202
        assert sorted(seen) == sorted(
            t.transaction_id for t in sim.charge_point(FIRST).transactions
        )
        assert len(seen) == len(set(seen)) == 5030
        stamps = [time.strptime(end, "%d-%m-%Y %H:%M:%S") for end in ends]
        assert stamps == sorted(stamps)
        assert elapsed < 10, elapsed

        # The date window filters on the stop day, both ends inclusive.
        cp = sim.charge_point(FIRST)
        day = sorted(t.end_time.date() for t in cp.transactions)[2500]
        window = await page(
            sim,
            http,
            token,
            f"page=1&start_date={day.day}-{day.month}-{day.year}&end_date={day:%d-%m-%Y}",
            FIRST,
        )
        expected = [t for t in cp.transactions if t.end_time.date() == day]
        assert window["total_transactions"] == len(expected) > 0
        assert {t["end_time"][:10] for t in window["transactions"]} == {f"{day:%d-%m-%Y}"}
        since = await page(sim, http, token, f"page=1&start_date={day:%d-%m-%Y}", FIRST)
        assert since["total_transactions"] == sum(t.end_time.date() >= day for t in cp.transactions)
        until = await page(sim, http, token, f"page=1&end_date={day:%d-%m-%Y}", FIRST)
        assert until["total_transactions"] == sum(t.end_time.date() <= day for t in cp.transactions)

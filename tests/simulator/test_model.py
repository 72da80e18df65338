"""Simulated time, sessions, topology changes, scale, stats and the SJCL decryption."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
import time

import pytest
from sjcl import SJCL

from simulator import Simulator
from simulator.crypto import SjclError, decrypt
from tests.simulator.conftest import RawClient

FIRST, SECOND = "BCU100001", "BCU100002"


def test_default_account() -> None:
    sim = Simulator()
    assert list(sim.account.charge_points) == ["BCU100001", "BCU100002", "BCU100003"]
    plain = [cp.socket_ids for cp in sim.account.charge_points.values()]
    assert plain == [[1], [1], [1, 2]]
    assert [card.valid for card in sim.account.cards] == [True, True, False]
    assert sim.charge_point(FIRST).session is not None
    assert sim.charge_point(SECOND).session is None
    assert len(sim.charge_point(FIRST).transactions) == 30
    assert sim.now.tzinfo is not None
    assert str(sim.now.tzinfo) == "Europe/Amsterdam"
    assert sim.charge_point(FIRST).tariff.currency == "EUR"
    single = Simulator(charge_points=1, charging=0)
    assert single.charge_point(FIRST).socket_ids == [1]
    assert single.charge_point(FIRST).session is None
    assert Simulator(charge_points=0).account.charge_points == {}


def test_five_hundred_charge_points_start_fast() -> None:
    started = time.perf_counter()
    sim = Simulator(charge_points=500, charging=20)
    assert time.perf_counter() - started < 0.5
    assert len(sim.account.charge_points) == 500
    assert sim.charge_point("BCU100500").socket_ids == [1, 2]


async def test_five_hundred_over_the_wire(socket_enabled: None) -> None:
    async with Simulator(charge_points=500) as sim:
        import aiohttp

        async with aiohttp.ClientSession() as http, http.ws_connect(sim.haserver_url) as ws:
            raw = RawClient(sim, ws)
            await raw.login()
            points = await raw.request("GET_CHARGE_POINTS")
            assert len(points["data"]) == 500


async def test_advance_progresses_sessions(client: RawClient, simulator: Simulator) -> None:
    cp = simulator.charge_point(FIRST)
    assert cp.session is not None
    before_kwh, before_now = cp.session.kwh, simulator.now
    await simulator.advance(3600)
    assert simulator.now - before_now == timedelta(hours=1)
    assert cp.session.kwh - before_kwh == pytest.approx(6.9, rel=0.1)
    assert cp.session.cost == pytest.approx(cp.session.kwh * 0.242, abs=0.01)
    assert all(6 <= amps <= cp.max_usage for amps in cp.session.currents)
    pushed = await client.recv()
    assert pushed["object"] == "CH_STATUS"
    assert pushed["data"]["actual_kwh"] == pytest.approx(cp.session.kwh, abs=0.001)
    grid = await client.recv()
    assert grid["object"] == "GRID_CURRENT"
    assert grid["grid_actual_p1"] == pytest.approx(0.8 + cp.session.currents[0], abs=0.1)

    # Blocked or offline sessions do not progress.
    cp.enabled = False
    kwh = cp.session.kwh
    await simulator.advance(600)
    assert cp.session.kwh == kwh


async def test_start_stop_charging(simulator: Simulator) -> None:
    card = simulator.account.cards[0]
    await simulator.start_charging(SECOND, card.uid, socket_id=2)
    cp = simulator.charge_point(SECOND)
    assert cp.session is not None
    assert cp.session.socket_id == 2
    assert cp.session.card == card
    assert cp.activity == "charging"
    assert cp.socket_activity(1) == "available"
    await simulator.advance(1200)
    transaction = await simulator.stop_charging(SECOND)
    assert transaction is not None
    assert transaction.socket_id == 2
    assert transaction.card_id == card.id
    assert transaction.end_time - transaction.started_at == timedelta(minutes=20)
    assert transaction.total_costs > 0
    assert await simulator.stop_charging(SECOND) is None


async def test_add_and_remove_charge_point(client: RawClient, simulator: Simulator) -> None:
    added = await simulator.add_charge_point(name="Schuur", socket_ids=[1, 2])
    assert added.evse_id == "BCU100003"
    assert added.model_type == "H:NANOXL-2X22"
    assert len(added.transactions) == 3
    points = await client.request("GET_CHARGE_POINTS")
    assert [cp["evse_id"] for cp in points["data"]][-1] == "BCU100003"
    assert points["data"][-1]["name"] == "Schuur"
    status = await client.request("GET_CH_STATUS", evse_id="BCU100003")
    assert status["data"]["activity"] == "available"
    custom = await simulator.add_charge_point("BCU777777", history=0)
    assert custom.transactions == []

    await simulator.remove_charge_point(FIRST)
    assert (await client.request("GET_CH_STATUS", evse_id=FIRST))["error"] == 2
    assert simulator.grid.actual_p1 == pytest.approx(0.8)


async def test_stats(client: RawClient, simulator: Simulator) -> None:
    assert simulator.stats.connections == 1
    assert simulator.stats.logins == 1
    assert simulator.stats.ws_commands == {"VALIDATE_API_TOKEN": 1, "HELLO": 1}
    assert simulator.stats.frames_sent == 2
    simulator.stats.reset()
    await client.request("GET_CHARGE_POINTS")
    await client.request("GET_CHARGE_POINTS")
    assert simulator.stats.ws_commands["GET_CHARGE_POINTS"] == 2
    assert simulator.stats.frames_sent == 2
    assert simulator.stats.connections == 0


async def test_background_ticks(socket_enabled: None) -> None:
    async with Simulator(charge_points=1, tick_interval=0.05, speed=600) as sim:
        start = sim.now
        await asyncio.sleep(0.2)
        assert sim.now - start >= timedelta(seconds=60)  # 30 s per tick


def test_sjcl_roundtrip_and_rejections() -> None:
    blob = SJCL().encrypt("wachtwoord ✓".encode(), "d9ab2352a935be4ade182ce4921044f8")
    text = json.dumps({k: v.decode() if isinstance(v, bytes) else v for k, v in blob.items()})
    assert decrypt(text) == "wachtwoord ✓"
    with pytest.raises(SjclError):
        decrypt(text, passphrase="other")
    good = json.loads(text)
    for broken in (
        "not json",
        "[]",
        {**good, "mode": "gcm"},
        {**good, "iter": 10**9},
        {**good, "ks": 100},
        {**good, "ct": 5},
        {**good, "ct": "***"},
        {**good, "iv": "AAAA"},
    ):
        with pytest.raises(SjclError):
            decrypt(broken if isinstance(broken, str) else json.dumps(broken))

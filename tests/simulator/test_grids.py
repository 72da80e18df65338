"""Accounts with several grids: each charge point reads its own grid; pushes carry no grid id."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from simulator import Simulator
from tests.simulator.conftest import RawClient

FIRST, SECOND, THIRD = "BCU100001", "BCU100002", "BCU100003"
GRID_A, GRID_B = "GRID-BCU100001", "GRID-BCU100002"


@pytest.fixture
async def two_grids(socket_enabled: None) -> AsyncIterator[Simulator]:
    """Three charge points over two grids (round-robin: A gets the first and third)."""
    async with Simulator(charge_points=3, grids=2, seed=1, charging=0) as sim:
        yield sim


@pytest.fixture
async def raw(two_grids: Simulator, http: aiohttp.ClientSession) -> AsyncIterator[RawClient]:
    async with http.ws_connect(two_grids.haserver_url) as ws:
        client = RawClient(two_grids, ws)
        await client.login()
        yield client


def test_default_account_keeps_one_grid() -> None:
    sim = Simulator()
    assert list(sim.grids) == [GRID_A]
    assert sim.grid is sim.grids[GRID_A]
    assert [g.id for g in sim.account.grids] == [GRID_A]
    assert {cp.grid_id for cp in sim.account.charge_points.values()} == {GRID_A}
    # Asking for grids draws nothing from the seed: the rest of the account is the same.
    more = Simulator(grids=3)
    assert [cp.name for cp in more.account.charge_points.values()] == [
        cp.name for cp in sim.account.charge_points.values()
    ]
    assert more.account.cards == sim.account.cards


def test_charge_points_spread_round_robin(two_grids: Simulator) -> None:
    grids = {evse: cp.grid_id for evse, cp in two_grids.account.charge_points.items()}
    assert grids == {FIRST: GRID_A, SECOND: GRID_B, THIRD: GRID_A}
    a, b = two_grids.grids[GRID_A], two_grids.grids[GRID_B]
    assert a.base_load != b.base_load
    assert (a.grid_max_install, b.grid_max_install) == (25, 35)
    assert two_grids.grid_of(SECOND) is b


async def test_grid_status_answers_the_charge_points_grid(
    two_grids: Simulator, raw: RawClient
) -> None:
    await two_grids.start_charging(SECOND)
    for _ in two_grids.charge_point(SECOND).socket_ids:
        await raw.until("CH_STATUS")
    for evse_id, grid_id in ((FIRST, GRID_A), (SECOND, GRID_B), (THIRD, GRID_A)):
        reply = await raw.request("GET_GRID_STATUS", evse_id=evse_id)
        grid = two_grids.grids[grid_id]
        assert reply["data"]["id"] == grid_id
        assert reply["data"]["grid_actual_p1"] == grid.actual_p1
        assert reply["data"]["grid_max_install"] == grid.grid_max_install
    # Only grid B carries the session.
    session = two_grids.charge_point(SECOND).session
    assert session is not None
    b, a = two_grids.grids[GRID_B], two_grids.grids[GRID_A]
    assert b.actual_p1 == pytest.approx(b.base_load[0] + session.currents[0], abs=0.05)
    assert (a.actual_p1, a.actual_p2, a.actual_p3) == a.base_load


async def test_currents_follow_only_their_grids_sessions(two_grids: Simulator) -> None:
    a, b = two_grids.grids[GRID_A], two_grids.grids[GRID_B]
    await two_grids.start_charging(FIRST)
    await two_grids.start_charging(THIRD, socket_id=2)
    first, third = two_grids.charge_point(FIRST).session, two_grids.charge_point(THIRD).session
    assert first is not None
    assert third is not None
    await two_grids.advance(600)
    expected = [
        round(base + x + y, 1)
        for base, x, y in zip(a.base_load, first.currents, third.currents, strict=True)
    ]
    assert [a.actual_p1, a.actual_p2, a.actual_p3] == pytest.approx(expected, abs=0.05)
    assert (b.actual_p1, b.actual_p2, b.actual_p3) == b.base_load
    await two_grids.stop_charging(FIRST)
    assert a.actual_p1 == pytest.approx(a.base_load[0] + third.currents[0], abs=0.05)


async def test_grid_current_is_pushed_per_grid_without_an_id(
    two_grids: Simulator, raw: RawClient
) -> None:
    await two_grids.start_charging(SECOND)
    for _ in two_grids.charge_point(SECOND).socket_ids:
        await raw.until("CH_STATUS")
    await two_grids.advance(60)
    await raw.until("CH_STATUS")
    pushes = [await raw.recv(), await raw.recv()]
    assert [p["object"] for p in pushes] == ["GRID_CURRENT", "GRID_CURRENT"]
    assert all(
        set(p) == {"object", "grid_actual_p1", "grid_actual_p2", "grid_actual_p3"} for p in pushes
    )
    a, b = two_grids.grids[GRID_A], two_grids.grids[GRID_B]
    assert [p["grid_actual_p1"] for p in pushes] == [a.actual_p1, b.actual_p1]

    await two_grids.push_grid(GRID_B)
    assert (await raw.recv())["grid_actual_p1"] == b.actual_p1
    with pytest.raises(asyncio.TimeoutError):
        await raw.recv(wait=0.1)
    with pytest.raises(KeyError):
        await two_grids.push_grid("GRID-NOPE")


async def test_getgrids_lists_every_grid_with_an_address(
    two_grids: Simulator, http: aiohttp.ClientSession, raw: RawClient
) -> None:
    added = await two_grids.add_grid()
    assert added.id == "GRID-BCU100003"
    async with http.get(
        f"{two_grids.api_url}/getgrids", headers={"Authorization": f"Token {raw.token}"}
    ) as response:
        grids = (await response.json())["grids"]
    assert [g["id"] for g in grids] == [GRID_A, GRID_B, "GRID-BCU100003"]
    assert grids[0]["address"]["postal_code"] == "1234AB"
    assert len({g["address"]["city"] for g in grids}) == 3
    assert all(set(g["address"]) >= {"street", "housenumber", "postal_code", "city"} for g in grids)


async def test_add_grid_and_choose_it_for_a_charge_point(two_grids: Simulator) -> None:
    named = await two_grids.add_grid("GRID-SCHUUR")
    with pytest.raises(ValueError, match="exists"):
        await two_grids.add_grid("GRID-SCHUUR")
    cp = await two_grids.add_charge_point(grid_id="GRID-SCHUUR", history=0)
    assert cp.grid_id == named.id
    await two_grids.start_charging(cp.evse_id)
    assert named.actual_p1 > named.base_load[0] + 5
    # Without a grid: round-robin over the three grids (four charge points exist now).
    assert (await two_grids.add_charge_point(history=0)).grid_id == GRID_B
    with pytest.raises(KeyError):
        await two_grids.add_charge_point(grid_id="GRID-NOPE")
    # A charge point whose grid is unknown reads the first grid.
    cp.grid_id = "GRID-GONE"
    assert two_grids.grid_of(cp.evse_id) is two_grids.grid

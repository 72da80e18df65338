"""Every client method against the simulator, checked against the simulator's own state."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from custom_components.bluecurrent.api import (
    ActionResult,
    BlueCurrentClient,
    ChargePoint,
    Setting,
)
from custom_components.bluecurrent.api.const import TIMEZONE
from simulator import Simulator

from .common import wait_until
from .conftest import ClientFactory


async def test_connect_with_password(client: BlueCurrentClient, simulator: Simulator) -> None:
    assert client.connected
    assert simulator.stats.logins == 1
    assert simulator.stats.ws_commands["VALIDATE_PASSWORD"] == 1
    assert simulator.stats.ws_commands["HELLO"] == 1
    assert client.customer_id is None


async def test_connect_with_api_token(make_client: ClientFactory, simulator: Simulator) -> None:
    async with make_client(username=None, password=None, api_token=simulator.api_token) as client:
        assert client.connected
        assert client.customer_id == simulator.account.customer_id
        assert simulator.stats.ws_commands["VALIDATE_API_TOKEN"] == 1
        account = await client.get_account()
        assert account.login == simulator.account.login
    assert not client.connected


async def test_connect_twice_is_harmless(client: BlueCurrentClient, simulator: Simulator) -> None:
    await client.connect()
    assert simulator.stats.connections == 1


def test_credentials_required() -> None:
    with pytest.raises(ValueError, match="username and password"):
        BlueCurrentClient(None, username="only-a-name")  # type: ignore[arg-type]


async def test_get_account(client: BlueCurrentClient, simulator: Simulator) -> None:
    account = await client.get_account()
    expected = simulator.account
    assert account.login == expected.login
    assert account.full_name == expected.full_name
    assert account.email == expected.email
    assert account.tel is None  # "" on the wire
    assert account.developer_mode_enabled is expected.developer_mode_enabled
    assert account.first_login_app == datetime(2020, 1, 15, 13, 33, 52, tzinfo=TIMEZONE)


async def test_get_charge_cards(client: BlueCurrentClient, simulator: Simulator) -> None:
    cards = await client.get_charge_cards()
    assert [(c.uid, c.id, c.name, c.valid) for c in cards] == [
        (c.uid, c.id, c.name, c.valid) for c in simulator.account.cards
    ]
    assert cards[0].date_created == simulator.account.cards[0].date_created


def _check_point(point: ChargePoint, simulator: Simulator, *, settings: bool = False) -> None:
    state = simulator.account.charge_points[point.evse_id]
    assert point.name == (state.name or None)
    assert point.model_type == state.model_type
    if not settings:  # CH_SETTINGS carries no activity
        assert point.activity == state.activity
    if not settings:  # nor socket_ids
        assert point.socket_ids == tuple(state.socket_ids)
    assert point.plug_and_charge == Setting(state.plug_and_charge, "write")
    assert point.public_charging is not None
    assert point.public_charging.value is state.public_charging
    assert point.smart_charging is state.smart_charging
    assert point.tariff is not None
    assert point.tariff.price_in_vat == pytest.approx(state.tariff.price_in_vat)
    assert point.tariff.currency == "EUR"
    assert point.location is not None
    assert point.location.city == state.location.city
    card = point.plug_and_charge_card
    assert (card.uid if card else None) == state.plug_and_charge_card_uid


async def test_get_charge_points(client: BlueCurrentClient, simulator: Simulator) -> None:
    points = await client.get_charge_points()
    assert [p.evse_id for p in points] == list(simulator.account.charge_points)
    for point in points:
        _check_point(point, simulator)
    assert [p.activity for p in points] == ["charging", "available"]


async def test_get_charge_point_settings(client: BlueCurrentClient, simulator: Simulator) -> None:
    for evse_id in simulator.account.charge_points:
        settings = await client.get_charge_point_settings(evse_id)
        assert settings.evse_id == evse_id
        _check_point(settings, simulator, settings=True)


async def test_get_grid_status(client: BlueCurrentClient, simulator: Simulator) -> None:
    evse_id = next(iter(simulator.account.charge_points))
    grid = await client.get_grid_status(evse_id)
    assert grid.id == simulator.grid.id
    assert grid.grid_actual_p1 == pytest.approx(simulator.grid.actual_p1)
    assert grid.grid_actual_p3 == pytest.approx(simulator.grid.actual_p3)
    assert grid.grid_max_install == pytest.approx(simulator.grid.grid_max_install)
    assert grid.grid_max_reserved == pytest.approx(simulator.grid.grid_max_reserved)


async def test_get_sustainability_status(client: BlueCurrentClient, simulator: Simulator) -> None:
    result = await client.get_sustainability_status()
    kwh = sum(t.kwh for cp in simulator.account.charge_points.values() for t in cp.transactions)
    assert result.co2 == pytest.approx(kwh * 0.35, abs=0.01)
    assert result.trees == int(result.co2 // 20)  # type: ignore[operator]


async def test_get_charge_point_status(client: BlueCurrentClient, simulator: Simulator) -> None:
    charging, idle = simulator.account.charge_points.values()
    status = await client.get_charge_point_status(charging.evse_id)
    assert status.evse_id == charging.evse_id
    assert status.activity == "charging"
    assert status.socket_id == 1
    assert charging.session is not None
    assert status.actual_kwh == pytest.approx(charging.session.kwh)
    assert status.start_datetime == charging.session.started_at
    assert status.start_datetime.tzinfo == TIMEZONE  # type: ignore[union-attr]
    other = await client.get_charge_point_status(idle.evse_id, socket_id=1)
    assert other.activity == "available"
    assert simulator.stats.rest_requests["GET /app/bc_api/api/v2.1/chargepointstatus"] == 2


async def test_get_charge_point_statuses_two_sockets(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    point = await simulator.add_charge_point(socket_ids=[1, 2])
    await simulator.start_charging(point.evse_id, socket_id=2)
    statuses = await client.get_charge_point_statuses(point.evse_id)
    assert [(s.socket_id, s.activity) for s in statuses] == [(1, "available"), (2, "charging")]
    second = await client.get_charge_point_status(point.evse_id, socket_id=2)
    assert second.activity == "charging"
    with pytest.raises(Exception, match="socket 3"):
        await client.get_charge_point_status(point.evse_id, socket_id=3)


async def test_get_contracts_and_grids(client: BlueCurrentClient, simulator: Simulator) -> None:
    contracts = await client.get_contracts()
    assert [c.contract_id for c in contracts] == [
        c.contract_id for c in simulator.account.contracts
    ]
    grids = await client.get_grids()
    assert [(g.id, g.smart_charging) for g in grids] == [
        (g.id, g.smart_charging) for g in simulator.account.grids
    ]
    assert grids[0].address is not None
    assert grids[0].address.postal_code == simulator.account.grids[0].address.postal_code


async def test_transactions_paging(client: BlueCurrentClient, simulator: Simulator) -> None:
    point = next(iter(simulator.account.charge_points.values()))
    assert len(point.transactions) == 30
    first = await client.get_transactions(point.evse_id)
    assert (first.current_page, first.next_page, first.max_per_page) == (1, 2, 25)
    assert first.total_transactions == 30
    assert len(first.transactions) == 25
    ends = [t.end_time for t in first.transactions]
    assert ends == sorted(ends, reverse=True)  # type: ignore[type-var]
    second = await client.get_transactions(point.evse_id, page=2)
    assert (second.next_page, len(second.transactions)) == (None, 5)
    oldest = await client.get_transactions(point.evse_id, newest_first=False)
    assert oldest.transactions[0].end_time == min(t.end_time for t in point.transactions)

    items = [t async for t in client.iterate_transactions(point.evse_id)]
    assert sorted(t.transaction_id for t in items) == sorted(  # type: ignore[type-var]
        t.transaction_id for t in point.transactions
    )
    sample, expected = items[0], max(point.transactions, key=lambda t: t.end_time)
    assert sample.transaction_id == expected.transaction_id
    assert sample.kwh == pytest.approx(expected.kwh)
    assert sample.total_costs == pytest.approx(expected.total_costs)
    assert sample.started_at == expected.started_at.replace(microsecond=0)
    assert sample.chargepoint_id == point.evse_id


async def test_transactions_of_several_charge_points(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    """One stream for the whole account, newest first across charge points, one body."""
    points = list(simulator.account.charge_points.values())
    evse_ids = [point.evse_id for point in points]
    simulator.stats.reset()
    items = [t async for t in client.iterate_transactions(evse_ids)]
    expected = [t for point in points for t in point.transactions]
    assert sorted(t.transaction_id for t in items) == sorted(  # type: ignore[type-var]
        t.transaction_id for t in expected
    )
    assert {t.chargepoint_id for t in items} == set(evse_ids)
    ends = [t.end_time for t in items]
    assert ends == sorted(ends, reverse=True)  # type: ignore[type-var]
    pages = -(-len(expected) // 25)
    assert simulator.stats.rest_requests["POST /app/bc_api/api/v2.0/gettransactions"] == pages


async def test_start_and_stop_session_with_card(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    idle = list(simulator.account.charge_points.values())[1]
    card = simulator.account.cards[0]
    result = await client.start_session(idle.evse_id, card.id)
    assert isinstance(result, ActionResult)
    assert (result.command, result.success, result.evse_id) == (
        "STATUS_START_SESSION", True, idle.evse_id
    )  # fmt: skip
    assert idle.session is not None
    assert idle.session.card is card
    before = len(idle.transactions)
    stopped = await client.stop_session(idle.evse_id)
    assert stopped.success
    assert idle.session is None
    assert len(idle.transactions) == before + 1
    assert idle.transactions[-1].card_id == card.id


async def test_start_session_without_card(client: BlueCurrentClient, simulator: Simulator) -> None:
    idle = list(simulator.account.charge_points.values())[1]
    await client.start_session(idle.evse_id)
    assert idle.session is not None
    assert idle.session.card is None


async def test_soft_reset_and_reboot(client: BlueCurrentClient, simulator: Simulator) -> None:
    point = next(iter(simulator.account.charge_points.values()))
    assert (await client.soft_reset(point.evse_id)).command == "STATUS_SOFT_RESET"
    assert (await client.reboot(point.evse_id)).command == "STATUS_REBOOT"
    assert (point.soft_resets, point.reboots) == (1, 1)


async def test_settings_actions(client: BlueCurrentClient, simulator: Simulator) -> None:
    point = next(iter(simulator.account.charge_points.values()))
    result = await client.set_plug_and_charge(point.evse_id, False)
    assert result.result == {"setting": "false"}
    assert point.plug_and_charge is False
    await client.set_public_charging(point.evse_id, True)
    assert point.public_charging is True
    settings = await client.get_charge_point_settings(point.evse_id)
    assert settings.plug_and_charge == Setting(False, "write")
    assert settings.public_charging == Setting(True, "write")


async def test_plug_and_charge_card(client: BlueCurrentClient, simulator: Simulator) -> None:
    point = next(iter(simulator.account.charge_points.values()))
    card = simulator.account.cards[0]
    assert await client.set_plug_and_charge_charge_card(point.evse_id, card.uid) is None
    assert point.plug_and_charge_card_uid == card.uid
    settings = await client.get_charge_point_settings(point.evse_id)
    assert settings.plug_and_charge_card is not None
    assert settings.plug_and_charge_card.uid == card.uid
    await client.set_plug_and_charge_charge_card(point.evse_id, None)
    assert point.plug_and_charge_card_uid is None
    assert (await client.get_charge_point_settings(point.evse_id)).plug_and_charge_card is None


async def test_set_status(client: BlueCurrentClient, simulator: Simulator) -> None:
    point = list(simulator.account.charge_points.values())[1]
    assert await client.set_status(point.evse_id, False) is None
    assert point.enabled is False
    assert (await client.get_charge_point_status(point.evse_id)).activity == "unavailable"
    await client.set_status(point.evse_id, True, socket_id=1)
    assert point.enabled is True
    requests = simulator.stats.rest_requests
    # without a socket_id every socket is switched
    sockets = len(point.socket_ids)
    assert requests["POST /app/bce_api/api/v1/chargepoints/actions/setinoperative"] == sockets
    assert requests["POST /app/bce_api/api/v1/chargepoints/actions/setoperative"] == 1


async def test_set_status_on_the_sockets_the_caller_knows(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    point = list(simulator.account.charge_points.values())[1]
    assert point.socket_ids == [1, 2]
    simulator.stats.reset()
    await client.set_status(point.evse_id, False, socket_ids=point.socket_ids)
    assert point.enabled is False
    requests = simulator.stats.rest_requests
    assert requests["POST /app/bce_api/api/v1/chargepoints/actions/setinoperative"] == 2
    assert requests["GET /app/bc_api/api/v2.1/chargepointstatus"] == 0  # no status read
    await client.set_status(point.evse_id, True, socket_ids=())  # unknown: read them
    assert requests["GET /app/bc_api/api/v2.1/chargepointstatus"] == 1
    assert requests["POST /app/bce_api/api/v1/chargepoints/actions/setoperative"] == 2
    with pytest.raises(ValueError, match="not both"):
        await client.set_status(point.evse_id, True, 1, socket_ids=[1])


async def test_unlock_connector(client: BlueCurrentClient, simulator: Simulator) -> None:
    point = next(iter(simulator.account.charge_points.values()))
    simulator.stats.reset()
    assert await client.unlock_connector(point.evse_id) is None
    status_reads = simulator.stats.rest_requests["GET /app/bc_api/api/v2.1/chargepointstatus"]
    assert status_reads == 1  # which socket: the first one read
    await client.unlock_connector(point.evse_id, socket_id=1)
    assert point.unlocks == 2
    assert simulator.stats.rest_requests["GET /app/bc_api/api/v2.1/chargepointstatus"] == 1


async def test_concurrent_calls_of_one_kind(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    simulator.faults.reply_delay = 0.05
    first, second = simulator.account.charge_points
    settings = await asyncio.gather(
        client.get_charge_point_settings(second),
        client.get_charge_point_settings(first),
        client.get_charge_point_settings(second),
    )
    assert [s.evse_id for s in settings] == [second, first, second]
    accounts = await asyncio.gather(*(client.get_account() for _ in range(4)))
    assert {a.login for a in accounts} == {simulator.account.login}
    results = await asyncio.gather(client.soft_reset(first), client.soft_reset(second))
    assert [r.evse_id for r in results] == [first, second]
    statuses = await asyncio.gather(
        client.get_charge_point_status(first), client.get_charge_point_status(second)
    )
    assert [s.evse_id for s in statuses] == [first, second]


async def test_two_clients_share_the_cloud(
    client: BlueCurrentClient, make_client: ClientFactory, simulator: Simulator
) -> None:
    other = make_client()
    await other.connect()
    seen: list[object] = []
    other.subscribe(seen.append)
    point = list(simulator.account.charge_points.values())[1]
    await client.set_status(point.evse_id, False)
    await wait_until(lambda: any(type(e).__name__ == "ActionEvent" for e in seen))
    action = next(e for e in seen if type(e).__name__ == "ActionEvent")
    assert action.result.command == "STATUS_SET_INOPERATIVE"  # type: ignore[attr-defined]

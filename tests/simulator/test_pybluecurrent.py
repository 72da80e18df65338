"""The real pybluecurrent 0.4.1 client, pointed at the simulator, must work end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time

from pybluecurrent import BlueCurrentClient
from pybluecurrent.exceptions import AuthenticationFailed, BlueCurrentException
import pytest

from simulator import Simulator

FIRST, SECOND = "BCU100001", "BCU100002"


def point(client: BlueCurrentClient, sim: Simulator) -> BlueCurrentClient:
    client.socket_url = sim.ws_url
    client.api_url = sim.api_url
    client.status_api_url = sim.api_v21_url
    client.bce_api_url = sim.bce_url
    return client


@pytest.fixture
async def pbc(simulator: Simulator) -> AsyncIterator[BlueCurrentClient]:
    """Logged in with username/password: the password travels SJCL-encrypted."""
    client = point(BlueCurrentClient(username="demo@example.com", password="demo"), simulator)
    async with client:
        yield client


async def test_password_login_is_decrypted_and_checked(simulator: Simulator) -> None:
    client = point(BlueCurrentClient(username="demo@example.com", password="wrong"), simulator)
    with pytest.raises(AuthenticationFailed):
        async with client:
            pass
    simulator.stats.reset()
    async with point(BlueCurrentClient(username="demo@example.com", password="demo"), simulator):
        assert simulator.stats.logins == 1
        assert simulator.stats.ws_commands["VALIDATE_PASSWORD"] == 1
        assert simulator.stats.ws_commands["HELLO"] == 1


async def test_api_token_login(simulator: Simulator) -> None:
    async with point(BlueCurrentClient(api_token="demo-api-token"), simulator) as client:
        assert client.customer_id == simulator.account.customer_id
        account = await client.get_account()
        assert account["login"] == "demo@example.com"
    with pytest.raises(AuthenticationFailed):
        async with point(BlueCurrentClient(api_token="nope"), simulator):
            pass


async def test_reads(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    account = await pbc.get_account()
    assert account["email"] == "demo@example.com"
    assert account["full_name"] == simulator.account.full_name
    assert account["first_login_app"] == datetime(2020, 1, 15, 13, 33, 52)

    cards = await pbc.get_charge_cards()
    assert [card["valid"] for card in cards] == [1, 1, 0]
    assert cards[0]["uid"] == simulator.account.cards[0].uid
    assert isinstance(cards[0]["date_created"], date)
    assert cards[2]["date_became_invalid"] == date(2025, 1, 31)

    points = await pbc.get_charge_points()
    assert [cp["evse_id"] for cp in points] == [FIRST, SECOND]
    assert points[0]["socket_ids"] == [1]
    assert points[1]["socket_ids"] == [1, 2]
    assert points[0]["activity"] == "charging"
    assert points[0]["plug_and_charge"] == {"value": True, "permission": "write"}
    assert points[0]["plug_and_charge_charge_card"] is None  # BCU_HOME_USE sentinel
    assert points[0]["tariff"]["currency"] == "EUR"

    settings = await pbc.get_charge_point_settings(FIRST)
    assert settings["evse_id"] == FIRST
    assert settings["led_intensity"] == {"value": 0, "permission": "none"}
    assert settings["capacity_tariff"] == {"value": False, "permission": "write", "max_kwh": None}

    grid = await pbc.get_grid_status(FIRST)
    assert grid["id"] == "GRID-BCU100001"
    assert grid["grid_max_install"] == 25
    assert grid["grid_actual_p1"] == simulator.grid.actual_p1

    sustainability = await pbc.get_sustainability_status()
    assert sustainability["co2"] > 0
    assert isinstance(sustainability["trees"], int)

    contracts = await pbc.get_contracts()
    assert contracts[0]["contact_email"] == "demo@example.com"
    grids = await pbc.get_grids()
    assert grids[0]["id"] == "GRID-BCU100001"
    assert grids[0]["address"]["country"] == "NL"


async def test_statuses(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    status = await pbc.get_charge_point_status(FIRST)
    assert status["activity"] == "charging"
    assert status["socket_id"] == 1
    assert status["actual_kwh"] == pytest.approx(3.2)
    assert isinstance(status["start_datetime"], datetime)
    assert status["stop_datetime"] is None

    statuses = await pbc.get_charge_point_statuses(SECOND)
    assert [s["socket_id"] for s in statuses] == [1, 2]
    with pytest.raises(ValueError, match="specify which one"):
        await pbc.get_charge_point_status(SECOND)
    second = await pbc.get_charge_point_status(SECOND, socket_id=2)
    assert second["socket_id"] == 2
    assert second["activity"] == "available"


async def test_plug_and_charge_card(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    card = simulator.account.cards[1]
    await pbc.set_plug_and_charge_charge_card(FIRST, card.uid)
    assert simulator.charge_point(FIRST).plug_and_charge_card_uid == card.uid
    settings = await pbc.get_charge_point_settings(FIRST)
    assert settings["plug_and_charge_charge_card"]["id"] == card.id

    await pbc.set_plug_and_charge_charge_card(FIRST, None)
    assert simulator.charge_point(FIRST).plug_and_charge_card_uid is None
    assert (await pbc.get_charge_point_settings(FIRST))["plug_and_charge_charge_card"] is None


async def test_set_status(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    await pbc.set_status(SECOND, False, socket_id=2)
    cp = simulator.charge_point(SECOND)
    assert cp.enabled is False
    assert (await pbc.get_charge_point_status(SECOND, 1))["activity"] == "unavailable"
    await pbc.set_status(SECOND, True, socket_id=2)
    assert cp.enabled is True
    assert (await pbc.get_charge_point_status(SECOND, 1))["activity"] == "available"

    # Disabling a charging point ends its session as a transaction.
    before = len(simulator.charge_point(FIRST).transactions)
    await pbc.set_status(FIRST, False)
    assert simulator.charge_point(FIRST).session is None
    assert len(simulator.charge_point(FIRST).transactions) == before + 1

    simulator.faults.action_result = "rejected"
    with pytest.raises(BlueCurrentException):
        await pbc.set_status(FIRST, True)
    assert simulator.charge_point(FIRST).enabled is False

    simulator.faults.action_result = "success"
    simulator.faults.forbid_evse.add(FIRST)
    with pytest.raises(BlueCurrentException) as info:
        await pbc.set_status(FIRST, True, socket_id=1)
    assert info.value.args[0] == {"object": "ERROR", "error": 2, "message": "forbidden"}


async def test_transactions(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    page = await pbc.get_transactions(FIRST)
    assert page["current_page"] == 1
    assert page["next_page"] == 2
    assert page["max_per_page"] == 25
    assert page["total_pages"] == 2
    assert page["total_transactions"] == 30
    assert len(page["transactions"]) == 25
    ends = [t["end_time"] for t in page["transactions"]]
    assert ends == sorted(ends, reverse=True)

    newest = [t async for t in pbc.iterate_transactions(FIRST)]
    oldest = [t async for t in pbc.iterate_transactions(FIRST, newest_first=False)]
    assert len(newest) == 30
    assert [t["transaction_id"] for t in newest] == [t["transaction_id"] for t in oldest][::-1]
    assert all(isinstance(t["started_at"], datetime) for t in newest)
    assert {t["chargepoint_id"] for t in newest} == {FIRST}

    last = newest[0]["end_time"].date()
    window = await pbc.get_transactions(FIRST, start_date=last, end_date=last)
    assert 1 <= window["total_transactions"] < 30


async def test_actions(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    await pbc.soft_reset(FIRST)
    await pbc.reboot(FIRST)
    await pbc.unlock_connector(FIRST)
    await pbc.unlock_connector(SECOND, socket_id=2)
    cp = simulator.charge_point(FIRST)
    assert (cp.soft_resets, cp.reboots, cp.unlocks) == (1, 1, 1)
    assert simulator.charge_point(SECOND).unlocks == 1

    simulator.faults.action_result = "rejected"
    with pytest.raises(BlueCurrentException):
        await pbc.soft_reset(FIRST)
    with pytest.raises(BlueCurrentException):
        await pbc.unlock_connector(FIRST)


async def test_smart_charging(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    cp = simulator.charge_point(FIRST)
    with pytest.raises(ValueError, match="No active smart charging profile"):
        await pbc.boost(FIRST)

    await pbc.set_delayed_charging_schedule(FIRST, "23:00", time(7, 0), ["mo", 2, 3])
    delayed = cp.delayed_charging
    assert (delayed.days, delayed.start_time, delayed.end_time) == ([1, 2, 3], "23:00", "07:00")
    await pbc.set_delayed_charging(FIRST, True)
    assert delayed.value is True
    settings = await pbc.get_charge_point_settings(FIRST)
    assert settings["delayed_charging"]["value"] is True
    assert settings["delayed_charging"]["days"] == [1, 2, 3]
    assert settings["delayed_charging"]["start_time"] == time(23, 0)
    await pbc.boost(FIRST)
    assert cp.session is not None
    assert (cp.session.boosting, cp.session.boosted_profile) == (True, "delayed")
    assert (await pbc.get_charge_point_status(FIRST))["boosting"] is True

    await pbc.set_price_based_charging(FIRST, True)
    assert (cp.price_based_charging.value, delayed.value) == (True, False)
    assert cp.session.boosting is False  # the boosted profile went off
    await pbc.set_price_based_charging_settings(FIRST, "06:30", 30, 12.5)
    price = cp.price_based_charging
    assert (price.expected_leave_time, price.expected_kwh, price.minimum_kwh) == ("06:30", 30, 12.5)
    settings = await pbc.get_charge_point_settings(FIRST)
    assert settings["delayed_charging"]["value"] is False  # one profile at a time
    assert settings["price_based_charging"]["expected_departure_time"] == time(6, 30)
    assert settings["price_based_charging"]["minimum_kwh"] == 12.5
    await pbc.boost(FIRST)
    assert (cp.session.boosting, cp.session.boosted_profile) == (True, "price")

    await pbc.set_capacity_tariff(FIRST, True, 4.0)
    assert (cp.capacity_tariff.value, cp.capacity_tariff.max_kwh) == (True, 4.0)
    assert (await pbc.get_charge_point_settings(FIRST))["capacity_tariff"]["max_kwh"] == 4.0
    await pbc.set_capacity_tariff(FIRST, False)
    assert (cp.capacity_tariff.value, cp.capacity_tariff.max_kwh) == (False, None)


async def test_smart_charging_refusals(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    cp = simulator.charge_point(FIRST)
    with pytest.raises(BlueCurrentException, match="must not exceed"):
        await pbc.set_price_based_charging_settings(FIRST, "06:30", 5, 10)
    assert (cp.price_based_charging.expected_kwh, cp.price_based_charging.minimum_kwh) == (25, 10)
    cp.permissions["delayed_charging"] = "read"
    with pytest.raises(BlueCurrentException, match="not allowed"):
        await pbc.set_delayed_charging(FIRST, True)
    assert cp.delayed_charging.value is False
    simulator.faults.action_result = "rejected"
    with pytest.raises(BlueCurrentException, match="REJECTED"):
        await pbc.set_capacity_tariff(FIRST, True, 3)
    assert cp.capacity_tariff.value is False
    simulator.faults.action_result = "success"
    await simulator.stop_charging(FIRST)
    await pbc.set_price_based_charging(FIRST, True)
    with pytest.raises(BlueCurrentException, match="no active session"):
        await pbc.boost(FIRST)


async def test_api_token_rotation(pbc: BlueCurrentClient, simulator: Simulator) -> None:
    assert await pbc.get_api_token() == "demo-api-token"
    new = await pbc.generate_api_token()
    assert new != "demo-api-token"
    assert new == simulator.api_token
    async with point(BlueCurrentClient(api_token=new), simulator) as other:
        assert (await other.get_account())["login"] == "demo@example.com"
    with pytest.raises(AuthenticationFailed):
        async with point(BlueCurrentClient(api_token="demo-api-token"), simulator):
            pass

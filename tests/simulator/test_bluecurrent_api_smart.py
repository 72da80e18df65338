"""bluecurrent-api 1.3.3's smart-charging and override-current methods leave the promised state."""

from __future__ import annotations

import asyncio

from bluecurrent_api import Client
from bluecurrent_api.types import OverrideCurrentPayload, UpdatePriceBasedSettingsPayload

from simulator import Simulator
from tests.simulator.conftest import Receiver

FIRST, SECOND = "BCU100001", "BCU100002"


async def test_delayed_and_price_based_profiles(
    connected: tuple[Client, Receiver], simulator: Simulator
) -> None:
    bca, receiver = connected
    cp = simulator.charge_point(FIRST)

    await bca.set_delayed_charging_settings(FIRST, [5, 1, 2], "22:00", "06:30")
    settings = await receiver.next("CH_SETTINGS", FIRST)
    assert settings["data"]["delayed_charging"]["selected_days"] == [1, 2, 5]
    assert (cp.delayed_charging.start_time, cp.delayed_charging.end_time) == ("22:00", "06:30")
    await bca.set_delayed_charging(FIRST, True)
    await receiver.next("CH_SETTINGS", FIRST)
    assert cp.delayed_charging.value is True

    await bca.override_delayed_charging_profile(FIRST, True)
    boosted = await receiver.next("CH_STATUS", FIRST)
    assert boosted["data"]["boosting"] is True
    assert cp.session is not None
    assert (cp.session.boosting, cp.session.boosted_profile) == (True, "delayed")

    await bca.set_price_based_charging(FIRST, True)
    settings = await receiver.next("CH_SETTINGS", FIRST)
    assert settings["data"]["delayed_charging"]["value"] is False  # one profile at a time
    assert settings["data"]["price_based_charging"]["expected_leave_time"] == "07:00"
    assert (await receiver.next("CH_STATUS", FIRST))["data"]["boosting"] is False

    payload = UpdatePriceBasedSettingsPayload(
        expected_departure_time="07:15",
        current_battery_percentage=30,
        minimum_percentage=60,
        battery_size_kwh=64,
    )
    await bca.update_price_based_charging_settings(FIRST, payload)
    settings = await receiver.next("CH_SETTINGS", FIRST)
    assert settings["data"]["price_based_charging"]["expected_leave_time"] == "07:15"
    price = cp.price_based_charging
    assert (price.current_battery_pct, price.minimum_pct, price.battery_size_kwh) == (30, 60, 64)

    await bca.override_price_based_charging_profile(FIRST, True)
    assert (await receiver.next("CH_STATUS", FIRST))["data"]["boosting"] is True
    assert cp.session.boosted_profile == "price"
    await bca.set_price_based_charging(FIRST, False)
    await receiver.next("CH_SETTINGS", FIRST)
    assert (cp.price_based_charging.value, cp.session.boosting) == (False, False)


async def test_refused_smart_command_is_dropped_quietly(
    connected: tuple[Client, Receiver], simulator: Simulator
) -> None:
    bca, receiver = connected
    await bca.set_delayed_charging_settings(FIRST, [9], "22:00", "06:30")
    await bca.override_price_based_charging_profile(FIRST, True)  # price-based is off
    await bca.get_status(FIRST)  # the connection lives on and answers in order
    status = await receiver.next("CH_STATUS", FIRST)
    assert status["data"]["boosting"] is False
    assert simulator.charge_point(FIRST).delayed_charging.days == []
    assert not any(m["object"] == "CH_SETTINGS" for m in receiver.seen)


async def test_override_current_schedules(
    connected: tuple[Client, Receiver], simulator: Simulator
) -> None:
    bca, receiver = connected
    payload = OverrideCurrentPayload(
        chargepoints=[FIRST, SECOND],
        overridestarttime="11:30",
        overridestartdays=["MO", "WE"],
        overridestoptime="14:00",
        overridestopdays=["MO", "WE"],
        overridevalue=9.5,
    )
    await bca.set_user_override_current(payload)
    created = await receiver.next("POST_SET_OVERRIDE_CURRENT")
    assert created["data"]["override_start_days"] == ["MO", "WE"]  # split by the library
    schedule_id = created["data"]["schedule_id"]
    [stored] = simulator.account.override_schedules
    assert (stored.chargepoints, stored.override_value) == ([FIRST, SECOND], 9.5)
    # Monday 12:00: in force, so the status is capped.
    assert (await receiver.next("CH_STATUS", FIRST))["data"]["max_usage"] == 9.5
    assert simulator.charge_point(SECOND).override_limit == 9.5

    await bca.get_user_override_currents_list()
    listed = await receiver.next("LIST_OVERRIDE_CURRENT")
    assert [s["override_end_days"] for s in listed["data"]] == [["MO", "WE"]]

    edited = OverrideCurrentPayload(**{**payload.__dict__, "overridestartdays": ["TU"]})
    edited.overridestopdays = ["TU"]
    edit = asyncio.create_task(bca.wait_for_update_override_current())
    await bca.edit_user_override_current(str(schedule_id), edited)
    async with asyncio.timeout(3):
        await edit
    assert simulator.account.override_schedules[0].override_start_days == ["TU"]
    assert simulator.charge_point(FIRST).override_limit is None  # not on Mondays any more

    clear = asyncio.create_task(bca.wait_for_clear_override_current())
    await bca.clear_user_override_current(str(schedule_id))
    async with asyncio.timeout(3):
        await clear
    assert simulator.account.override_schedules == []

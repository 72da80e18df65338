"""The client's smart-charging calls against the simulator, checked against its own state."""

from __future__ import annotations

from datetime import time

import pytest

from custom_components.bluecurrent.api import (
    ActionRejectedError,
    BlueCurrentClient,
    CapacityTariff,
    DelayedCharging,
    PriceBasedCharging,
    RequestTimeoutError,
    SettingsEvent,
)
from simulator import Simulator

from .common import wait_until
from .conftest import ClientFactory

EVSE = "BCU100001"  # charging at the start
SMART = "POST /app/bc_api/api/v2.0/"


async def _point(client: BlueCurrentClient) -> DelayedCharging | None:
    (point, *_) = await client.get_charge_points()
    return point.delayed_charging


async def test_delayed_charging_schedule_and_switch(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    """The window is saved as the cloud wants it and read back under the commands' names."""
    state = simulator.account.charge_points[EVSE]
    await client.set_delayed_charging_schedule(EVSE, [5, 1, 3, 1], time(22, 0), time(6, 30))
    assert (state.delayed_charging.days, state.delayed_charging.start_time) == ([1, 3, 5], "22:00")
    assert state.delayed_charging.end_time == "06:30"
    await client.set_delayed_charging(EVSE, True)
    assert state.delayed_charging.value is True
    assert await _point(client) == DelayedCharging(
        True, "write", start_time=time(22, 0), end_time=time(6, 30), days=(1, 3, 5)
    )
    settings = await client.get_charge_point_settings(EVSE)
    assert settings.delayed_charging == await _point(client)


async def test_price_based_settings_read_back_only_while_on(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    """Price-based charging excludes delayed charging; its settings show only while it is on."""
    state = simulator.account.charge_points[EVSE]
    await client.set_delayed_charging(EVSE, True)
    await client.set_price_based_settings(EVSE, time(7, 30), 40.5, 12)
    (point, *_) = await client.get_charge_points()
    assert point.price_based_charging == PriceBasedCharging(False, "write")

    await client.set_price_based_charging(EVSE, True)
    assert (state.price_based_charging.value, state.delayed_charging.value) == (True, False)
    (point, *_) = await client.get_charge_points()
    assert point.price_based_charging == PriceBasedCharging(
        True, "write", expected_departure_time=time(7, 30), expected_kwh=40.5, minimum_kwh=12.0
    )


async def test_capacity_tariff(client: BlueCurrentClient, simulator: Simulator) -> None:
    state = simulator.account.charge_points[EVSE]
    await client.set_capacity_tariff(EVSE, True, 2.5)
    assert (state.capacity_tariff.value, state.capacity_tariff.max_kwh) == (True, 2.5)
    (point, *_) = await client.get_charge_points()
    assert point.capacity_tariff == CapacityTariff(True, "write", max_kwh=2.5)
    await client.set_capacity_tariff(EVSE, False)
    assert (state.capacity_tariff.value, state.capacity_tariff.max_kwh) == (False, None)


@pytest.mark.parametrize(
    ("profile", "path"),
    [("delayed", "overridedelayedchargingtimeout"), ("price", "overridechargingprofiles")],
)
async def test_boost(
    client: BlueCurrentClient, simulator: Simulator, profile: str, path: str
) -> None:
    """Each boost overrides its own profile; the status says the session is boosting."""
    state = simulator.account.charge_points[EVSE]
    if profile == "delayed":
        await client.set_delayed_charging(EVSE, True)
        await client.boost_delayed_charging(EVSE)
    else:
        await client.set_price_based_charging(EVSE, True)
        await client.boost_price_based_charging(EVSE)
    assert simulator.stats.rest_requests[SMART + path] == 1
    assert state.session is not None
    assert state.session.boosting is True
    assert (await client.get_charge_point_status(EVSE)).boosting is True


async def test_boost_without_profile_is_refused(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    """The cloud's refusal carries its reason; nothing changes."""
    with pytest.raises(ActionRejectedError) as err:
        await client.boost_delayed_charging(EVSE)
    assert err.value.reason == "no active smart charging profile"
    assert err.value.result is None
    session = simulator.account.charge_points[EVSE].session
    assert session is not None
    assert session.boosting is False


async def test_read_permission_is_refused(client: BlueCurrentClient, simulator: Simulator) -> None:
    state = simulator.account.charge_points[EVSE]
    state.permissions["delayed_charging"] = "read"
    with pytest.raises(ActionRejectedError, match="not allowed") as err:
        await client.set_delayed_charging(EVSE, True)
    assert err.value.reason == f"not allowed for chargepoint: {EVSE}"
    assert state.delayed_charging.value is False
    assert (await _point(client)) == DelayedCharging(False, "read")


async def test_rejected_and_silent_commands(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    """A rejection raises with the cloud's word; a command never answered times out."""
    async with make_client(request_timeout=0.3) as client:
        state = simulator.account.charge_points[EVSE]
        simulator.faults.action_result = "rejected"
        with pytest.raises(ActionRejectedError) as err:
            await client.set_price_based_charging(EVSE, True)
        assert err.value.reason == "REJECTED"
        simulator.faults.action_result = "success"
        simulator.faults.silent_paths = {"setcapacitytariff"}
        with pytest.raises(RequestTimeoutError):
            await client.set_capacity_tariff(EVSE, True, 3)
        assert (state.price_based_charging.value, state.capacity_tariff.value) == (False, False)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.set_delayed_charging_schedule(EVSE, [], time(1), time(2)), "days"),
        (lambda c: c.set_delayed_charging_schedule(EVSE, [0, 8], time(1), time(2)), "days"),
        (lambda c: c.set_price_based_settings(EVSE, time(7), -1, 0), "expected_kwh"),
        (lambda c: c.set_price_based_settings(EVSE, time(7), 5, 6), "minimum_kwh"),
        (lambda c: c.set_capacity_tariff(EVSE, True), "max_kwh"),
        (lambda c: c.set_capacity_tariff(EVSE, True, 80.5), "max_kwh"),
        (
            lambda c: c.set_current_override(
                [], 10, start_time=time(1), start_days=[1], end_time=time(2), end_days=[1]
            ),
            "charge point",
        ),
        (
            lambda c: c.set_current_override(
                [EVSE], -1, start_time=time(1), start_days=[1], end_time=time(2), end_days=[1]
            ),
            "amperes",
        ),
    ],
)
async def test_bad_input_is_not_sent(
    client: BlueCurrentClient, simulator: Simulator, call: object, message: str
) -> None:
    simulator.stats.reset()
    with pytest.raises(ValueError, match=message):
        await call(client)  # type: ignore[operator]
    assert not simulator.stats.rest_requests
    assert not simulator.stats.ws_commands


async def test_override_schedules(client: BlueCurrentClient, simulator: Simulator) -> None:
    """Set, list, edit and clear: days as weekday numbers, times as times, values in A."""
    assert await client.get_current_overrides() == []
    made = await client.set_current_override(
        [EVSE, "BCU100002"],
        10,
        start_time=time(17, 0),
        start_days=[1, 2, 3, 4, 5],
        end_time=time(21, 0),
        end_days=[1, 2, 3, 4, 5],
    )
    assert made.chargepoints == (EVSE, "BCU100002")
    assert (made.start_time, made.end_time, made.value) == (time(17), time(21), 10.0)
    assert made.start_days == made.end_days == (1, 2, 3, 4, 5)
    assert simulator.account.override_schedules[0].override_start_days == [
        "MO",
        "TU",
        "WE",
        "TH",
        "FR",
    ]
    assert await client.get_current_overrides() == [made]

    edited = await client.edit_current_override(
        made.schedule_id,
        [EVSE],
        8,
        start_time=time(18, 0),
        start_days=[7],
        end_time=time(8, 0),
        end_days=[1],
    )
    assert (edited.schedule_id, edited.chargepoints, edited.value) == (made.schedule_id, (EVSE,), 8)
    assert (edited.start_days, edited.end_days) == ((7,), (1,))
    await client.clear_current_override(made.schedule_id)
    assert simulator.account.override_schedules == []


async def test_override_refusals(make_client: ClientFactory, simulator: Simulator) -> None:
    """Refusals carry the cloud's reason; an unanswered command times out; nothing changes."""
    async with make_client(request_timeout=0.3) as client:
        with pytest.raises(ActionRejectedError) as err:
            await client.clear_current_override(99)
        assert err.value.reason == "unknown schedule"
        simulator.account.charge_points[EVSE].permissions["override_current"] = "read"
        window = {"start_time": time(1), "start_days": [1], "end_time": time(2), "end_days": [1]}
        with pytest.raises(ActionRejectedError, match="not allowed"):
            await client.set_current_override([EVSE], 10, **window)
        simulator.faults.action_result = "timeout"
        with pytest.raises(RequestTimeoutError):
            await client.set_current_override(["BCU100002"], 10, **window)
        assert simulator.account.override_schedules == []


async def test_settings_push_after_a_change(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    """The cloud pushes the new settings after a REST change; the push is typed the same way."""
    pushed: list[SettingsEvent] = []
    client.subscribe(lambda e: pushed.append(e) if isinstance(e, SettingsEvent) else None)
    await client.set_capacity_tariff(EVSE, True, 7.5)
    await wait_until(lambda: bool(pushed))
    assert pushed[0].settings.capacity_tariff == CapacityTariff(True, "write", max_kwh=7.5)

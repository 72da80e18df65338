"""Override-current schedules (protocol §3.4/§3.5): requests, weekly timing, the limit in force."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import pytest

from simulator import OverrideSchedule, Simulator
from simulator.overrides import in_force
from simulator.state import TZ
from tests.simulator.conftest import RawClient

FIRST, SECOND = "BCU100001", "BCU100002"
# The simulator starts on Monday 2026-03-02 12:00.
PAYLOAD: dict[str, Any] = {
    "chargepoints": [FIRST],
    "overridestarttime": "11:00",
    "overridestartdays": ["MO", "TU"],
    "overridestoptime": "13:00",
    "overridestopdays": ["MO", "TU"],
    "overridevalue": 8.0,
}


def schedule(start: str, start_days: list[str], end: str, end_days: list[str]) -> OverrideSchedule:
    return OverrideSchedule(1, [FIRST], start, start_days, end, end_days, 8.0)


def at(day: int, hhmm: str) -> datetime:
    """Day 0 = Monday 2 March 2026."""
    hours, minutes = hhmm.split(":")
    return datetime(2026, 3, 2 + day, int(hours), int(minutes), tzinfo=TZ)


async def status_of(client: RawClient, evse_id: str) -> dict[str, Any]:
    """The next CH_STATUS push for this charge point (others are skipped)."""
    while True:
        frame = await client.until("CH_STATUS")
        if frame["evse_id"] == evse_id:
            return frame["data"]


async def answer(client: RawClient, command: str, **fields: Any) -> dict[str, Any]:
    """Send and wait for the command's own reply (pushes may come first)."""
    await client.send(command, **fields)
    return await client.until(command)


def test_weekly_timing() -> None:
    evening = schedule("17:00", ["MO", "TU"], "21:00", ["MO", "TU"])
    assert [in_force(evening, at(0, t)) for t in ("16:59", "17:00", "20:59", "21:00")] == [
        False,
        True,
        True,
        False,
    ]
    assert in_force(evening, at(1, "18:00"))
    assert not in_force(evening, at(2, "18:00"))
    overnight = schedule("22:00", ["MO"], "06:00", ["TU"])
    assert [
        in_force(overnight, at(d, t)) for d, t in ((0, "23:00"), (1, "05:59"), (1, "06:00"))
    ] == [
        True,
        True,
        False,
    ]
    weekend = schedule("22:00", ["SU"], "06:00", ["MO"])
    assert in_force(weekend, at(6, "23:30"))
    assert in_force(weekend, at(7, "01:00"))  # Monday of the next week
    assert not in_force(weekend, at(0, "07:00"))
    whole_week = schedule("00:00", ["MO"], "00:00", ["MO"])
    assert not in_force(whole_week, at(3, "12:00"))  # starts and ends at once: never on


async def test_requests_and_replies(client: RawClient, simulator: Simulator) -> None:
    created = await answer(client, "POST_SET_OVERRIDE_CURRENT", **PAYLOAD)
    assert created["success"] is True
    assert created["data"]["override_start_days"] == "MO,TU"  # strings out, lists in
    schedule_id = created["data"]["schedule_id"]
    edited = await answer(
        client,
        "POST_EDIT_OVERRIDE_CURRENT",
        schedule_id=str(schedule_id),
        **{**PAYLOAD, "overridevalue": 10, "overridestopdays": ["tu", "MO", "MO"]},
    )
    assert edited["data"]["override_value"] == 10
    assert edited["data"]["override_end_days"] == "MO,TU"
    listed = await answer(client, "LIST_OVERRIDE_CURRENT")
    assert [s["schedule_id"] for s in listed["data"]] == [schedule_id]
    stored = simulator.account.override_schedules[0]
    assert (stored.override_start_time, stored.override_value) == ("11:00", 10.0)

    unknown = await answer(client, "POST_EDIT_OVERRIDE_CURRENT", schedule_id=99, **PAYLOAD)
    assert (unknown["success"], unknown["error"]) == (False, "unknown schedule")
    cleared = await answer(client, "POST_CLEAR_OVERRIDE_CURRENT", schedule_id=schedule_id)
    assert cleared == {
        "object": "POST_CLEAR_OVERRIDE_CURRENT",
        "success": True,
        "error": "",
        "schedule_id": schedule_id,
    }
    assert (await answer(client, "LIST_OVERRIDE_CURRENT"))["data"] == []
    again = await client.request("POST_CLEAR_OVERRIDE_CURRENT", schedule_id=schedule_id)
    assert (again["success"], again["error"]) == (False, "unknown schedule")
    foreign = await client.request(
        "POST_SET_OVERRIDE_CURRENT", **{**PAYLOAD, "chargepoints": ["X"]}
    )
    assert foreign["error"] == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"overridestartdays": "MO,TU"}, "invalid days"),
        ({"overridestopdays": []}, "invalid days"),
        ({"overridestartdays": ["XX"]}, "invalid days"),
        ({"overridestarttime": "24:00"}, "invalid time"),
        ({"overridestoptime": None}, "invalid time"),
        ({"overridevalue": -1}, "overridevalue"),
        ({"overridevalue": 64}, "overridevalue"),
        ({"overridevalue": "8"}, "overridevalue"),
        ({"overridevalue": True}, "overridevalue"),
        ({"chargepoints": []}, "invalid chargepoints"),
    ],
)
async def test_invalid_schedules_are_refused(
    client: RawClient, simulator: Simulator, change: dict[str, Any], message: str
) -> None:
    refused = await client.request("POST_SET_OVERRIDE_CURRENT", **{**PAYLOAD, **change})
    assert refused["object"] == "POST_SET_OVERRIDE_CURRENT"
    assert refused["success"] is False
    assert message in refused["error"]
    assert simulator.account.override_schedules == []


async def test_permission_and_faults(client: RawClient, simulator: Simulator) -> None:
    cp = simulator.charge_point(FIRST)
    cp.permissions["override_current"] = "read"
    refused = await client.request("POST_SET_OVERRIDE_CURRENT", **PAYLOAD)
    assert refused["error"] == f"not allowed for chargepoint: {FIRST}"
    cp.permissions["override_current"] = "write"
    created = await answer(client, "POST_SET_OVERRIDE_CURRENT", **PAYLOAD)
    await status_of(client, FIRST)
    schedule_id = created["data"]["schedule_id"]

    simulator.faults.action_result = "rejected"
    for command, fields in (
        ("POST_SET_OVERRIDE_CURRENT", PAYLOAD),
        ("POST_EDIT_OVERRIDE_CURRENT", {**PAYLOAD, "schedule_id": schedule_id, "overridevalue": 6}),
        ("POST_CLEAR_OVERRIDE_CURRENT", {"schedule_id": schedule_id}),
    ):
        reply = await client.request(command, **fields)
        assert (reply["object"], reply["success"], reply["error"]) == (command, False, "REJECTED")
    simulator.faults.action_result = "timeout"
    await client.send("POST_CLEAR_OVERRIDE_CURRENT", schedule_id=schedule_id)
    with pytest.raises(asyncio.TimeoutError):
        await client.recv(wait=0.2)
    assert [(s.schedule_id, s.override_value) for s in simulator.account.override_schedules] == [
        (schedule_id, 8.0)
    ]
    simulator.faults.action_result = "success"
    cp.permissions["override_current"] = "none"
    reply = await client.request("POST_CLEAR_OVERRIDE_CURRENT", schedule_id=schedule_id)
    assert reply["error"] == f"not allowed for chargepoint: {FIRST}"


async def test_limit_in_force_caps_the_status(client: RawClient, simulator: Simulator) -> None:
    cp = simulator.charge_point(FIRST)
    assert cp.max_usage > 8
    await client.request("POST_SET_OVERRIDE_CURRENT", **PAYLOAD)  # Monday 11:00-13:00: now
    pushed = await status_of(client, FIRST)
    assert pushed["max_usage"] == 8.0
    assert pushed["smartcharging_max_usage"] == 6
    assert max(pushed[f"actual_p{n}"] for n in (1, 2, 3)) <= 8.0
    assert cp.override_limit == 8.0
    # The lowest of several schedules in force wins; other charge points are not touched.
    await client.request(
        "POST_SET_OVERRIDE_CURRENT",
        **{**PAYLOAD, "overridevalue": 5, "chargepoints": [FIRST, SECOND]},
    )
    assert (await status_of(client, FIRST))["smartcharging_max_usage"] == 5
    assert (await status_of(client, SECOND))["max_usage"] == 5

    await simulator.advance(3600)  # 13:00: every schedule ends
    assert (await status_of(client, FIRST))["max_usage"] == cp.max_usage
    assert cp.override_limit is None
    # Tuesday 11:00 it is back in force: advancing time pushes the change.
    await simulator.advance(22 * 3600)
    assert (await status_of(client, FIRST))["max_usage"] == 5


async def test_direct_changes_are_read_on_refresh(client: RawClient, simulator: Simulator) -> None:
    simulator.account.override_schedules.append(
        OverrideSchedule(7, [SECOND], "00:00", ["MO"], "23:59", ["MO"], 12.5)
    )
    assert simulator.charge_point(SECOND).override_limit is None
    await simulator.refresh_overrides()
    assert (await status_of(client, SECOND))["max_usage"] == 12.5
    cp = await simulator.add_charge_point("BCU100777", history=0)
    assert cp.override_limit is None
    simulator.now = simulator.now + timedelta(days=1)
    await simulator.refresh_overrides()
    assert simulator.charge_point(SECOND).override_limit is None

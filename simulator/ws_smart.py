"""Websocket smart charging (§3.4) and override-current schedules (§3.5).

Smart commands answer only STATUS_<CMD> (a refusal is a STATUS_ with success false and the
reason), then push CH_SETTINGS (and CH_STATUS for a boost). Override commands answer with their
own object; an accepted change pushes CH_STATUS for each charge point whose limit in force moved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import overrides, smart, wire
from .state import ChargePointState, OverrideSchedule
from .ws_actions import Handler, Outcome, run_action

if TYPE_CHECKING:
    from .server import Connection, Simulator

Json = dict[str, Any]


def smart_command(name: str) -> Handler:
    """Build the handler of one smart-charging command (names as in `smart.PERMISSIONS`)."""

    async def run(sim: Simulator, conn: Connection, msg: Json) -> None:
        cp = sim.charge_point(msg["evse_id"])
        outcome = smart.plan(cp, name, msg)
        status_changed = False

        def apply(_: ChargePointState) -> Outcome:
            nonlocal status_changed
            assert not isinstance(outcome, str)
            status_changed = outcome()
            return True, "", {}

        boost = name.startswith("boost")
        problem = outcome if isinstance(outcome, str) else None
        applied = await run_action(
            sim, conn, msg, apply, push_settings=not boost, received=False, problem=problem
        )
        if applied and status_changed:
            await sim.push_status(cp.evse_id)

    run.__doc__ = f"Smart-charging command ({name})."
    return run


async def list_override(sim: Simulator, conn: Connection, msg: Json) -> None:
    """LIST_OVERRIDE_CURRENT."""
    data = [wire.override_schedule(s) for s in sim.account.override_schedules]
    await sim.send(conn, {"object": "LIST_OVERRIDE_CURRENT", "data": data}, reply=True)


def _denied(sim: Simulator, evse_ids: list[str]) -> str | None:
    for evse_id in evse_ids:
        cp = sim.account.charge_points.get(evse_id)
        if cp is not None and cp.permissions.get("override_current") != "write":
            return f"not allowed for chargepoint: {evse_id}"
    return None


async def _answer(
    sim: Simulator, conn: Connection, command: str, problem: str | None, extra: Json
) -> bool:
    """Refuse (success false + reason), stay silent (timeout fault) or say it may go ahead."""
    verdict = sim.faults.action_result
    if problem is None and verdict == "timeout":
        return False
    if problem is None and verdict == "rejected":
        problem = "REJECTED"
    if problem is not None:
        await sim.send(
            conn, {"object": command, "success": False, "error": problem, **extra}, reply=True
        )
        return False
    return True


async def post_override(sim: Simulator, conn: Connection, msg: Json) -> None:
    """POST_SET_OVERRIDE_CURRENT / POST_EDIT_OVERRIDE_CURRENT (days: lists in, strings out)."""
    command = msg["command"]
    chargepoints = msg.get("chargepoints")
    if isinstance(chargepoints, list) and not all(sim.evse_allowed(e) for e in chargepoints):
        await sim.send(conn, wire.error(2, "forbidden", msg.get("flow_id")), reply=True)
        return
    schedules = sim.account.override_schedules
    index: int | None = None
    if command == "POST_EDIT_OVERRIDE_CURRENT":
        schedule_id = int(msg["schedule_id"])
        found = [i for i, s in enumerate(schedules) if s.schedule_id == schedule_id]
        index = found[0] if found else None
    else:
        schedule_id = max((s.schedule_id for s in schedules), default=0) + 1
    outcome = overrides.validate(msg, schedule_id)
    problem = outcome if isinstance(outcome, str) else None
    if command == "POST_EDIT_OVERRIDE_CURRENT" and index is None:
        problem = "unknown schedule"
    if isinstance(outcome, OverrideSchedule):
        old = schedules[index].chargepoints if index is not None else []
        problem = problem or _denied(sim, [*old, *outcome.chargepoints])
    if not await _answer(sim, conn, command, problem, {}):
        return
    assert isinstance(outcome, OverrideSchedule)
    if index is None:
        schedules.append(outcome)
    else:
        schedules[index] = outcome
    frame = {"object": command, "success": True, "data": wire.override_schedule(outcome)}
    await sim.send(conn, frame, reply=True)
    await sim.refresh_overrides()


async def clear_override(sim: Simulator, conn: Connection, msg: Json) -> None:
    """POST_CLEAR_OVERRIDE_CURRENT."""
    schedule_id = int(msg["schedule_id"])
    schedules = sim.account.override_schedules
    found = [s for s in schedules if s.schedule_id == schedule_id]
    problem = _denied(sim, found[0].chargepoints) if found else "unknown schedule"
    extra = {"schedule_id": schedule_id}
    if not await _answer(sim, conn, "POST_CLEAR_OVERRIDE_CURRENT", problem, extra):
        return
    schedules.remove(found[0])
    frame = {"object": "POST_CLEAR_OVERRIDE_CURRENT", "success": True, "error": "", **extra}
    await sim.send(conn, frame, reply=True)
    await sim.refresh_overrides()


SMART_HANDLERS: dict[str, Handler] = {
    "SET_DELAYED_CHARGING": smart_command("delayed"),
    "SAVE_SCHEDULE_DELAYED_CHARGING": smart_command("schedule"),
    "SET_PRICE_BASED_CHARGING": smart_command("price"),
    "PATCH_PRICE_BASED_CHARGING_SETTINGS": smart_command("price_settings"),
    "OVERRIDE_CHARGING_PROFILES": smart_command("boost_price"),
    "OVERRIDE_DELAYED_CHARGING_TIMEOUT": smart_command("boost_delayed"),
}
OVERRIDE_HANDLERS: dict[str, Handler] = {
    "LIST_OVERRIDE_CURRENT": list_override,
    "POST_SET_OVERRIDE_CURRENT": post_override,
    "POST_EDIT_OVERRIDE_CURRENT": post_override,
    "POST_CLEAR_OVERRIDE_CURRENT": clear_override,
}

"""Websocket actions: RECEIVED_ / STATUS_ verdicts, settings, sessions, resets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .state import HOME_USE, NO_CARD, ChargePointState

if TYPE_CHECKING:
    from .server import Connection, Simulator

Json = dict[str, Any]
Handler = Callable[["Simulator", "Connection", Json], Awaitable[None]]
Outcome = tuple[bool, str, Json]
Apply = Callable[[ChargePointState], Outcome]

BOOL_SETTINGS = frozenset({"SET_PUBLIC_CHARGING", "SET_PLUG_AND_CHARGE"})
SETTING_PERMISSIONS = {
    "SET_PUBLIC_CHARGING": "public_charging",
    "SET_PLUG_AND_CHARGE": "plug_and_charge",
}


def ack(command: str, evse_id: str, flow_id: str, *, success: bool, err: str, result: Json) -> Json:
    """Build a RECEIVED_/STATUS_ frame (BCA reads `error` and `evse_id` on every one)."""
    return {
        "object": command,
        "success": success,
        "error": err,
        "flow_id": flow_id,
        "evse_id": evse_id,
        "result": result,
    }


async def run_action(
    sim: Simulator,
    conn: Connection,
    msg: Json,
    apply: Apply,
    *,
    push_status: bool = False,
    push_settings: bool = False,
    received: bool = True,
    problem: str | None = None,
) -> bool:
    """Check, answer, apply, push; True when the change was applied.

    With `received` (device actions) the cloud answers RECEIVED_ (a refusal is a RECEIVED_ with
    success false) and later the STATUS_ verdict; without it (smart charging) only STATUS_.
    """
    command = msg["command"]
    cp = sim.charge_point(msg["evse_id"])
    raw_flow = msg.get("flow_id")
    flow_id = raw_flow if isinstance(raw_flow, str) else ""
    evse_id = cp.evse_id
    problem = problem or _precondition(command, cp, msg, sim)
    if problem:
        name = f"RECEIVED_{command}" if received else f"STATUS_{command}"
        frame = ack(name, evse_id, flow_id, success=False, err=problem, result={})
        await sim.send(conn, frame, reply=True, evse_id=evse_id)
        return False
    if received:
        frame = ack(f"RECEIVED_{command}", evse_id, flow_id, success=True, err="", result={})
        await sim.send(conn, frame, reply=True, evse_id=evse_id)
    verdict = sim.faults.action_result
    if verdict == "timeout":
        return False
    if verdict == "rejected":
        frame = ack(f"STATUS_{command}", evse_id, flow_id, success=False, err="REJECTED", result={})
        await sim.send(conn, frame, reply=True, evse_id=evse_id)
        return False
    if not cp.online and received:
        frame = ack(f"STATUS_{command}", evse_id, flow_id, success=False, err="TIMEOUT", result={})
        await sim.send(conn, frame, reply=True, evse_id=evse_id)
        return False
    success, err, result = apply(cp)
    frame = ack(f"STATUS_{command}", evse_id, flow_id, success=success, err=err, result=result)
    await sim.send(conn, frame, reply=True, evse_id=evse_id)
    if success and push_status:
        await sim.push_status(evse_id)
    if success and push_settings:
        await sim.settings_changed(evse_id)
    return success


def _precondition(command: str, cp: ChargePointState, msg: Json, sim: Simulator) -> str | None:
    """Say what the cloud refuses up front (RECEIVED_ with success false and why)."""
    evse_id = cp.evse_id
    if command in BOOL_SETTINGS and not isinstance(msg.get("value"), bool):
        return f"invalid value for chargepoint: {evse_id}"
    setting = SETTING_PERMISSIONS.get(command)
    if setting and cp.permissions.get(setting) != "write":
        return f"not allowed for chargepoint: {evse_id}"
    if command == "START_SESSION":
        token = msg.get("session_token", NO_CARD)
        if not isinstance(token, str):
            return f"invalid session_token for chargepoint: {evse_id}"
        if token not in (NO_CARD, HOME_USE, ""):
            card = sim.model.find_card(token)
            if card is None or not card.valid:
                return f"unknown or invalid card for chargepoint: {evse_id}"
        if cp.session is not None:
            return f"session already active for chargepoint: {evse_id}"
        if cp.online and not cp.enabled:
            return f"chargepoint not available: {evse_id}"
    if command == "STOP_SESSION" and cp.session is None:
        return f"no active session for chargepoint: {evse_id}"
    if command == "SET_PLUG_AND_CHARGE_CHARGE_CARD":
        uid = msg.get("token_uid")
        if not isinstance(uid, str):
            return f"invalid token_uid for chargepoint: {evse_id}"
        if uid not in (NO_CARD, HOME_USE):
            card = sim.model.find_card(uid)
            if card is None or not card.valid:
                return f"unknown or invalid card for chargepoint: {evse_id}"
    return None


def _setting_result(value: bool) -> Json:
    return {"setting": "true" if value else "false"}


async def set_public_charging(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_PUBLIC_CHARGING."""

    def apply(cp: ChargePointState) -> Outcome:
        cp.public_charging = bool(msg["value"])
        return True, "", _setting_result(cp.public_charging)

    await run_action(sim, conn, msg, apply, push_settings=True)


async def set_plug_and_charge(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_PLUG_AND_CHARGE."""

    def apply(cp: ChargePointState) -> Outcome:
        cp.plug_and_charge = bool(msg["value"])
        return True, "", _setting_result(cp.plug_and_charge)

    await run_action(sim, conn, msg, apply, push_settings=True)


async def set_pnc_card(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_PLUG_AND_CHARGE_CHARGE_CARD: "BCU-APP" clears the card."""

    def apply(cp: ChargePointState) -> Outcome:
        card = sim.model.find_card(msg["token_uid"])
        cp.plug_and_charge_card_uid = card.uid if card else None
        return True, "", {"setting": card.uid if card else HOME_USE}

    await run_action(sim, conn, msg, apply, push_settings=True)


def _set_enabled(enabled: bool, sim: Simulator) -> Apply:
    def apply(cp: ChargePointState) -> Outcome:
        sim.model.set_enabled(cp, enabled)
        return True, "", {}

    return apply


async def set_operative(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_OPERATIVE unblocks the charge point."""
    await run_action(sim, conn, msg, _set_enabled(True, sim), push_status=True)


async def set_inoperative(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_INOPERATIVE blocks it (a running session is ended)."""
    await run_action(sim, conn, msg, _set_enabled(False, sim), push_status=True)


def _count(attribute: str) -> Apply:
    def apply(cp: ChargePointState) -> Outcome:
        setattr(cp, attribute, getattr(cp, attribute) + 1)
        return True, "", {}

    return apply


async def soft_reset(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SOFT_RESET."""
    await run_action(sim, conn, msg, _count("soft_resets"), push_status=True)


async def reboot(sim: Simulator, conn: Connection, msg: Json) -> None:
    """REBOOT."""
    await run_action(sim, conn, msg, _count("reboots"), push_status=True)


async def unlock_connector(sim: Simulator, conn: Connection, msg: Json) -> None:
    """UNLOCK_CONNECTOR (websocket flavour)."""
    await run_action(sim, conn, msg, _count("unlocks"))


async def start_session(sim: Simulator, conn: Connection, msg: Json) -> None:
    """START_SESSION records the card from `session_token` so the transaction carries it."""

    def apply(cp: ChargePointState) -> Outcome:
        token = msg.get("session_token", NO_CARD)
        card = sim.model.find_card(token) if token not in (NO_CARD, HOME_USE, "") else None
        socket = msg.get("socket_id")
        sim.model.start_session(cp, card, socket if isinstance(socket, int) else None)
        return True, "", {}

    await run_action(sim, conn, msg, apply, push_status=True)


async def stop_session(sim: Simulator, conn: Connection, msg: Json) -> None:
    """STOP_SESSION books the transaction."""

    def apply(cp: ChargePointState) -> Outcome:
        sim.model.stop_session(cp)
        return True, "", {}

    await run_action(sim, conn, msg, apply, push_status=True)

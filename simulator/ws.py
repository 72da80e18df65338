"""Websocket endpoints `/appserver/2.0` and `/haserver`: login, reads, actions, pushes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
import logging
import math
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import crypto, wire
from .model import HOME_USE, NO_CARD, ChargePointState, OverrideSchedule

if TYPE_CHECKING:
    from .server import Connection, Simulator

_LOGGER = logging.getLogger(__name__)
Json = dict[str, Any]
Handler = Callable[["Simulator", "Connection", Json], Awaitable[None]]
MAX_FRAME = 1024**2


def error(code: int, message: str, flow_id: Any = None) -> Json:
    """Build an ERROR frame; echo a string flow_id so PBC can route it."""
    frame: Json = {"object": "ERROR", "error": code, "message": message}
    if isinstance(flow_id, str):
        frame["flow_id"] = flow_id
    return frame


async def handle(request: web.Request) -> web.StreamResponse:
    """Accept a websocket (or refuse it while the request limit fault is on)."""
    from .server import SIM_KEY, Connection  # noqa: PLC0415 - server imports this module

    sim = request.app[SIM_KEY]
    if sim.faults.request_limit:
        return web.Response(
            status=403,
            text="Request limit reached",
            headers={"x-websocket-reject-reason": "Request limit reached"},
        )
    # autoping off only so that pings can be counted; they are answered below all the same.
    socket = web.WebSocketResponse(max_msg_size=MAX_FRAME, timeout=1.0, autoping=False)
    if not socket.can_prepare(request).ok:
        return web.Response(status=400, text="websocket upgrade expected")
    await socket.prepare(request)
    conn = Connection(socket, request.path)
    sim.connections.add(conn)
    sim.stats.connections += 1
    try:
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                try:
                    await on_text(sim, conn, message.data)
                except Exception:
                    # A bug must cost one reply, not the connection (and never log the frame).
                    _LOGGER.exception("Simulator failed on a websocket frame")
                    await sim.send(conn, error(9, "Unknown error"), reply=True)
            elif message.type == WSMsgType.BINARY:
                await sim.send(conn, error(9, "Binary frames are not supported"), reply=True)
            elif message.type == WSMsgType.PING:
                sim.stats.pings += 1
                await socket.pong(message.data)
    finally:
        sim.connections.discard(conn)
    return socket


async def on_text(sim: Simulator, conn: Connection, text: str) -> None:
    """Validate one client frame and run its command; hostile input only earns an ERROR."""
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        await sim.send(conn, error(9, "Invalid JSON"), reply=True)
        return
    command = message.get("command") if isinstance(message, dict) else None
    if not isinstance(command, str):
        await sim.send(conn, error(0, "Unknown command"), reply=True)
        return
    assert isinstance(message, dict)
    sim.stats.ws_commands[command] += 1
    _LOGGER.debug("Command %s on %s", command[:64], conn.path)
    flow_id = message.get("flow_id")
    if sim.faults.request_limit:
        await sim.send(conn, error(42, "Request limit reached", flow_id), reply=True)
        return
    if command in sim.faults.silent_commands:
        return
    if (code_message := sim.faults.command_errors.get(command)) is not None:
        await sim.send(conn, error(*code_message, flow_id), reply=True)
        return
    handler = HANDLERS.get(command)
    if handler is None:
        await sim.send(conn, error(0, "Unknown command", flow_id), reply=True)
        return
    if command not in LOGIN_COMMANDS and not _authorized(sim, message.get("Authorization")):
        await sim.send(conn, error(1, "Invalid Auth Token", flow_id), reply=True)
        return
    if command in EVSE_COMMANDS:
        evse_id = message.get("evse_id")
        if not _allowed(sim, evse_id):
            await sim.send(conn, error(2, "forbidden", flow_id), reply=True)
            return
    try:
        await handler(sim, conn, message)
    except (KeyError, TypeError, ValueError, AttributeError):
        _LOGGER.debug("Bad arguments for %s", command)
        await sim.send(conn, error(9, "Unknown error", flow_id), reply=True)


def _authorized(sim: Simulator, header: Any) -> bool:
    if not isinstance(header, str) or not header.startswith("Token "):
        return False
    return sim.token_valid(header.removeprefix("Token "))


def _allowed(sim: Simulator, evse_id: Any) -> bool:
    return (
        isinstance(evse_id, str)
        and evse_id in sim.account.charge_points
        and evse_id not in sim.faults.forbid_evse
    )


# -- login ------------------------------------------------------------------------------------


async def validate_password(sim: Simulator, conn: Connection, msg: Json) -> None:
    """VALIDATE_PASSWORD: SJCL blob (or plain text, for simple clients)."""
    password = msg.get("password")
    accepted = False
    if isinstance(password, str):
        if crypto.looks_like_sjcl(password):
            try:
                password = crypto.decrypt(password)
            except crypto.SjclError:
                password = None
        accepted = password is not None and sim.check_password(msg.get("username"), password)
    reply: Json = {"object": "STATUS_PASSWORD", "accepted": accepted}
    if accepted:
        reply["token"] = sim.issue_token()
    await sim.send(conn, reply, reply=True)


async def validate_api_token(sim: Simulator, conn: Connection, msg: Json) -> None:
    """VALIDATE_API_TOKEN: the home automation key buys a session token."""
    if sim.check_api_token(msg.get("token")):
        reply: Json = {
            "object": "STATUS_API_TOKEN",
            "success": True,
            "token": sim.issue_token(),
            "customer_id": sim.account.customer_id,
        }
    else:
        reply = {"object": "STATUS_API_TOKEN", "success": False, "error": ""}
    await sim.send(conn, reply, reply=True)


async def hello(sim: Simulator, conn: Connection, msg: Json) -> None:
    """HELLO subscribes the socket to pushes."""
    conn.hello = True
    await sim.send(conn, {"object": "HELLO"}, reply=True)


# -- reads ------------------------------------------------------------------------------------


async def get_account(sim: Simulator, conn: Connection, msg: Json) -> None:
    """GET_ACCOUNT."""
    await sim.send(conn, wire.account(sim.account), reply=True)


async def get_charge_points(sim: Simulator, conn: Connection, msg: Json) -> None:
    """GET_CHARGE_POINTS (forbid_evse ones stay listed: only commands for them fail)."""
    data = [wire.charge_point(sim.model, cp) for cp in sim.account.charge_points.values()]
    await sim.send(conn, {"object": "CHARGE_POINTS", "data": data}, reply=True)


async def get_ch_status(sim: Simulator, conn: Connection, msg: Json) -> None:
    """GET_CH_STATUS."""
    cp = sim.charge_point(msg["evse_id"])
    await sim.send(conn, wire.ch_status(cp), reply=True, evse_id=cp.evse_id)


async def get_ch_settings(sim: Simulator, conn: Connection, msg: Json) -> None:
    """GET_CH_SETTINGS."""
    cp = sim.charge_point(msg["evse_id"])
    data = wire.charge_point(sim.model, cp, settings=True)
    frame = {"object": "CH_SETTINGS", "evse_id": cp.evse_id, "data": data}
    await sim.send(conn, frame, reply=True, evse_id=cp.evse_id)


async def get_grid_status(sim: Simulator, conn: Connection, msg: Json) -> None:
    """GET_GRID_STATUS: one grid for the whole account."""
    frame = {"object": "GRID_STATUS", "data": wire.grid_status(sim.grid)}
    await sim.send(conn, frame, reply=True)


async def get_charge_cards(sim: Simulator, conn: Connection, msg: Json) -> None:
    """GET_CHARGE_CARDS (BCA sends a `limit`)."""
    limit = msg.get("limit")
    cards = sim.account.cards
    if isinstance(limit, int) and limit >= 0:
        cards = cards[:limit]
    frame = {"object": "CHARGE_CARDS", "cards": [wire.card_full(card) for card in cards]}
    await sim.send(conn, frame, reply=True)


async def get_sustainability(sim: Simulator, conn: Connection, msg: Json) -> None:
    """GET_SUSTAINABILITY_STATUS."""
    await sim.send(conn, wire.sustainability(sim.account), reply=True)


# -- actions ----------------------------------------------------------------------------------

Outcome = tuple[bool, str, Json]
Apply = Callable[[ChargePointState], Outcome]


def _ack(
    command: str, evse_id: str, flow_id: str, *, success: bool, err: str, result: Json
) -> Json:
    return {
        "object": command,
        "success": success,
        "error": err,
        "flow_id": flow_id,
        "evse_id": evse_id,
        "result": result,
    }


async def _action(
    sim: Simulator,
    conn: Connection,
    msg: Json,
    apply: Apply,
    *,
    push_status: bool = False,
    push_settings: bool = False,
    received: bool = True,
) -> None:
    """RECEIVED_ (precondition check), then the verdict STATUS_, then the pushes."""
    command = msg["command"]
    cp = sim.charge_point(msg["evse_id"])
    flow_id = msg.get("flow_id") if isinstance(msg.get("flow_id"), str) else ""
    assert isinstance(flow_id, str)
    evse_id = cp.evse_id
    problem = _precondition(command, cp, msg, sim)
    if received or problem:
        ok = problem is None
        frame = _ack(
            f"RECEIVED_{command}", evse_id, flow_id, success=ok, err=problem or "", result={}
        )
        await sim.send(conn, frame, reply=True, evse_id=evse_id)
    if problem:
        return
    verdict = sim.faults.action_result
    if verdict == "timeout" and received:
        return
    if verdict == "rejected":
        frame = _ack(
            f"STATUS_{command}", evse_id, flow_id, success=False, err="REJECTED", result={}
        )
        await sim.send(conn, frame, reply=True, evse_id=evse_id)
        return
    if not cp.online and received:
        frame = _ack(f"STATUS_{command}", evse_id, flow_id, success=False, err="TIMEOUT", result={})
        await sim.send(conn, frame, reply=True, evse_id=evse_id)
        return
    success, err, result = apply(cp)
    frame = _ack(f"STATUS_{command}", evse_id, flow_id, success=success, err=err, result=result)
    await sim.send(conn, frame, reply=True, evse_id=evse_id)
    if success and push_status:
        await sim.push_status(evse_id)
    if success and push_settings:
        await sim.push_settings(evse_id)


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

    await _action(sim, conn, msg, apply, push_settings=True)


async def set_plug_and_charge(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_PLUG_AND_CHARGE."""

    def apply(cp: ChargePointState) -> Outcome:
        cp.plug_and_charge = bool(msg["value"])
        return True, "", _setting_result(cp.plug_and_charge)

    await _action(sim, conn, msg, apply, push_settings=True)


async def set_pnc_card(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_PLUG_AND_CHARGE_CHARGE_CARD: "BCU-APP" clears the card."""

    def apply(cp: ChargePointState) -> Outcome:
        card = sim.model.find_card(msg["token_uid"])
        cp.plug_and_charge_card_uid = card.uid if card else None
        return True, "", {"setting": card.uid if card else HOME_USE}

    await _action(sim, conn, msg, apply, push_settings=True)


def _set_enabled(enabled: bool, sim: Simulator) -> Apply:
    def apply(cp: ChargePointState) -> Outcome:
        if not enabled:
            sim.model.stop_session(cp)
        cp.enabled = enabled
        return True, "", {}

    return apply


async def set_operative(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_OPERATIVE unblocks the charge point."""
    await _action(sim, conn, msg, _set_enabled(True, sim), push_status=True)


async def set_inoperative(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SET_INOPERATIVE blocks it (a running session is ended)."""
    await _action(sim, conn, msg, _set_enabled(False, sim), push_status=True)


def _count(attribute: str) -> Apply:
    def apply(cp: ChargePointState) -> Outcome:
        setattr(cp, attribute, getattr(cp, attribute) + 1)
        return True, "", {}

    return apply


async def soft_reset(sim: Simulator, conn: Connection, msg: Json) -> None:
    """SOFT_RESET."""
    await _action(sim, conn, msg, _count("soft_resets"), push_status=True)


async def reboot(sim: Simulator, conn: Connection, msg: Json) -> None:
    """REBOOT."""
    await _action(sim, conn, msg, _count("reboots"), push_status=True)


async def unlock_connector(sim: Simulator, conn: Connection, msg: Json) -> None:
    """UNLOCK_CONNECTOR (websocket flavour)."""
    await _action(sim, conn, msg, _count("unlocks"))


async def start_session(sim: Simulator, conn: Connection, msg: Json) -> None:
    """START_SESSION records the card from `session_token` so the transaction carries it."""

    def apply(cp: ChargePointState) -> Outcome:
        token = msg.get("session_token", NO_CARD)
        card = sim.model.find_card(token) if token not in (NO_CARD, HOME_USE, "") else None
        socket = msg.get("socket_id")
        sim.model.start_session(cp, card, socket if isinstance(socket, int) else None)
        return True, "", {}

    await _action(sim, conn, msg, apply, push_status=True)


async def stop_session(sim: Simulator, conn: Connection, msg: Json) -> None:
    """STOP_SESSION books the transaction."""

    def apply(cp: ChargePointState) -> Outcome:
        sim.model.stop_session(cp)
        return True, "", {}

    await _action(sim, conn, msg, apply, push_status=True)


# -- smart charging (§3.4) --------------------------------------------------------------------


def smart_setting(sim: Simulator, cp: ChargePointState, name: str, body: Json) -> str | None:
    """Apply a smart-charging change shared by REST and websocket; returns an error text."""
    value = body.get("value")
    if name in ("delayed", "price", "capacity") and not isinstance(value, bool):
        return "invalid value"
    if name == "delayed":
        cp.delayed_charging.value = bool(value)
        if value:
            cp.price_based_charging.value = False
    elif name == "price":
        cp.price_based_charging.value = bool(value)
        if value:
            cp.delayed_charging.value = False
    elif name == "schedule":
        days = body["days"]
        parsed = json.loads(days) if isinstance(days, str) else days
        if not isinstance(parsed, list) or not all(
            isinstance(d, int) and 1 <= d <= 7 for d in parsed
        ):
            return "invalid days"
        cp.delayed_charging.days = sorted(set(parsed))
        cp.delayed_charging.start_time = _hhmm(body["start_time"])
        cp.delayed_charging.end_time = _hhmm(body["end_time"])
    elif name == "price_settings":
        settings = cp.price_based_charging
        if "expected_departure_time" in body:
            settings.expected_leave_time = _hhmm(body["expected_departure_time"])
        for key in ("expected_kwh", "minimum_kwh"):
            if key in body:
                setattr(settings, key, finite(body[key]))
    elif name == "capacity":
        limit = body.get("capacitytariffmaxkwh")
        if value and not (isinstance(limit, int | float) and 0.01 <= limit <= 80):
            return "capacitytariffmaxkwh must be between 0.01 and 80"
        cp.capacity_tariff.value = bool(value)
        cp.capacity_tariff.max_kwh = float(limit) if value and limit is not None else None
    else:
        active = cp.price_based_charging if name.endswith("price") else cp.delayed_charging
        if not active.value:
            return "no active smart charging profile"
        if cp.session is not None:
            cp.session.boosting = True
    return None


def finite(value: Any) -> float:
    """Parse a number, refusing NaN/inf (they would make our JSON invalid)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("number must be finite")
    return number


def _hhmm(value: Any) -> str:
    hours, minutes = str(value).split(":")
    if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
        raise ValueError("bad time")
    return f"{int(hours):02d}:{int(minutes):02d}"


def _smart(name: str) -> Handler:
    async def run(sim: Simulator, conn: Connection, msg: Json) -> None:
        def apply(cp: ChargePointState) -> Outcome:
            problem = smart_setting(sim, cp, name, msg)
            return problem is None, problem or "", {}

        await _action(sim, conn, msg, apply, push_settings=True, received=False)

    run.__doc__ = f"Smart-charging command ({name})."
    return run


async def list_override(sim: Simulator, conn: Connection, msg: Json) -> None:
    """LIST_OVERRIDE_CURRENT."""
    data = [wire.override_schedule(s) for s in sim.account.override_schedules]
    await sim.send(conn, {"object": "LIST_OVERRIDE_CURRENT", "data": data}, reply=True)


async def post_override(sim: Simulator, conn: Connection, msg: Json) -> None:
    """POST_SET_OVERRIDE_CURRENT / POST_EDIT_OVERRIDE_CURRENT."""
    command = msg["command"]
    chargepoints = msg["chargepoints"]
    if not isinstance(chargepoints, list) or not all(_allowed(sim, e) for e in chargepoints):
        await sim.send(conn, error(2, "forbidden"), reply=True)
        return
    schedules = sim.account.override_schedules
    if command == "POST_EDIT_OVERRIDE_CURRENT":
        schedule_id = int(msg["schedule_id"])
        schedules[:] = [s for s in schedules if s.schedule_id != schedule_id]
    else:
        schedule_id = max((s.schedule_id for s in schedules), default=0) + 1
    schedule = OverrideSchedule(
        schedule_id=schedule_id,
        chargepoints=[str(e) for e in chargepoints],
        override_start_time=_hhmm(msg["overridestarttime"]),
        override_start_days=[str(d) for d in msg["overridestartdays"]],
        override_end_time=_hhmm(msg["overridestoptime"]),
        override_end_days=[str(d) for d in msg["overridestopdays"]],
        override_value=finite(msg["overridevalue"]),
    )
    schedules.append(schedule)
    frame = {"object": command, "success": True, "data": wire.override_schedule(schedule)}
    await sim.send(conn, frame, reply=True)


async def clear_override(sim: Simulator, conn: Connection, msg: Json) -> None:
    """POST_CLEAR_OVERRIDE_CURRENT."""
    schedule_id = int(msg["schedule_id"])
    schedules = sim.account.override_schedules
    found = any(s.schedule_id == schedule_id for s in schedules)
    schedules[:] = [s for s in schedules if s.schedule_id != schedule_id]
    frame = {
        "object": "POST_CLEAR_OVERRIDE_CURRENT",
        "success": found,
        "error": "" if found else "unknown schedule",
        "schedule_id": schedule_id,
    }
    await sim.send(conn, frame, reply=True)


HANDLERS: dict[str, Handler] = {
    "VALIDATE_PASSWORD": validate_password,
    "VALIDATE_API_TOKEN": validate_api_token,
    "HELLO": hello,
    "GET_ACCOUNT": get_account,
    "GET_CHARGE_POINTS": get_charge_points,
    "GET_CH_STATUS": get_ch_status,
    "GET_CH_SETTINGS": get_ch_settings,
    "GET_GRID_STATUS": get_grid_status,
    "GET_CHARGE_CARDS": get_charge_cards,
    "GET_SUSTAINABILITY_STATUS": get_sustainability,
    "SET_PUBLIC_CHARGING": set_public_charging,
    "SET_PLUG_AND_CHARGE": set_plug_and_charge,
    "SET_PLUG_AND_CHARGE_CHARGE_CARD": set_pnc_card,
    "SET_OPERATIVE": set_operative,
    "SET_INOPERATIVE": set_inoperative,
    "SOFT_RESET": soft_reset,
    "REBOOT": reboot,
    "START_SESSION": start_session,
    "STOP_SESSION": stop_session,
    "UNLOCK_CONNECTOR": unlock_connector,
    "SET_DELAYED_CHARGING": _smart("delayed"),
    "SAVE_SCHEDULE_DELAYED_CHARGING": _smart("schedule"),
    "SET_PRICE_BASED_CHARGING": _smart("price"),
    "PATCH_PRICE_BASED_CHARGING_SETTINGS": _smart("price_settings"),
    "OVERRIDE_CHARGING_PROFILES": _smart("override_price"),
    "OVERRIDE_DELAYED_CHARGING_TIMEOUT": _smart("override_delayed"),
    "LIST_OVERRIDE_CURRENT": list_override,
    "POST_SET_OVERRIDE_CURRENT": post_override,
    "POST_EDIT_OVERRIDE_CURRENT": post_override,
    "POST_CLEAR_OVERRIDE_CURRENT": clear_override,
}
LOGIN_COMMANDS = frozenset({"VALIDATE_PASSWORD", "VALIDATE_API_TOKEN"})
EVSE_COMMANDS = (
    frozenset(HANDLERS)
    - LOGIN_COMMANDS
    - {
        "HELLO",
        "GET_ACCOUNT",
        "GET_CHARGE_POINTS",
        "GET_CHARGE_CARDS",
        "GET_SUSTAINABILITY_STATUS",
        "LIST_OVERRIDE_CURRENT",
        "POST_SET_OVERRIDE_CURRENT",
        "POST_EDIT_OVERRIDE_CURRENT",
        "POST_CLEAR_OVERRIDE_CURRENT",
    }
)
BOOL_SETTINGS = frozenset({"SET_PUBLIC_CHARGING", "SET_PLUG_AND_CHARGE"})
SETTING_PERMISSIONS = {
    "SET_PUBLIC_CHARGING": "public_charging",
    "SET_PLUG_AND_CHARGE": "plug_and_charge",
    "SET_DELAYED_CHARGING": "delayed_charging",
    "SAVE_SCHEDULE_DELAYED_CHARGING": "delayed_charging",
    "SET_PRICE_BASED_CHARGING": "price_based_charging",
    "PATCH_PRICE_BASED_CHARGING_SETTINGS": "price_based_charging",
}

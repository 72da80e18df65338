"""Websocket endpoints `/appserver/2.0` and `/haserver`: accept, authorize, dispatch.

The commands themselves live in `ws_reads` (login, GET_*), `ws_actions` (device actions and
settings) and `ws_smart` (smart charging, override current).
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import ws_actions as actions, ws_reads as reads
from .transport import Connection
from .wire import error
from .ws_actions import Handler
from .ws_smart import OVERRIDE_HANDLERS, SMART_HANDLERS

if TYPE_CHECKING:
    from .server import Simulator

__all__ = ["EVSE_COMMANDS", "HANDLERS", "LOGIN_COMMANDS", "error", "handle", "on_text"]

_LOGGER = logging.getLogger(__name__)
Json = dict[str, Any]
MAX_FRAME = 1024**2


async def handle(request: web.Request) -> web.StreamResponse:
    """Accept a websocket (or refuse it while the request limit fault is on)."""
    from .server import SIM_KEY  # noqa: PLC0415 - server imports this module

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
        if not sim.evse_allowed(evse_id):
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


HANDLERS: dict[str, Handler] = {
    "VALIDATE_PASSWORD": reads.validate_password,
    "VALIDATE_API_TOKEN": reads.validate_api_token,
    "HELLO": reads.hello,
    "GET_ACCOUNT": reads.get_account,
    "GET_CHARGE_POINTS": reads.get_charge_points,
    "GET_CH_STATUS": reads.get_ch_status,
    "GET_CH_SETTINGS": reads.get_ch_settings,
    "GET_GRID_STATUS": reads.get_grid_status,
    "GET_CHARGE_CARDS": reads.get_charge_cards,
    "GET_SUSTAINABILITY_STATUS": reads.get_sustainability,
    "SET_PUBLIC_CHARGING": actions.set_public_charging,
    "SET_PLUG_AND_CHARGE": actions.set_plug_and_charge,
    "SET_PLUG_AND_CHARGE_CHARGE_CARD": actions.set_pnc_card,
    "SET_OPERATIVE": actions.set_operative,
    "SET_INOPERATIVE": actions.set_inoperative,
    "SOFT_RESET": actions.soft_reset,
    "REBOOT": actions.reboot,
    "START_SESSION": actions.start_session,
    "STOP_SESSION": actions.stop_session,
    "UNLOCK_CONNECTOR": actions.unlock_connector,
    **SMART_HANDLERS,
    **OVERRIDE_HANDLERS,
}
LOGIN_COMMANDS = frozenset({"VALIDATE_PASSWORD", "VALIDATE_API_TOKEN"})
# Commands that name one charge point: unknown or forbidden evse_ids get ERROR 2.
EVSE_COMMANDS = (
    frozenset(HANDLERS)
    - LOGIN_COMMANDS
    - frozenset(OVERRIDE_HANDLERS)
    - {"HELLO", "GET_ACCOUNT", "GET_CHARGE_POINTS", "GET_CHARGE_CARDS", "GET_SUSTAINABILITY_STATUS"}
)

"""Websocket login (VALIDATE_*, HELLO) and read commands (GET_*)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import crypto, wire

if TYPE_CHECKING:
    from .server import Connection, Simulator

Json = dict[str, Any]


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
    """GET_GRID_STATUS: the grid this charge point belongs to (`data.id` is the grid id)."""
    grid = sim.grid_of(msg["evse_id"])
    await sim.send(conn, {"object": "GRID_STATUS", "data": wire.grid_status(grid)}, reply=True)


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

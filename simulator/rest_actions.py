"""REST commands: bc_api smart charging (§5) and the bce_api charge-point actions.

Smart charging answers `{"success": true, "evse_id"}` or HTTP 200 with `{"success": false,
"error"}` (refused: nothing changes), then pushes CH_SETTINGS (CH_STATUS for a boost) on the
websockets, like the websocket commands do.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import smart
from .rest_common import authorize, body_json, charge_point

if TYPE_CHECKING:
    from .server import Simulator

Json = dict[str, Any]
Route = Callable[[web.Request], Awaitable[web.Response]]

SMART_ROUTES = {
    "setdelayedcharging": "delayed",
    "savescheduledelayedcharging": "schedule",
    "setpricebasedcharging": "price",
    "setpricebasedsettings": "price_settings",
    "setcapacitytariff": "capacity",
    "overridechargingprofiles": "boost_price",
    "overridedelayedchargingtimeout": "boost_delayed",
}


def smart_route(name: str) -> Route:
    """Route of one smart-charging command (names as in `smart.PERMISSIONS`)."""

    async def route(request: web.Request) -> web.Response:
        sim = authorize(request)
        body = await body_json(request)
        cp = charge_point(sim, body.get("evse_id"))
        outcome = smart.plan(cp, name, body)
        if isinstance(outcome, str):
            return web.json_response({"success": False, "error": outcome})
        verdict = sim.faults.action_result
        if verdict == "rejected":
            return web.json_response({"success": False, "error": "REJECTED"})
        if verdict == "timeout":
            return web.json_response({"success": False, "error": "TIMEOUT"}, status=504)
        status_changed = outcome()
        if not name.startswith("boost"):
            await sim.settings_changed(cp.evse_id)
        if status_changed:
            await sim.push_status(cp.evse_id)
        return web.json_response({"success": True, "evse_id": cp.evse_id})

    return route


async def bce_action(request: web.Request) -> web.Response:
    """setoperative/setinoperative (verdict pushed on the websocket) and unlockconnector."""
    action = request.match_info["action"]
    if action not in ("setoperative", "setinoperative", "unlockconnector"):
        raise web.HTTPNotFound()
    sim = authorize(request, bare=True)
    body = await body_json(request)
    cp = charge_point(sim, body.get("chargepoint_id"))
    socket_id = body.get("socket_id")
    if socket_id not in cp.socket_ids:
        return web.json_response({"success": False, "error": "unknown socket"}, status=400)
    verdict = sim.faults.action_result
    if action == "unlockconnector":
        if verdict == "rejected":
            return web.json_response({"success": False, "error": "REJECTED"})
        if verdict == "timeout":
            return web.json_response({"success": False, "error": "TIMEOUT"}, status=504)
        cp.unlocks += 1
        return web.Response(status=200)
    flow_id = body.get("flow_id")
    sim.spawn(
        _operative_verdict(sim, cp.evse_id, action == "setoperative", flow_id, int(socket_id))
    )
    return web.json_response({"success": True})


async def _operative_verdict(
    sim: Simulator, evse_id: str, enabled: bool, flow_id: Any, socket_id: int
) -> None:
    """Push the charge point's later verdict to every HELLO socket."""
    await asyncio.sleep(0.01)
    verdict = sim.faults.action_result
    cp = sim.account.charge_points.get(evse_id)
    if verdict == "timeout" or cp is None:
        return
    success, err = True, ""
    if verdict == "rejected":
        success, err = False, "REJECTED"
    elif not cp.online:
        success, err = False, "TIMEOUT"
    else:
        sim.model.set_enabled(cp, enabled)
    frame: Json = {
        "object": "STATUS_SET_OPERATIVE" if enabled else "STATUS_SET_INOPERATIVE",
        "success": success,
        "error": err,
        "flow_id": flow_id if isinstance(flow_id, str) else "",
        "evse_id": evse_id,
        "socket_id": socket_id,
        "result": {},
    }
    await sim.broadcast(frame)
    if success:
        await sim.push_status(evse_id)

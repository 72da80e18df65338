"""REST routes: bc_api v2.0/v2.1 (`Token` auth) and the bce_api actions (bare-token auth)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, datetime
import json
import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import wire
from .ws import error, smart_setting

if TYPE_CHECKING:
    from .model import ChargePointState, Transaction
    from .server import Simulator

_LOGGER = logging.getLogger(__name__)
BC = "/app/bc_api/api/v2.0"
BC21 = "/app/bc_api/api/v2.1"
BCE = "/app/bce_api/api/v1"
WS_PATHS = frozenset({"/appserver/2.0", "/haserver"})
Json = dict[str, Any]
RouteHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _sim(request: web.Request) -> Simulator:
    from .server import SIM_KEY  # noqa: PLC0415 - server imports this module

    return request.app[SIM_KEY]


class Reject(Exception):
    """Answer with this status and JSON body (raised from deep inside a route)."""

    def __init__(self, status: int, body: Json) -> None:
        """Remember the answer."""
        super().__init__(status)
        self.status = status
        self.body = body


@web.middleware
async def middleware(request: web.Request, handler: RouteHandler) -> web.StreamResponse:
    """Count, delay, rate-limit and fail REST requests as the faults say; 400 on bad input."""
    if request.path in WS_PATHS:
        return await handler(request)
    sim = _sim(request)
    sim.stats.rest_requests[f"{request.method} {request.path}"] += 1
    if sim.faults.reply_delay > 0:
        await asyncio.sleep(sim.faults.reply_delay)
    if sim.faults.request_limit:
        return web.json_response(error(42, "Request limit reached"), status=429)
    if sim.faults.rest_errors > 0:
        sim.faults.rest_errors -= 1
        return web.Response(status=503, text="Service Unavailable")
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Reject as reject:
        return web.json_response(reject.body, status=reject.status)
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        _LOGGER.debug("Bad request to %s", request.path)
        return web.json_response({"success": False, "error": "Bad request"}, status=400)
    except Exception:
        _LOGGER.exception("Simulator failed on %s", request.path)
        return web.json_response({"success": False, "error": "Internal error"}, status=500)


def _authorize(request: web.Request, *, bare: bool = False) -> Simulator:
    """bc_api wants `Token <t>`, bce_api the bare token; anything else is 401."""
    sim = _sim(request)
    header = request.headers.get("Authorization", "")
    token = header if bare else (header[6:] if header.startswith("Token ") else "")
    if not token or not sim.token_valid(token):
        raise Reject(401, error(1, "Invalid Auth Token"))
    return sim


def _charge_point(sim: Simulator, evse_id: Any) -> ChargePointState:
    if (
        not isinstance(evse_id, str)
        or evse_id not in sim.account.charge_points
        or evse_id in sim.faults.forbid_evse
    ):
        raise Reject(401, error(2, "forbidden"))
    return sim.account.charge_points[evse_id]


async def _body(request: web.Request) -> Json:
    """JSON body whatever the content type (PBC posts gettransactions without one)."""
    data = json.loads(await request.text() or "{}")
    if not isinstance(data, dict):
        raise TypeError("body must be an object")
    return data


# -- bc_api reads -----------------------------------------------------------------------------


async def status_v20(request: web.Request) -> web.Response:
    """Legacy single-socket status."""
    sim = _authorize(request)
    cp = _charge_point(sim, request.query.get("evse_id"))
    return web.json_response({"data": wire.status(cp)})


async def status_v21(request: web.Request) -> web.Response:
    """Multi-socket status: one item per socket."""
    sim = _authorize(request)
    cp = _charge_point(sim, request.query.get("evse_id"))
    raw_socket = request.query.get("socket_id")
    socket_id = int(raw_socket) if raw_socket else None
    if socket_id is not None and socket_id not in cp.socket_ids:
        raise ValueError("unknown socket")
    return web.json_response(wire.ch_status_rest(cp, socket_id))


async def get_contracts(request: web.Request) -> web.Response:
    """Contracts of the account."""
    sim = _authorize(request)
    contracts = [vars(contract).copy() for contract in sim.account.contracts]
    return web.json_response({"contracts": contracts})


async def get_grids(request: web.Request) -> web.Response:
    """Grid connections of the account."""
    sim = _authorize(request)
    grids = [
        {"id": grid.id, "smart_charging": grid.smart_charging, "address": vars(grid.address).copy()}
        for grid in sim.account.grids
    ]
    return web.json_response({"grids": grids})


def _date(value: str | None) -> date | None:
    return datetime.strptime(value, "%d-%m-%Y").date() if value else None


async def get_transactions(request: web.Request) -> web.Response:
    """Pages of 25 completed sessions, sorted on stop time."""
    sim = _authorize(request)
    query = request.query
    page = int(query.get("page", "1"))
    order = query.get("sort_field_order", "DESC").upper()
    if page < 1 or order not in ("ASC", "DESC"):
        raise ValueError("bad paging")
    start, end = _date(query.get("start_date")), _date(query.get("end_date"))
    wanted = (await _body(request)).get("chargepoints") or [
        {"chargepoint_id": evse_id} for evse_id in sim.account.charge_points
    ]
    items: list[Transaction] = []
    for entry in wanted:
        cp = _charge_point(sim, entry["chargepoint_id"])
        items.extend(
            t
            for t in cp.transactions
            if (start is None or t.end_time.date() >= start)
            and (end is None or t.end_time.date() <= end)
        )
    return web.json_response(wire.transactions_page(items, page, newest_first=order == "DESC"))


async def get_key(request: web.Request) -> web.Response:
    """Return the API token (home automation key)."""
    sim = _authorize(request)
    return web.json_response({"key": sim.api_token})


async def generate_key(request: web.Request) -> web.Response:
    """Rotate the API token; the old one stops working."""
    sim = _authorize(request)
    sim.rotate_api_token()
    return web.json_response({"success": True})


# -- bc_api smart charging --------------------------------------------------------------------

_SMART_ROUTES = {
    "setdelayedcharging": ("delayed", "delayed_charging"),
    "savescheduledelayedcharging": ("schedule", "delayed_charging"),
    "setpricebasedcharging": ("price", "price_based_charging"),
    "setpricebasedsettings": ("price_settings", "price_based_charging"),
    "setcapacitytariff": ("capacity", "capacity_tariff"),
    "overridechargingprofiles": ("override_price", "price_based_charging"),
    "overridedelayedchargingtimeout": ("override_delayed", "delayed_charging"),
}


def _smart_route(name: str, permission: str) -> RouteHandler:
    async def route(request: web.Request) -> web.Response:
        sim = _authorize(request)
        body = await _body(request)
        cp = _charge_point(sim, body.get("evse_id"))
        if cp.permissions.get(permission) != "write":
            return web.json_response({"success": False, "error": "not allowed"})
        problem = smart_setting(sim, cp, name, body)
        if problem:
            return web.json_response({"success": False, "error": problem})
        await sim.push_settings(cp.evse_id)
        return web.json_response({"success": True, "evse_id": cp.evse_id})

    return route


# -- bce_api actions --------------------------------------------------------------------------


async def bce_action(request: web.Request) -> web.Response:
    """setoperative/setinoperative (verdict pushed on the websocket) and unlockconnector."""
    action = request.match_info["action"]
    if action not in ("setoperative", "setinoperative", "unlockconnector"):
        raise web.HTTPNotFound()
    sim = _authorize(request, bare=True)
    body = await _body(request)
    cp = _charge_point(sim, body.get("chargepoint_id"))
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
        if not enabled:
            sim.model.stop_session(cp)
        cp.enabled = enabled
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


def add_routes(app: web.Application) -> None:
    """Register every REST route."""
    app.router.add_get(f"{BC}/chargepointstatus", status_v20)
    app.router.add_get(f"{BC21}/chargepointstatus", status_v21)
    app.router.add_get(f"{BC}/getcontracts", get_contracts)
    app.router.add_get(f"{BC}/getgrids", get_grids)
    app.router.add_post(f"{BC}/gettransactions", get_transactions)
    app.router.add_get(f"{BC}/gethomeautomationkey", get_key)
    app.router.add_post(f"{BC}/generatehomeautomationkey", generate_key)
    for path, (name, permission) in _SMART_ROUTES.items():
        app.router.add_post(f"{BC}/{path}", _smart_route(name, permission))
    app.router.add_post(BCE + "/chargepoints/actions/{action}", bce_action)

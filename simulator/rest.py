"""REST: the middleware (faults, counting, errors), the bc_api reads and the route table.

Transactions are in `rest_history`, smart charging and the bce_api actions in `rest_actions`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging

from aiohttp import web

from . import rest_actions, rest_history, wire
from .rest_common import Reject, authorize, charge_point, sim_of
from .wire import error

_LOGGER = logging.getLogger(__name__)
BC = "/app/bc_api/api/v2.0"
BC21 = "/app/bc_api/api/v2.1"
BCE = "/app/bce_api/api/v1"
WS_PATHS = frozenset({"/appserver/2.0", "/haserver"})
RouteHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def middleware(request: web.Request, handler: RouteHandler) -> web.StreamResponse:
    """Count, delay, silence, rate-limit and fail REST requests as the faults say.

    Bad input answers 400. A silent path is never answered: the request is held until the
    client gives up or the simulator stops, and nothing changes.
    """
    if request.path in WS_PATHS:
        return await handler(request)
    sim = sim_of(request)
    sim.stats.rest_requests[f"{request.method} {request.path}"] += 1
    if sim.faults.reply_delay > 0:
        await asyncio.sleep(sim.faults.reply_delay)
    silent = sim.faults.silent_paths
    if silent and (request.path in silent or request.path.rsplit("/", 1)[-1] in silent):
        await sim.stopping.wait()
        return web.Response(status=503, text="Service Unavailable")
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
    except ConnectionResetError:
        # The client gave up (its timeout) while the body was read: nobody to answer.
        _LOGGER.debug("Client left during %s", request.path)
        return web.Response(status=499, text="Client closed request")
    except Exception:
        _LOGGER.exception("Simulator failed on %s", request.path)
        return web.json_response({"success": False, "error": "Internal error"}, status=500)


async def status_v20(request: web.Request) -> web.Response:
    """Legacy single-socket status."""
    sim = authorize(request)
    cp = charge_point(sim, request.query.get("evse_id"))
    return web.json_response({"data": wire.status(cp)})


async def status_v21(request: web.Request) -> web.Response:
    """Multi-socket status: one item per socket."""
    sim = authorize(request)
    cp = charge_point(sim, request.query.get("evse_id"))
    raw_socket = request.query.get("socket_id")
    socket_id = int(raw_socket) if raw_socket else None
    if socket_id is not None and socket_id not in cp.socket_ids:
        raise ValueError("unknown socket")
    return web.json_response(wire.ch_status_rest(cp, socket_id))


async def get_contracts(request: web.Request) -> web.Response:
    """Contracts of the account."""
    sim = authorize(request)
    contracts = [vars(contract).copy() for contract in sim.account.contracts]
    return web.json_response({"contracts": contracts})


async def get_grids(request: web.Request) -> web.Response:
    """Every grid connection of the account, with its address."""
    sim = authorize(request)
    grids = [
        {"id": grid.id, "smart_charging": grid.smart_charging, "address": vars(grid.address).copy()}
        for grid in sim.account.grids
    ]
    return web.json_response({"grids": grids})


async def get_key(request: web.Request) -> web.Response:
    """Return the API token (home automation key)."""
    sim = authorize(request)
    return web.json_response({"key": sim.api_token})


async def generate_key(request: web.Request) -> web.Response:
    """Rotate the API token; the old one stops working."""
    sim = authorize(request)
    sim.rotate_api_token()
    return web.json_response({"success": True})


def add_routes(app: web.Application) -> None:
    """Register every REST route."""
    app.router.add_get(f"{BC}/chargepointstatus", status_v20)
    app.router.add_get(f"{BC21}/chargepointstatus", status_v21)
    app.router.add_get(f"{BC}/getcontracts", get_contracts)
    app.router.add_get(f"{BC}/getgrids", get_grids)
    app.router.add_post(f"{BC}/gettransactions", rest_history.get_transactions)
    app.router.add_get(f"{BC}/gethomeautomationkey", get_key)
    app.router.add_post(f"{BC}/generatehomeautomationkey", generate_key)
    for path, name in rest_actions.SMART_ROUTES.items():
        app.router.add_post(f"{BC}/{path}", rest_actions.smart_route(name))
    app.router.add_post(BCE + "/chargepoints/actions/{action}", rest_actions.bce_action)

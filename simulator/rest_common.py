"""What every REST route needs: the simulator, authorization, the charge point, the JSON body."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .wire import error

if TYPE_CHECKING:
    from .server import Simulator
    from .state import ChargePointState

Json = dict[str, Any]


def sim_of(request: web.Request) -> Simulator:
    """Return the simulator serving this request."""
    from .server import SIM_KEY  # noqa: PLC0415 - server imports the REST modules

    return request.app[SIM_KEY]


class Reject(Exception):
    """Answer with this status and JSON body (raised from deep inside a route)."""

    def __init__(self, status: int, body: Json) -> None:
        """Remember the answer."""
        super().__init__(status)
        self.status = status
        self.body = body


def authorize(request: web.Request, *, bare: bool = False) -> Simulator:
    """bc_api wants `Token <t>`, bce_api the bare token; anything else is 401."""
    sim = sim_of(request)
    header = request.headers.get("Authorization", "")
    token = header if bare else (header[6:] if header.startswith("Token ") else "")
    if not token or not sim.token_valid(token):
        raise Reject(401, error(1, "Invalid Auth Token"))
    return sim


def charge_point(sim: Simulator, evse_id: Any) -> ChargePointState:
    """Return the named charge point, or raise 401 with the cloud's "forbidden" body."""
    if not sim.evse_allowed(evse_id):
        raise Reject(401, error(2, "forbidden"))
    return sim.account.charge_points[evse_id]


async def body_json(request: web.Request) -> Json:
    """JSON body whatever the content type (PBC posts gettransactions without one)."""
    data = json.loads(await request.text() or "{}")
    if not isinstance(data, dict):
        raise TypeError("body must be an object")
    return data

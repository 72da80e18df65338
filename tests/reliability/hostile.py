"""Hostile input for the property tests: JSON strategies and a cloud that sends what it is told.

The strategies start from the recorded cloud replies (tests/api/fixtures) and break them the way a
faulty or malicious cloud could: wrong types, huge and non-finite numbers, numeric-looking strings,
deep nesting, truncation. ``HostileCloud`` is a real websocket + REST server on 127.0.0.1 whose
answers a test scripts, for the frames the simulator never sends.
"""

from __future__ import annotations

import asyncio
import copy
import json
from pathlib import Path
from typing import Any

from aiohttp import web
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent.parent / "api" / "fixtures"

type Json = Any
type JsonPath = tuple[str | int, ...]


def fixture(name: str) -> Json:
    """A recorded cloud reply."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


# Real shapes the recorded fixtures do not cover (as the simulator renders them).
CH_STATUS_PUSH: Json = {
    "object": "CH_STATUS",
    "evse_id": "BCU123456",
    "data": {
        **fixture("charge_point_status")["items"][0],
        "start_datetime": "20260302 11:15:00",
        "stop_datetime": "",
    },
}
GRID_CURRENT_PUSH: Json = {
    "object": "GRID_CURRENT",
    "grid_actual_p1": 10.5,
    "grid_actual_p2": "  2 ",
    "grid_actual_p3": 3,
}
CH_SETTINGS_PUSH: Json = {
    "object": "CH_SETTINGS",
    "evse_id": "BCU123456",
    "data": fixture("charge_point_settings")["data"],
}
ACTION_VERDICT: Json = {
    "object": "STATUS_SOFT_RESET",
    "success": True,
    "error": "",
    "flow_id": "flow-1",
    "evse_id": "BCU123456",
    "result": {"setting": "true"},
}
CONTRACTS: Json = {
    "contracts": [
        {
            "contract_id": "BCU12345678",
            "contact_email": "someone@example.com",
            "subscription_type": "BASIS",
            "beneficiary_name": "Someone",
            "iban_beneficiary": "NL00TEST0123456789",
        }
    ]
}
GRIDS: Json = {
    "grids": [
        {
            "id": "GRID-BCU123456",
            "smart_charging": True,
            "address": {"street": "Teststraat", "housenumber": "1", "city": "Utrecht"},
        }
    ]
}

# Strings a loose parser might mistake for numbers, dates or booleans.
TRICKY_STRINGS = [
    "",
    " ",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1e400",
    "-1e400",
    "0x10",
    "1_000",
    " 12 ",
    "12,5",
    "١٢",  # Arabic-Indic digits: float() accepts them
    "½",
    "true",
    "TRUE",
    "yes",
    "2",
    "-0",
    "20260230 25:61:61",
    "31-02-2026 10:00:00",
    "2026-13-01",
    "0000-00-00",
    "\x00",
    "\ud800",  # a lone surrogate
    "BCU-APP",
    "BCU_HOME_USE",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=300, max_value=1200).map(lambda digits: -(10**digits))
    | st.integers(min_value=4290, max_value=4400).map(lambda digits: "9" * digits)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(TRICKY_STRINGS)
    | st.text(max_size=20)
)

json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def nested(depth: int, leaf: Json = 1) -> Json:
    """A list or dict nested ``depth`` levels deep, built without recursion."""
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"x": value}
    return value


hostile_values = (
    json_values
    | st.integers(min_value=30, max_value=3000).map(nested)
    | st.sampled_from([[], {}, [None], {"value": None}, {"value": [1]}, "object", 1.5, -1])
)


def paths(value: Json, max_depth: int = 8) -> list[JsonPath]:
    """Every location inside a document down to ``max_depth``, containers included."""
    found: list[JsonPath] = []
    stack: list[tuple[JsonPath, Json]] = [((), value)]
    while stack:
        prefix, item = stack.pop()
        if prefix:
            found.append(prefix)
        if len(prefix) >= max_depth:
            continue
        if isinstance(item, dict):
            stack.extend(((*prefix, key), child) for key, child in item.items())
        elif isinstance(item, list):
            stack.extend(((*prefix, index), child) for index, child in enumerate(item))
    return found


def replace_at(document: Json, path: JsonPath, value: Json) -> Json:
    """A copy of the document with the value at ``path`` replaced.

    Only the containers along the path are copied: the rest may be nested too deep to deep-copy.
    """
    if not path:
        return value
    head, *rest = path
    result = copy.copy(document)
    result[head] = replace_at(document[head], tuple(rest), value)
    return result


def mutations(document: Json) -> st.SearchStrategy[Json]:
    """The document with one to four of its values (or whole sub-objects) made hostile."""
    locations = paths(document)

    @st.composite
    def mutate(draw: st.DrawFn) -> Json:
        result = document
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            path = draw(st.sampled_from(locations))
            try:
                result = replace_at(result, path, draw(hostile_values))
            except (KeyError, IndexError, TypeError):
                continue  # an earlier mutation removed this location
        return result

    return mutate()


def frames_like(document: Json) -> st.SearchStrategy[Json]:
    """Arbitrary JSON, or the document hostile-mutated, or with extra hostile keys."""
    extra = st.dictionaries(st.text(max_size=10), hostile_values, max_size=3)
    with_extra = extra.map(lambda keys: {**keys, **document})
    return json_values | mutations(document) | with_extra


def dumps(value: Json) -> str:
    """Encode like a sloppy server would: NaN and Infinity included."""
    return json.dumps(value, allow_nan=True)


def texts_like(document: Json) -> st.SearchStrategy[str]:
    """Wire text: hostile JSON, truncated JSON, non-JSON, and nesting deep enough to overflow."""
    valid = dumps(document)
    deep = st.integers(min_value=30, max_value=200_000).map(
        lambda depth: "[" * depth + "]" * depth
    ) | st.integers(min_value=30, max_value=50_000).map(
        lambda depth: (
            '{"object": "CH_STATUS", "data": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
        )
    )
    truncated = st.integers(min_value=0, max_value=max(len(valid) - 1, 0)).map(
        lambda cut: valid[:cut]
    )
    return (
        frames_like(document).map(dumps)
        | deep
        | truncated
        | st.text(max_size=50)
        | st.sampled_from(['{"object": "' + "A" * 100_000 + '"}', "1" * 5000, "NaN", "null"])
    )


class HostileCloud:
    """A websocket and REST endpoint that logs any client in and then sends scripted text.

    Before its answer to GET_ACCOUNT it sends every text in ``before_reply`` (a frame no call
    waits for is a push to the client; one named ACCOUNT is taken as the reply). REST requests
    get ``rest`` (status, body).
    """

    def __init__(self) -> None:
        """Nothing listens until ``start()``."""
        self.before_reply: list[str] = []
        self.rest: tuple[int, str] = (200, "{}")
        self.connections = 0
        self.logins = 0
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Root of the server."""
        return f"http://127.0.0.1:{self.port}"

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.connections += 1
        async for message in socket:
            command = json.loads(message.data).get("command")
            if command == "VALIDATE_PASSWORD":
                self.logins += 1
                reply: Json = {"object": "STATUS_PASSWORD", "accepted": True, "token": "tok"}
            elif command == "HELLO":
                reply = {"object": "HELLO"}
            elif command == "GET_ACCOUNT":
                for text in self.before_reply:
                    await socket.send_str(text)
                reply = fixture("account")
            else:
                reply = {"object": "ERROR", "error": 0, "message": "Unknown command"}
            await socket.send_str(json.dumps(reply))
        return socket

    async def _http(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        status, body = self.rest
        return web.Response(status=status, text=body, content_type="application/json")

    async def start(self) -> None:
        """Listen on an ephemeral port."""
        app = web.Application()
        app.router.add_get("/ws", self._ws)
        app.router.add_route("*", "/api/{tail:.*}", self._http)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.base_events.Server)
        self.port = int(server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Close every socket and free the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

"""Answers the simulator never gives, from a tiny scripted server on a real socket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import json
import logging
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.bluecurrent.api import (
    ApiError,
    BlueCurrentClient,
    CannotConnectError,
    ClientSettings,
    ForbiddenError,
    InvalidSessionTokenError,
    MalformedFrameError,
    RequestLimitReachedError,
)
from custom_components.bluecurrent.api.const import USER_AGENT
from custom_components.bluecurrent.api.rest import status_url
from custom_components.bluecurrent.api.transport import Connection, LogOnce

Frame = dict[str, Any]
Script = Callable[[web.WebSocketResponse, Frame], Awaitable[None]]


class EdgeCloud:
    """A websocket and REST endpoint whose answers each test scripts."""

    def __init__(self) -> None:
        self.script: Script | None = None
        self.rest: tuple[int, str] = (200, "{}")
        self.handshake: web.StreamResponse | None = None
        self.handshake_delay = 0.0
        self.headers: list[dict[str, str]] = []
        self.logins = 0
        self.port = 0
        self.runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def ws(self, request: web.Request) -> web.StreamResponse:
        self.headers.append(dict(request.headers))
        if self.handshake_delay:
            await asyncio.sleep(self.handshake_delay)
        if self.handshake is not None:
            return self.handshake
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        async for message in socket:
            frame = json.loads(message.data)
            command = frame["command"]
            if command == "VALIDATE_PASSWORD":
                self.logins += 1
                await socket.send_json(
                    {"object": "STATUS_PASSWORD", "accepted": True, "token": "edge-token"}
                )
            elif command == "HELLO":
                await socket.send_json({"object": "HELLO"})
            elif self.script is not None:
                await self.script(socket, frame)
        return socket

    async def http(self, request: web.Request) -> web.StreamResponse:
        self.headers.append(dict(request.headers))
        status, body = self.rest
        return web.Response(status=status, text=body)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/ws", self.ws)
        app.router.add_route("*", "/api/{tail:.*}", self.http)
        self.runner = web.AppRunner(app, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        assert self.runner is not None
        await self.runner.cleanup()


@pytest.fixture
async def edge(socket_enabled: None) -> AsyncIterator[EdgeCloud]:
    cloud = EdgeCloud()
    await cloud.start()
    yield cloud
    await cloud.stop()


type EdgeFactory = Callable[..., BlueCurrentClient]


@pytest.fixture
async def make_edge_client(
    edge: EdgeCloud, session: aiohttp.ClientSession
) -> AsyncIterator[EdgeFactory]:
    """Clients of the scripted cloud; keywords override credentials or settings fields."""
    clients: list[BlueCurrentClient] = []

    def factory(**tunables: Any) -> BlueCurrentClient:
        credentials = {
            key: tunables.pop(key, default)
            for key, default in (("username", "user"), ("password", "pw"), ("api_token", None))
        }
        settings = ClientSettings(
            **{
                "ws_url": f"ws://127.0.0.1:{edge.port}/ws",
                "api_url": f"{edge.url}/api/v2.0",
                "bce_url": f"{edge.url}/api/bce",
                "request_timeout": 0.3,
                "action_timeout": 0.3,
                "backoff_initial": 0.02,
                "backoff_max": 0.05,
                **tunables,
            }
        )
        client = BlueCurrentClient(session, settings=settings, **credentials)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.close()


@pytest.fixture
def edge_client(make_edge_client: EdgeFactory) -> BlueCurrentClient:
    return make_edge_client()


async def test_user_agent_and_token_headers(
    edge: EdgeCloud, edge_client: BlueCurrentClient
) -> None:
    await edge_client.connect()
    await edge_client.get_contracts()
    await edge_client.unlock_connector("BCU1", socket_id=1)
    ws_headers, rest_headers, bce_headers = edge.headers
    assert ws_headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("bluecurrent-ha/")
    assert rest_headers["User-Agent"] == USER_AGENT
    assert rest_headers["Authorization"] == "Token edge-token"
    assert bce_headers["Authorization"] == "edge-token"


@pytest.mark.parametrize(
    ("status", "body", "error", "logins"),
    [
        (401, "", InvalidSessionTokenError, 2),
        (403, "", ForbiddenError, 1),
        (401, '{"object": "ERROR", "error": 2, "message": "forbidden"}', ForbiddenError, 1),
        (404, "not found", ApiError, 1),
        (200, "<html>", MalformedFrameError, 1),
        (200, "[]", MalformedFrameError, 1),
        (200, "", MalformedFrameError, 1),
        (200, '{"success": false, "error": "nope"}', ApiError, 1),
        (502, "bad gateway", CannotConnectError, 1),
        (429, "", RequestLimitReachedError, 1),
    ],
)
async def test_rest_answers(
    edge: EdgeCloud,
    edge_client: BlueCurrentClient,
    status: int,
    body: str,
    error: type[Exception],
    *,
    logins: int,
) -> None:
    await edge_client.connect()
    edge.rest = (status, body)
    with pytest.raises(error):
        await edge_client.get_grids()
    assert edge.logins == logins


async def test_rest_unreachable(make_edge_client: EdgeFactory) -> None:
    broken = make_edge_client(api_url="http://127.0.0.1:1/api/v2.0")
    with pytest.raises(CannotConnectError, match="connect"):
        await broken.get_contracts()  # never connected: no session token
    await broken.connect()
    with pytest.raises(CannotConnectError, match="failed"):
        await broken.get_contracts()


def test_status_url_derivation() -> None:
    assert status_url("http://x/api/v2.0/") == "http://x/api/v2.1"
    assert status_url("http://x/other") == "http://x/other"


async def test_login_without_token_is_malformed(
    edge: EdgeCloud, make_edge_client: EdgeFactory
) -> None:
    async def token_script(socket: web.WebSocketResponse, frame: Frame) -> None:
        await socket.send_json({"object": "STATUS_API_TOKEN", "success": True})

    edge.script = token_script
    with pytest.raises(MalformedFrameError, match="session token"):
        await make_edge_client(username=None, password=None, api_token="api").connect()


async def test_handshake_refused(edge: EdgeCloud, make_edge_client: EdgeFactory) -> None:
    edge.handshake = web.Response(status=429)
    with pytest.raises(RequestLimitReachedError):
        await make_edge_client().connect()
    edge.handshake = web.Response(status=403, headers={"x-websocket-reject-reason": "nope"})
    with pytest.raises(CannotConnectError, match="403"):
        await make_edge_client().connect()


async def test_handshake_timeout(edge: EdgeCloud, edge_client: BlueCurrentClient) -> None:
    edge.handshake_delay = 1.0
    with pytest.raises(CannotConnectError, match="Timed out"):
        await edge_client.connect()


async def test_odd_frames_are_skipped(
    edge: EdgeCloud, edge_client: BlueCurrentClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.bluecurrent.api")

    async def script(socket: web.WebSocketResponse, frame: Frame) -> None:
        await socket.send_bytes(b"\x00binary")
        await socket.send_json({"object": "ERROR", "error": 0, "flow_id": "someone-else"})
        await socket.send_json({"object": "STATUS_PASSWORD", "accepted": True, "token": "x"})
        await socket.send_json({"object": "HELLO"})
        await socket.send_json({"object": "GRID_STATUS", "data": {"grid_actual_p1": 4}})
        await socket.send_json(
            {"object": "CH_SETTINGS", "evse_id": "OTHER", "data": {"plug_and_charge": True}}
        )
        await socket.send_json(
            {"object": "CH_SETTINGS", "evse_id": frame["evse_id"], "data": {"name": "Mine"}}
        )
        await socket.send_json({"object": "ERROR", "error": 9, "message": "late"})

    edge.script = script
    events: list[object] = []
    await edge_client.connect()
    edge_client.subscribe(events.append)
    settings = await edge_client.get_charge_point_settings("MINE")
    assert (settings.evse_id, settings.name) == ("MINE", "Mine")
    await asyncio.sleep(0.05)
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["GridEvent", "SettingsEvent"]  # STATUS_PASSWORD is never an event
    assert "binary" in caplog.text
    assert "ERROR frame that no call is waiting for" in caplog.text
    assert "x" not in [getattr(e, "token", None) for e in events]


async def test_error_frame_goes_to_oldest_call(
    edge: EdgeCloud, edge_client: BlueCurrentClient
) -> None:
    async def script(socket: web.WebSocketResponse, frame: Frame) -> None:
        if frame["command"] == "GET_ACCOUNT":
            await asyncio.sleep(0.05)
            await socket.send_json({"object": "ERROR", "error": 7, "message": "first"})
            await socket.send_json({"object": "ERROR", "error": 8, "message": "second"})

    edge.script = script
    await edge_client.connect()
    first, second = await asyncio.gather(
        edge_client.get_account(), edge_client.get_account(), return_exceptions=True
    )
    assert isinstance(first, ApiError)
    assert isinstance(second, ApiError)
    assert (first.code, second.code) == (7, 8)


async def test_relogin_window_expires(edge: EdgeCloud, make_edge_client: EdgeFactory) -> None:
    answers = iter([1, 0, 1, 0])

    async def script(socket: web.WebSocketResponse, frame: Frame) -> None:
        if next(answers):
            await socket.send_json({"object": "ERROR", "error": 1, "message": "Invalid Auth Token"})
        else:
            await socket.send_json({"object": "SUSTAINABILITY_STATUS", "trees": 1, "co2": 2})

    edge.script = script
    edge_client = make_edge_client(max_relogins=1, relogin_window=0.0)
    await edge_client.connect()
    for _ in range(2):
        assert (await edge_client.get_sustainability_status()).trees == 1
    assert edge.logins == 3


async def test_closed_connection_refuses_work(
    edge: EdgeCloud, session: aiohttp.ClientSession
) -> None:
    socket = await session.ws_connect(f"ws://127.0.0.1:{edge.port}/ws")
    conn = Connection(socket, lambda name, frame: None, LogOnce())
    await conn.close()
    assert conn.closed
    with pytest.raises(CannotConnectError):
        conn.register(("HELLO",))
    with pytest.raises(CannotConnectError):
        await conn.send({"command": "HELLO"})


async def test_close_during_connect(edge: EdgeCloud, edge_client: BlueCurrentClient) -> None:
    connecting = asyncio.ensure_future(edge_client.connect())
    await asyncio.sleep(0)
    await edge_client.close()
    with pytest.raises(CannotConnectError, match="closed"):
        await connecting
    assert not edge_client.connected

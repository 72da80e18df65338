"""Helpers for talking to the simulator with a raw aiohttp client."""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
from typing import Any

import aiohttp
import pytest

from simulator import Simulator


class RawClient:
    """A bare websocket client: send commands, read frames, nothing clever."""

    def __init__(self, sim: Simulator, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.sim = sim
        self.ws = ws
        self.token: str | None = None

    async def send(self, command: str, *, auth: bool = True, **fields: Any) -> None:
        message: dict[str, Any] = {"command": command, **fields}
        if auth and self.token is not None:
            message["Authorization"] = f"Token {self.token}"
        await self.ws.send_str(json.dumps(message))

    async def recv(self, wait: float = 2.0) -> dict[str, Any]:
        return json.loads(await self.ws.receive_str(timeout=wait))

    async def recv_text(self, wait: float = 2.0) -> str:
        return await self.ws.receive_str(timeout=wait)

    async def until(self, obj: str, wait: float = 2.0) -> dict[str, Any]:
        while True:
            frame = await self.recv(wait)
            if frame.get("object") == obj:
                return frame

    async def request(self, command: str, **fields: Any) -> dict[str, Any]:
        await self.send(command, **fields)
        return await self.recv()

    async def login(self, *, hello: bool = True) -> None:
        await self.send("VALIDATE_API_TOKEN", auth=False, token=self.sim.api_token)
        reply = await self.recv()
        assert reply["success"] is True
        self.token = reply["token"]
        if hello:
            assert await self.request("HELLO") == {"object": "HELLO"}


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def client(simulator: Simulator, http: aiohttp.ClientSession) -> AsyncIterator[RawClient]:
    """A logged-in websocket that said HELLO."""
    async with http.ws_connect(simulator.haserver_url) as ws:
        raw = RawClient(simulator, ws)
        await raw.login()
        yield raw


@pytest.fixture
async def token(client: RawClient) -> str:
    assert client.token is not None
    return client.token

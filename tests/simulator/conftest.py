"""Helpers for talking to the simulator: a raw aiohttp client, and bluecurrent-api connected."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
import json
from typing import Any

import aiohttp
from bluecurrent_api import Client
import bluecurrent_api.websocket as bca_websocket
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


class Receiver:
    """Collects what the library hands to its receiver callback."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.seen: list[dict[str, Any]] = []

    async def __call__(self, message: dict[str, Any]) -> None:
        self.seen.append(message)
        await self.queue.put(message)

    async def next(self, obj: str, evse_id: str | None = None) -> dict[str, Any]:
        async with asyncio.timeout(3):
            while True:
                message = await self.queue.get()
                if message["object"] == obj and (
                    evse_id is None
                    or message.get("evse_id", message["data"].get("evse_id")) == evse_id
                ):
                    return message


@pytest.fixture
def bca(simulator: Simulator, monkeypatch: pytest.MonkeyPatch) -> Client:
    monkeypatch.setattr(bca_websocket, "URL", simulator.haserver_url)
    return Client()


@pytest.fixture
async def connected(bca: Client) -> AsyncIterator[tuple[Client, Receiver]]:
    """Validated, connected, and past the HA start-up sequence."""
    receiver = Receiver()
    await bca.validate_api_token("demo-api-token")

    async def on_open() -> None:
        await bca.get_charge_points()

    task = asyncio.create_task(bca.connect(receiver, on_open))
    try:
        async with asyncio.timeout(3):
            await bca.wait_for_charge_points()
        yield bca, receiver
    finally:
        if bca.is_connected():
            await bca.disconnect()
        done, _ = await asyncio.wait({task}, timeout=3)
        if not done:
            task.cancel()
            await asyncio.wait({task})

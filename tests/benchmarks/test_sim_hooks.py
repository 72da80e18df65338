"""The simulator additions the benchmark relies on: the frame-sent hook and the ping counter."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from simulator import Simulator
from simulator.server import Connection


async def _login(ws: aiohttp.ClientWebSocketResponse, sim: Simulator) -> str:
    await ws.send_str(json.dumps({"command": "VALIDATE_API_TOKEN", "token": sim.api_token}))
    token = str((await ws.receive_json(timeout=2))["token"])
    await ws.send_str(json.dumps({"command": "HELLO", "Authorization": f"Token {token}"}))
    assert await ws.receive_json(timeout=2) == {"object": "HELLO"}
    return token


async def test_frame_hook_sees_every_sent_frame_with_its_send_time(simulator: Simulator) -> None:
    seen: list[tuple[str, dict[str, Any], float]] = []

    def hook(conn: Connection, frame: dict[str, Any], sent_at: float) -> None:
        seen.append((conn.path, frame, sent_at))

    simulator.on_frame_sent = hook
    async with aiohttp.ClientSession() as http, http.ws_connect(simulator.haserver_url) as ws:
        await _login(ws, simulator)
        before = time.perf_counter()
        await simulator.set_online("BCU100001", False)
        pushed = await ws.receive_json(timeout=2)
        received = time.perf_counter()
    assert pushed["object"] == "CH_STATUS"
    assert [frame["object"] for _, frame, _ in seen] == ["STATUS_API_TOKEN", "HELLO", "CH_STATUS"]
    path, frame, sent_at = seen[-1]
    assert path == "/haserver"
    assert frame == pushed
    assert before <= sent_at <= received
    assert simulator.stats.frames_sent == 3


async def test_frame_hook_skips_injected_broken_frames(simulator: Simulator) -> None:
    seen: list[str] = []
    simulator.on_frame_sent = lambda conn, frame, sent_at: seen.append(frame["object"])
    async with aiohttp.ClientSession() as http, http.ws_connect(simulator.haserver_url) as ws:
        await _login(ws, simulator)
        simulator.faults.unknown_frames = 1
        await ws.send_str(json.dumps({"command": "NO_SUCH_COMMAND"}))
        assert (await ws.receive_json(timeout=2))["object"] == "SOMETHING_NEW"
        assert (await ws.receive_json(timeout=2))["object"] == "ERROR"
    assert seen == ["STATUS_API_TOKEN", "HELLO", "ERROR"]
    assert simulator.stats.frames_sent == 4


async def test_pings_are_counted_and_answered(simulator: Simulator) -> None:
    async with (
        aiohttp.ClientSession() as http,
        # autoping off, so that receive() hands us the pongs instead of swallowing them.
        http.ws_connect(simulator.haserver_url, autoping=False) as ws,
    ):
        await _login(ws, simulator)
        for _ in range(3):
            await ws.ping(b"are you there")
            async with asyncio.timeout(2):
                while True:
                    message = await ws.receive()
                    if message.type is aiohttp.WSMsgType.PONG:
                        assert message.data == b"are you there"
                        break
    assert simulator.stats.pings == 3
    simulator.stats.reset()
    assert simulator.stats.pings == 0

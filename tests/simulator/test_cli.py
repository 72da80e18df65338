"""`python -m simulator` serves until SIGINT and then exits cleanly."""

from __future__ import annotations

import asyncio
import re
import signal
import sys

import aiohttp


async def test_cli_serves_and_stops_on_sigint(socket_enabled: None) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--port",
        "0",
        "--charge-points",
        "2",
        "--api-token",
        "cli-token",
        "--grids",
        "2",
        "--history",
        "40",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        lines = []
        async with asyncio.timeout(10):
            while len(lines) < 8:
                lines.append((await process.stdout.readline()).decode())
        output = "".join(lines)
        base = re.search(r"ready at (http://127\.0\.0\.1:\d+)", output)
        assert base is not None
        assert f"{base.group(1).replace('http', 'ws')}/haserver" in output
        assert "BCU100001, BCU100002" in output
        assert "GRID-BCU100001, GRID-BCU100002" in output
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(base.group(1).replace("http", "ws") + "/haserver") as ws,
        ):
            await ws.send_json({"command": "VALIDATE_API_TOKEN", "token": "cli-token"})
            reply = await ws.receive_json(timeout=2)
            assert reply["success"] is True
            async with http.post(
                f"{base.group(1)}/app/bc_api/api/v2.0/gettransactions",
                data='{"chargepoints": [{"chargepoint_id": "BCU100001"}]}',
                headers={"Authorization": f"Token {reply['token']}"},
            ) as response:
                assert (await response.json())["data"]["total_transactions"] == 30 + 40
        process.send_signal(signal.SIGINT)
        async with asyncio.timeout(10):
            assert await process.wait() == 0
        rest = (await process.stdout.read()).decode()
        assert "Simulator stopped" in rest
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

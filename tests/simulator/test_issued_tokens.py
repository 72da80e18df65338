"""``sim.issued_tokens``: every session token handed out, kept after it expired."""

from __future__ import annotations

import aiohttp

from simulator import Simulator

from .conftest import RawClient


async def test_issued_tokens_survive_expiry(
    simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    assert simulator.issued_tokens == []
    async with http.ws_connect(simulator.haserver_url) as ws:
        raw = RawClient(simulator, ws)
        await raw.login()
        first = raw.token
        simulator.expire_tokens()
        assert (await raw.request("GET_ACCOUNT"))["error"] == 1
        await raw.login()
        second = raw.token
        await raw.send("VALIDATE_PASSWORD", auth=False, username="x@example.com", password="no")
        assert (await raw.recv())["accepted"] is False  # a refused login issues nothing
    assert first is not None
    assert second not in (None, first)
    assert simulator.issued_tokens == [first, second]
    assert simulator.stats.logins == 2
    assert not simulator.token_valid(first)
    assert simulator.token_valid(second)

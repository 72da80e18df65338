"""REST routes and their faults, with a raw aiohttp HTTP client."""

from __future__ import annotations

import aiohttp
import pytest

from simulator import Simulator
from tests.simulator.conftest import RawClient

FIRST, SECOND = "BCU100001", "BCU100002"


def bc(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}"}


async def test_auth(simulator: Simulator, http: aiohttp.ClientSession, token: str) -> None:
    url = f"{simulator.api_url}/getcontracts"
    for headers in ({}, {"Authorization": token}, bc("wrong")):
        async with http.get(url, headers=headers) as response:
            assert response.status == 401
            assert await response.json() == {
                "object": "ERROR",
                "error": 1,
                "message": "Invalid Auth Token",
            }
    async with http.get(url, headers=bc(token)) as response:
        assert response.status == 200
        assert (await response.json())["contracts"][0]["subscription_type"] == "BASIS"
    # bce wants the bare token.
    action = f"{simulator.bce_url}/chargepoints/actions/unlockconnector"
    body = {"chargepoint_id": FIRST, "socket_id": 1, "flow_id": "flow"}
    async with http.post(action, json=body, headers=bc(token)) as response:
        assert response.status == 401
    simulator.expire_tokens()
    async with http.get(url, headers=bc(token)) as response:
        assert response.status == 401


async def test_status_endpoints(
    simulator: Simulator, http: aiohttp.ClientSession, token: str
) -> None:
    async with http.get(
        f"{simulator.api_v21_url}/chargepointstatus", params={"evse_id": SECOND}, headers=bc(token)
    ) as response:
        body = await response.json()
    assert body["object"] == "CH_STATUS"
    assert body["socket_id"] is None
    assert body["socket_ids"] == [1, 2]
    assert [item["socket_id"] for item in body["items"]] == [1, 2]
    async with http.get(
        f"{simulator.api_v21_url}/chargepointstatus",
        params={"evse_id": SECOND, "socket_id": "2"},
        headers=bc(token),
    ) as response:
        assert [item["socket_id"] for item in (await response.json())["items"]] == [2]
    async with http.get(
        f"{simulator.api_v21_url}/chargepointstatus",
        params={"evse_id": SECOND, "socket_id": "3"},
        headers=bc(token),
    ) as response:
        assert response.status == 400
    async with http.get(
        f"{simulator.api_url}/chargepointstatus", params={"evse_id": FIRST}, headers=bc(token)
    ) as response:
        assert (await response.json())["data"]["activity"] == "charging"
    simulator.faults.forbid_evse.add(FIRST)
    async with http.get(
        f"{simulator.api_url}/chargepointstatus", params={"evse_id": FIRST}, headers=bc(token)
    ) as response:
        assert response.status == 401
        assert await response.json() == {"object": "ERROR", "error": 2, "message": "forbidden"}


async def transactions(
    sim: Simulator, http: aiohttp.ClientSession, token: str, query: str, body: str
) -> tuple[int, dict]:
    async with http.post(
        f"{sim.api_url}/gettransactions?{query}", data=body, headers=bc(token)
    ) as response:
        return response.status, await response.json()


async def test_transaction_paging(
    simulator: Simulator, http: aiohttp.ClientSession, token: str
) -> None:
    body = '{"chargepoints": [{"chargepoint_id": "BCU100001"}]}'
    status, first = await transactions(simulator, http, token, "page=1&sort_field_order=ASC", body)
    assert status == 200
    page = first["data"]
    assert (page["total_pages"], page["next_page"], len(page["transactions"])) == (2, 2, 25)
    ids = [t["transaction_id"] for t in page["transactions"]]
    assert ids == sorted(ids)
    _, second = await transactions(simulator, http, token, "page=2&sort_field_order=ASC", body)
    assert second["data"]["next_page"] is None
    assert len(second["data"]["transactions"]) == 5
    _, beyond = await transactions(simulator, http, token, "page=9", body)
    assert beyond["data"]["transactions"] == []
    item = page["transactions"][0]
    assert len(item["started_at"]) == len("01-07-2026 08:00:00")

    # Seed-deterministic.
    again = Simulator(charge_points=2, seed=1, charging=1)
    assert [t.kwh for t in again.charge_point(FIRST).transactions] == [
        t.kwh for t in simulator.charge_point(FIRST).transactions
    ]

    # All charge points when none are named; dates filter on the stop day (unpadded accepted).
    _, everything = await transactions(simulator, http, token, "page=1", "")
    total = sum(len(cp.transactions) for cp in simulator.account.charge_points.values())
    assert everything["data"]["total_transactions"] == total
    day = simulator.charge_point(FIRST).transactions[-1].end_time.date()
    query = f"start_date={day.day}-{day.month}-{day.year}&end_date={day:%d-%m-%Y}"
    _, window = await transactions(simulator, http, token, query, body)
    assert 1 <= window["data"]["total_transactions"] < 30

    for bad_query, bad_body in (
        ("page=0", body),
        ("page=x", body),
        ("sort_field_order=UP", body),
        ("start_date=2026-01-01", body),
        ("page=1", "[]"),
        ("page=1", "{"),
    ):
        status, _ = await transactions(simulator, http, token, bad_query, bad_body)
        assert status == 400
    status, _ = await transactions(
        simulator, http, token, "page=1", '{"chargepoints": [{"chargepoint_id": "BCU1"}]}'
    )
    assert status == 401


async def test_bce_set_operative_pushes_verdict(
    simulator: Simulator, http: aiohttp.ClientSession, client: RawClient, token: str
) -> None:
    url = f"{simulator.bce_url}/chargepoints/actions/setinoperative"
    body = {"chargepoint_id": SECOND, "socket_id": 2, "flow_id": "f-1"}
    async with http.post(url, json=body, headers={"Authorization": token}) as response:
        assert response.status == 200
    verdict = await client.until("STATUS_SET_INOPERATIVE")
    assert (verdict["success"], verdict["flow_id"], verdict["evse_id"]) == (True, "f-1", SECOND)
    assert (await client.until("CH_STATUS"))["data"]["activity"] == "unavailable"

    simulator.faults.action_result = "rejected"
    url = f"{simulator.bce_url}/chargepoints/actions/setoperative"
    async with http.post(url, json={**body, "flow_id": "f-2"}, headers={"Authorization": token}):
        pass
    verdict = await client.until("STATUS_SET_OPERATIVE")
    assert (verdict["success"], verdict["error"]) == (False, "REJECTED")
    assert simulator.charge_point(SECOND).enabled is False

    simulator.faults.action_result = "success"
    simulator.charge_point(SECOND).online = False
    async with http.post(url, json={**body, "flow_id": "f-3"}, headers={"Authorization": token}):
        pass
    assert (await client.until("STATUS_SET_OPERATIVE"))["error"] == "TIMEOUT"

    async with http.post(
        url, json={**body, "socket_id": 5}, headers={"Authorization": token}
    ) as response:
        assert response.status == 400
    async with http.post(
        f"{simulator.bce_url}/chargepoints/actions/explode",
        json=body,
        headers={"Authorization": token},
    ) as response:
        assert response.status == 404


async def test_unlock_verdicts(
    simulator: Simulator, http: aiohttp.ClientSession, token: str
) -> None:
    url = f"{simulator.bce_url}/chargepoints/actions/unlockconnector"
    body = {"chargepoint_id": FIRST, "socket_id": 1, "flow_id": "flow"}
    headers = {"Authorization": token}
    async with http.post(url, json=body, headers=headers) as response:
        assert response.status == 200
        assert await response.read() == b""
    simulator.faults.action_result = "rejected"
    async with http.post(url, json=body, headers=headers) as response:
        assert await response.json() == {"success": False, "error": "REJECTED"}
    simulator.faults.action_result = "timeout"
    async with http.post(url, json=body, headers=headers) as response:
        assert response.status == 504
    assert simulator.charge_point(FIRST).unlocks == 1


async def test_smart_routes(simulator: Simulator, http: aiohttp.ClientSession, token: str) -> None:
    async def post(path: str, body: dict) -> dict:
        async with http.post(f"{simulator.api_url}/{path}", json=body, headers=bc(token)) as r:
            assert r.status == 200
            return await r.json()

    assert (await post("overridedelayedchargingtimeout", {"evse_id": FIRST}))["success"] is False
    assert (await post("setcapacitytariff", {"evse_id": FIRST, "value": True}))["success"] is False
    answer = await post(
        "setcapacitytariff", {"evse_id": FIRST, "value": True, "capacitytariffmaxkwh": 3}
    )
    assert answer["success"] is True
    assert simulator.charge_point(FIRST).capacity_tariff.max_kwh == 3.0
    assert (await post("setdelayedcharging", {"evse_id": FIRST, "value": "on"}))["success"] is False
    simulator.charge_point(FIRST).permissions["price_based_charging"] = "none"
    assert (await post("setpricebasedcharging", {"evse_id": FIRST, "value": True}))["error"] == (
        f"not allowed for chargepoint: {FIRST}"
    )


async def test_rest_faults(simulator: Simulator, http: aiohttp.ClientSession, token: str) -> None:
    url = f"{simulator.api_url}/getgrids"
    simulator.faults.rest_errors = 2
    for _ in range(2):
        async with http.get(url, headers=bc(token)) as response:
            assert response.status == 503
    async with http.get(url, headers=bc(token)) as response:
        assert response.status == 200
    simulator.faults.request_limit = True
    async with http.get(url, headers=bc(token)) as response:
        assert response.status == 429
        assert (await response.json())["error"] == 42
    simulator.faults.request_limit = False
    simulator.faults.reply_delay = 0.1
    loop = __import__("asyncio").get_running_loop()
    started = loop.time()
    async with http.get(url, headers=bc(token)) as response:
        assert response.status == 200
    assert loop.time() - started >= 0.1
    assert simulator.stats.rest_requests["GET /app/bc_api/api/v2.0/getgrids"] == 5


async def test_websocket_path_needs_upgrade(
    simulator: Simulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(simulator.haserver_url.replace("ws://", "http://")) as response:
        assert response.status == 400


@pytest.mark.parametrize("path", ["gethomeautomationkey", "getgrids"])
async def test_get_routes_count(
    simulator: Simulator, http: aiohttp.ClientSession, token: str, path: str
) -> None:
    simulator.stats.reset()
    async with http.get(f"{simulator.api_url}/{path}", headers=bc(token)) as response:
        assert response.status == 200
    assert simulator.stats.rest_requests == {f"GET /app/bc_api/api/v2.0/{path}": 1}

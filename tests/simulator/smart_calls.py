"""Send one smart-charging command over the websocket or REST, and read the verdict alike."""

from __future__ import annotations

import copy
from typing import Any

import aiohttp

from simulator import ChargePointState, Simulator
from tests.simulator.conftest import RawClient

# name -> (websocket command, REST path); capacity tariff exists on REST only.
COMMANDS: dict[str, tuple[str | None, str]] = {
    "delayed": ("SET_DELAYED_CHARGING", "setdelayedcharging"),
    "schedule": ("SAVE_SCHEDULE_DELAYED_CHARGING", "savescheduledelayedcharging"),
    "price": ("SET_PRICE_BASED_CHARGING", "setpricebasedcharging"),
    "price_settings": ("PATCH_PRICE_BASED_CHARGING_SETTINGS", "setpricebasedsettings"),
    "capacity": (None, "setcapacitytariff"),
    "boost_price": ("OVERRIDE_CHARGING_PROFILES", "overridechargingprofiles"),
    "boost_delayed": ("OVERRIDE_DELAYED_CHARGING_TIMEOUT", "overridedelayedchargingtimeout"),
}
# A valid body for each command (boosts need the profile on and a session).
VALID: dict[str, dict[str, Any]] = {
    "delayed": {"value": True},
    "schedule": {"days": "[1,2,3]", "start_time": "22:00", "end_time": "06:00"},
    "price": {"value": True},
    "price_settings": {"expected_departure_time": "07:30", "expected_kwh": 30, "minimum_kwh": 5},
    "capacity": {"value": True, "capacitytariffmaxkwh": 4.5},
    "boost_price": {"value": True},
    "boost_delayed": {"value": True},
}


def snapshot(cp: ChargePointState) -> tuple[Any, ...]:
    """Everything a smart-charging command may change."""
    boosting = (cp.session.boosting, cp.session.boosted_profile) if cp.session else None
    return copy.deepcopy(
        (cp.delayed_charging, cp.price_based_charging, cp.capacity_tariff, boosting)
    )


class SmartCaller:
    """Calls a command by name over `transport` ("ws" or "rest") and returns the verdict body.

    A command the websocket lacks (the capacity tariff) goes over REST either way.
    """

    def __init__(
        self, transport: str, client: RawClient, http: aiohttp.ClientSession, sim: Simulator
    ) -> None:
        self.transport = transport
        self.client = client
        self.http = http
        self.sim = sim

    async def __call__(self, name: str, evse_id: str, **body: Any) -> dict[str, Any]:
        command, path = COMMANDS[name]
        if self.transport == "ws" and command is not None:
            await self.client.send(command, evse_id=evse_id, **body)
            reply = await self.client.until(f"STATUS_{command}")
            assert reply["evse_id"] == evse_id
            return {"success": reply["success"], "error": reply["error"]}
        if path == "overridechargingprofiles" and "value" in body:
            body = {"boost": body.pop("value"), **body}
        elif path == "overridedelayedchargingtimeout":
            body.pop("value", None)
        async with self.http.post(
            f"{self.sim.api_url}/{path}",
            json={"evse_id": evse_id, **body},
            headers={"Authorization": f"Token {self.client.token}"},
        ) as response:
            assert response.status == 200, response.status
            answer: dict[str, Any] = await response.json()
        return {"success": answer["success"], "error": answer.get("error", "")}

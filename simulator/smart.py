"""Smart-charging rules shared by the websocket (§3.4) and REST (§5) commands.

A command is first checked completely (permission, every field); only then may it be applied,
so a refused command changes nothing. Delayed and price-based charging exclude each other; a
boost overrides the active profile for the running session and ends with it or with the profile.
"""

from __future__ import annotations

from collections.abc import Callable
import json
import math
from typing import Any

from .overrides import parse_hhmm
from .state import ChargePointState

Json = dict[str, Any]
# Applies a checked change; True when the charge point's status changed too (a boost).
Change = Callable[[], bool]
Planner = Callable[[ChargePointState, Json], Change | str]

PERMISSIONS = {
    "delayed": "delayed_charging",
    "schedule": "delayed_charging",
    "price": "price_based_charging",
    "price_settings": "price_based_charging",
    "capacity": "capacity_tariff",
    "boost_price": "price_based_charging",
    "boost_delayed": "delayed_charging",
}
_PRICE_NUMBERS = (
    "expected_kwh",
    "minimum_kwh",
    "battery_size_kwh",
    "current_battery_pct",
    "minimum_pct",
)
_PRICE_FIELDS = ("expected_departure_time", *_PRICE_NUMBERS)


def plan(cp: ChargePointState, name: str, body: Json) -> Change | str:
    """Check a smart-charging command; return how to apply it, or why it is refused."""
    if cp.permissions.get(PERMISSIONS[name]) != "write":
        return f"not allowed for chargepoint: {cp.evse_id}"
    return _PLANNERS[name](cp, body)


def _number(value: Any) -> float | None:
    """Read a finite JSON number (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _switch(cp: ChargePointState, profile: str, value: bool) -> bool:
    """Turn a profile on or off; switching it off ends its boost (True if that happened)."""
    target = cp.delayed_charging if profile == "delayed" else cp.price_based_charging
    target.value = value
    session = cp.session
    if not value and session is not None and session.boosted_profile == profile:
        session.boosting = False
        session.boosted_profile = None
        return True
    return False


def _profile(profile: str, other: str) -> Planner:
    def planner(cp: ChargePointState, body: Json) -> Change | str:
        value = body.get("value")
        if not isinstance(value, bool):
            return "invalid value"

        def apply() -> bool:
            ended = _switch(cp, other, False) if value else False
            return _switch(cp, profile, value) or ended

        return apply

    return planner


def _schedule(cp: ChargePointState, body: Json) -> Change | str:
    raw = body.get("days")
    try:
        days = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        days = None
    if (
        not isinstance(days, list)
        or not days
        or not all(type(day) is int and 1 <= day <= 7 for day in days)
    ):
        return 'invalid days, expected a JSON list of 1..7 such as "[1,2,3]"'
    start, end = parse_hhmm(body.get("start_time")), parse_hhmm(body.get("end_time"))
    if start is None or end is None:
        return "invalid time, expected HH:MM"

    def apply() -> bool:
        cp.delayed_charging.days = sorted(set(days))
        cp.delayed_charging.start_time = start
        cp.delayed_charging.end_time = end
        return False

    return apply


def _price_settings(cp: ChargePointState, body: Json) -> Change | str:
    given = {key: body[key] for key in _PRICE_FIELDS if body.get(key) is not None}
    if not given:
        return "no price-based settings given"
    settings = cp.price_based_charging
    leave = settings.expected_leave_time
    if "expected_departure_time" in given:
        parsed = parse_hhmm(given.pop("expected_departure_time"))
        if parsed is None:
            return "invalid expected_departure_time, expected HH:MM"
        leave = parsed
    numbers: dict[str, float] = {}
    for key, raw in given.items():
        number = _number(raw)
        if number is None or number < 0:
            return f"{key} must be a finite number >= 0"
        if key.endswith("_pct") and number > 100:
            return f"{key} must be between 0 and 100"
        numbers[key] = number
    if numbers.get("battery_size_kwh") == 0:
        return "battery_size_kwh must be more than 0"
    expected = numbers.get("expected_kwh", settings.expected_kwh)
    minimum = numbers.get("minimum_kwh", settings.minimum_kwh)
    if minimum > expected:
        return "minimum_kwh must not exceed expected_kwh"

    def apply() -> bool:
        settings.expected_leave_time = leave
        for key, number in numbers.items():
            setattr(settings, key, number)
        return False

    return apply


def _capacity(cp: ChargePointState, body: Json) -> Change | str:
    value = body.get("value")
    if not isinstance(value, bool):
        return "invalid value"
    limit = _number(body.get("capacitytariffmaxkwh"))
    if value and (limit is None or not 0.01 <= limit <= 80):
        return "capacitytariffmaxkwh must be between 0.01 and 80"

    def apply() -> bool:
        cp.capacity_tariff.value = value
        cp.capacity_tariff.max_kwh = limit if value else None
        return False

    return apply


def _boost(profile: str) -> Planner:
    def planner(cp: ChargePointState, body: Json) -> Change | str:
        # Websocket: `value`; REST price-based: `boost`; REST delayed: nothing (= boost).
        value = body.get("value", body.get("boost", True))
        if not isinstance(value, bool):
            return "invalid value"
        active = cp.price_based_charging if profile == "price" else cp.delayed_charging
        if not active.value:
            return "no active smart charging profile"
        session = cp.session
        if session is None:
            return f"no active session for chargepoint: {cp.evse_id}"

        def apply() -> bool:
            session.boosting = value
            session.boosted_profile = profile if value else None
            return True

        return apply

    return planner


_PLANNERS: dict[str, Planner] = {
    "delayed": _profile("delayed", "price"),
    "schedule": _schedule,
    "price": _profile("price", "delayed"),
    "price_settings": _price_settings,
    "capacity": _capacity,
    "boost_price": _boost("price"),
    "boost_delayed": _boost("delayed"),
}

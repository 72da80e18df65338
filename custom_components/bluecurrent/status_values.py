"""Values derived from a socket's status, shared by the sensors and binary sensors."""

from __future__ import annotations

from collections.abc import Sequence

from .api import ChargePointStatus
from .views import mean

# The cloud says "unavailable" for a blocked charge point; Home Assistant reserves that word for
# an entity it cannot read, so the sensor calls it "disabled".
ACTIVITIES = ["available", "charging", "disabled", "error", "offline"]
_ACTIVITY_STATES = {"unavailable": "disabled"}
# Which activity a charge point with several sockets shows: the first one any socket has.
_ACTIVITY_PRIORITY = ("charging", "error", "available", "disabled", "offline")
VEHICLE_STATUSES = {
    "A": "standby",
    "B": "vehicle_detected",
    "C": "ready",
    "D": "ready",
    "E": "no_power",
    "F": "vehicle_error",
}
VEHICLE_STATES = sorted(set(VEHICLE_STATUSES.values()))
# IEC 61851 states with a vehicle on the cable: detected, ready, ready with ventilation.
_CONNECTED = frozenset({"B", "C", "D"})


def currents(s: ChargePointStatus) -> list[float | None]:
    """Return the current per phase in A."""
    return [s.actual_p1, s.actual_p2, s.actual_p3]


def voltages(s: ChargePointStatus) -> list[float | None]:
    """Return the voltage per phase in V."""
    return [s.actual_v1, s.actual_v2, s.actual_v3]


def mean_of(values: list[float | None]) -> float | None:
    """Mean of the phases in use; None when the status has none of them."""
    if all(v is None for v in values):
        return None
    return mean([v for v in values if v is not None])


def power_kw(s: ChargePointStatus) -> float | None:
    """Power as the sum over phases of current times voltage, right for 1 and 3 phases."""
    pairs = list(zip(currents(s), voltages(s), strict=True))
    if all(i is None or v is None for i, v in pairs):
        return None
    return round(sum((i or 0.0) * (v or 0.0) for i, v in pairs) / 1000, 2)


def remaining_current(smart_charging: bool | None, s: ChargePointStatus | None) -> float | None:
    """Return the current the socket may still draw under its active limit."""
    if s is None:
        return None
    limit = s.smartcharging_max_usage if smart_charging else s.max_usage
    used = mean_of(currents(s))
    if limit is None or used is None:
        return None
    return round(max(limit - used, 0.0), 1)


def activity(s: ChargePointStatus) -> str | None:
    """Return the socket's activity in the sensor's words."""
    value = _ACTIVITY_STATES.get(s.activity or "", s.activity)
    return value if value in ACTIVITIES else None


def combined_activity(values: Sequence[str]) -> str | None:
    """Combine the sockets' activities: charging when any socket charges, and so on."""
    return next((a for a in _ACTIVITY_PRIORITY if a in values), None)


def vehicle_state(s: ChargePointStatus) -> str | None:
    """Return the vehicle status letter in words."""
    return VEHICLE_STATUSES.get(s.vehicle_status or "")


def vehicle_connected(s: ChargePointStatus) -> bool | None:
    """Whether a vehicle is on the socket's cable; None when the status does not say."""
    if s.vehicle_status not in VEHICLE_STATUSES:
        return None
    return s.vehicle_status in _CONNECTED


def charging(s: ChargePointStatus) -> bool | None:
    """Whether the socket charges."""
    return None if s.activity is None else s.activity == "charging"

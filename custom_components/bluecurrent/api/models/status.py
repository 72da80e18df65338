"""Live readings: the status of a charge point's sockets and the currents of its grid connection."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..errors import MalformedFrameError
from .convert import Fields, guard


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargePointStatus:
    """Live status of one socket: currents in A, voltages in V, energy in kWh, cost in currency."""

    evse_id: str
    socket_id: int | None = None
    activity: str | None = None
    vehicle_status: str | None = None
    actual_p1: float | None = None
    actual_p2: float | None = None
    actual_p3: float | None = None
    actual_v1: float | None = None
    actual_v2: float | None = None
    actual_v3: float | None = None
    actual_kwh: float | None = None
    max_usage: float | None = None
    smartcharging_max_usage: float | None = None
    max_offline: float | None = None
    offline_since: datetime | None = None
    start_datetime: datetime | None = None
    stop_datetime: datetime | None = None
    total_cost: float | None = None
    boosting: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class GridStatus:
    """Grid connection currents in A; the maxima are None in a GRID_CURRENT push."""

    id: str | None = None
    grid_actual_p1: float | None = None
    grid_actual_p2: float | None = None
    grid_actual_p3: float | None = None
    grid_max_install: float | None = None
    grid_max_reserved: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@guard
def parse_charge_point_status(data: object, evse_id: str | None = None) -> ChargePointStatus:
    """Parse a CH_STATUS ``data`` dict or a v2.1 status item."""
    fields = Fields(data, "CH_STATUS")
    found_id = fields.text("evse_id") or evse_id
    if found_id is None:
        raise MalformedFrameError("CH_STATUS: field 'evse_id' is missing")
    return ChargePointStatus(
        evse_id=found_id,
        socket_id=fields.integer("socket_id"),
        activity=fields.text("activity"),
        vehicle_status=fields.text("vehicle_status"),
        actual_p1=fields.number("actual_p1"),
        actual_p2=fields.number("actual_p2"),
        actual_p3=fields.number("actual_p3"),
        actual_v1=fields.number("actual_v1"),
        actual_v2=fields.number("actual_v2"),
        actual_v3=fields.number("actual_v3"),
        actual_kwh=fields.number("actual_kwh"),
        max_usage=fields.number("max_usage"),
        smartcharging_max_usage=fields.number("smartcharging_max_usage"),
        max_offline=fields.number("max_offline"),
        offline_since=fields.timestamp("offline_since"),
        start_datetime=fields.timestamp("start_datetime"),
        stop_datetime=fields.timestamp("stop_datetime"),
        total_cost=fields.number("total_cost"),
        boosting=fields.flag("boosting"),
        extra=fields.extra(),
    )


@guard
def parse_charge_point_statuses(body: object) -> list[ChargePointStatus]:
    """Parse the v2.1 REST status, one item per socket (or an old v2.0 ``data`` dict)."""
    fields = Fields(body, "chargepointstatus")
    evse_id = fields.text("evse_id")
    if fields.has("items") or not fields.has("data"):
        return [parse_charge_point_status(item, evse_id) for item in fields.items("items")]
    return [parse_charge_point_status(fields.mapping("data") or {}, evse_id)]


@guard
def parse_grid_status(data: object) -> GridStatus:
    """Parse GRID_STATUS ``data`` or a flat GRID_CURRENT frame."""
    fields = Fields(data, "grid status")
    return GridStatus(
        id=fields.text("id"),
        grid_actual_p1=fields.number("grid_actual_p1"),
        grid_actual_p2=fields.number("grid_actual_p2"),
        grid_actual_p3=fields.number("grid_actual_p3"),
        grid_max_install=fields.number("grid_max_install"),
        grid_max_reserved=fields.number("grid_max_reserved"),
        extra=fields.extra(),
    )


@guard
def parse_grid_frame(frame: object) -> GridStatus:
    """Parse GRID_STATUS (nested in ``data``) or GRID_CURRENT (flat)."""
    fields = Fields(frame, "GRID")
    if fields.has("data"):
        return parse_grid_status(fields.mapping("data") or {})
    return parse_grid_status(frame)

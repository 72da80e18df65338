"""Override-current schedules (§3.4/§3.5): validation, weekly timing, the limit in force.

A schedule starts on each of its start days at its start time and runs until the next of its
end days at its end time (weekly). While one is in force for a charge point, the charge point's
`max_usage` (and `smartcharging_max_usage`) are capped by its value; with several, the lowest wins.
"""

from __future__ import annotations

from datetime import datetime
import math
import re
from typing import TYPE_CHECKING, Any

from .state import OverrideSchedule

if TYPE_CHECKING:
    from .model import Model
    from .state import ChargePointState

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEK = 7 * 24 * 60
MAX_AMPS = 63.0
_HHMM = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
Json = dict[str, Any]


def parse_hhmm(value: Any) -> str | None:
    """Read "H:MM" or "HH:MM" as "HH:MM"; None when it is no valid time of day."""
    match = _HHMM.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    return f"{int(match[1]):02d}:{match[2]}"


def _days(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not value:
        return None
    days = [day.upper() for day in value if isinstance(day, str)]
    if len(days) != len(value) or not all(day in DAYS for day in days):
        return None
    return sorted(set(days), key=DAYS.index)


def validate(msg: Json, schedule_id: int) -> OverrideSchedule | str:
    """Build a schedule from a POST_SET/POST_EDIT request, or say why it is refused."""
    chargepoints = msg.get("chargepoints")
    if not isinstance(chargepoints, list) or not chargepoints:
        return "invalid chargepoints"
    start, end = parse_hhmm(msg.get("overridestarttime")), parse_hhmm(msg.get("overridestoptime"))
    if start is None or end is None:
        return "invalid time, expected HH:MM"
    start_days, end_days = _days(msg.get("overridestartdays")), _days(msg.get("overridestopdays"))
    if start_days is None or end_days is None:
        return "invalid days, expected a list of MO, TU, WE, TH, FR, SA, SU"
    value = msg.get("overridevalue")
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 <= value <= MAX_AMPS
    ):
        return f"overridevalue must be between 0 and {MAX_AMPS:g}"
    return OverrideSchedule(
        schedule_id=schedule_id,
        chargepoints=[str(evse_id) for evse_id in chargepoints],
        override_start_time=start,
        override_start_days=start_days,
        override_end_time=end,
        override_end_days=end_days,
        override_value=float(value),
    )


def _minute_of_week(day: str, hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return DAYS.index(day) * 1440 + int(hours) * 60 + int(minutes)


def in_force(schedule: OverrideSchedule, now: datetime) -> bool:
    """Whether the latest start (weekly) came after the latest end, at `now`."""
    moment = now.weekday() * 1440 + now.hour * 60 + now.minute

    def since(events: list[int]) -> int:
        return min((moment - event) % WEEK for event in events)

    starts = [
        _minute_of_week(d, schedule.override_start_time) for d in schedule.override_start_days
    ]
    ends = [_minute_of_week(d, schedule.override_end_time) for d in schedule.override_end_days]
    return since(starts) < since(ends)


def limit_for(model: Model, cp: ChargePointState) -> float | None:
    """Return the override current in force for `cp` now (lowest wins), or None."""
    values = [
        schedule.override_value
        for schedule in model.account.override_schedules
        if cp.evse_id in schedule.chargepoints and in_force(schedule, model.now)
    ]
    return min(values) if values else None


def refresh(model: Model) -> list[ChargePointState]:
    """Update every charge point's `override_limit`; return those whose limit changed.

    A running session's currents are capped at once, so a status never shows more than allowed.
    """
    changed = []
    for cp in model.account.charge_points.values():
        limit = limit_for(model, cp)
        if limit != cp.override_limit:
            cp.override_limit = limit
            changed.append(cp)
        if limit is not None and cp.session is not None:
            cp.session.currents = [min(current, limit) for current in cp.session.currents]
    return changed

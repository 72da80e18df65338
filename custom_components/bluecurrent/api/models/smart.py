"""Smart charging as the cloud reports it, and the account's override-current schedules.

Delayed and price-based charging and the capacity tariff are settings of a charge point. The
read side names some fields differently from the commands that set them; the models use the
commands' names (``selected_days`` → ``days``, ``expected_leave_time`` →
``expected_departure_time``, ``capacitytariffmaxkwh`` → ``max_kwh``), so what is read can be
written back as it is. Days are ISO weekday numbers, 1 (Monday) to 7 (Sunday).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time
import re
from typing import Any

from ..errors import MalformedFrameError
from .convert import Fields, guard, to_int
from .setting import Setting

# The override-current commands name days by two letters, Monday first.
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")


@dataclass(frozen=True, slots=True, kw_only=True)
class DelayedCharging(Setting):
    """Delayed charging: on/off, and its window once one was saved (else None and no days)."""

    start_time: time | None = None
    end_time: time | None = None
    days: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceBasedCharging(Setting):
    """Price-based charging: on/off; the cloud shows its settings only while it is on."""

    expected_departure_time: time | None = None
    expected_kwh: float | None = None
    minimum_kwh: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CapacityTariff(Setting):
    """The capacity-tariff limit (Belgium): on/off and the limit, in the cloud's kWh."""

    max_kwh: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OverrideSchedule:
    """A weekly override of some charge points' current.

    It starts on each start day at the start time and lasts until the next end day's end time.
    """

    schedule_id: int
    chargepoints: tuple[str, ...]
    start_time: time
    start_days: tuple[int, ...]
    end_time: time
    end_days: tuple[int, ...]
    value: float
    extra: dict[str, Any] = field(default_factory=dict)


def parse_time(value: object) -> time | None:
    """Read the cloud's "H:MM"/"HH:MM" (seconds tolerated); ""/None is no time."""
    if value is None or value == "":
        return None
    match = _HHMM.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError("not HH:MM")
    return time(int(match[1]), int(match[2]))


def format_time(value: time) -> str:
    """Write a time the way every smart-charging command takes it."""
    return f"{value.hour:02d}:{value.minute:02d}"


def _day(value: object) -> int:
    if isinstance(value, str) and value.strip().upper() in DAY_CODES:
        return DAY_CODES.index(value.strip().upper()) + 1
    day = to_int(value)
    if day is None or not 1 <= day <= 7:
        raise ValueError("not a weekday")
    return day


def parse_days(value: object) -> tuple[int, ...]:
    """Read days as a list or a comma string, of numbers 1..7 or codes MO..SU; sorted, unique."""
    if value is None or value == "":
        return ()
    items: Iterable[object]
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        raise TypeError("days")
    return tuple(sorted({_day(item) for item in items}))


def day_codes(days: Iterable[int]) -> list[str]:
    """Write days as the override commands take them ("MO", "TU", ...)."""
    return [DAY_CODES[day - 1] for day in sorted(set(days))]


class _SmartFields(Fields):
    """Fields plus the smart-charging types, with errors that name the field."""

    def time_of_day(self, key: str) -> time | None:
        return self._converted(key, parse_time, "a time HH:MM")

    def days(self, key: str) -> tuple[int, ...]:
        result = self._converted(key, parse_days, "a list of weekdays")
        return result or ()

    def switch(self) -> tuple[bool | None, str | None]:
        return self.flag("value"), self.text("permission")


def _fields(data: object, what: str) -> _SmartFields | None:
    """Read a setting; a bare value (older backends) is wrapped like an object."""
    if data is None:
        return None
    if isinstance(data, bool | int | float | str):
        data = {"value": data}
    return _SmartFields(data, what)


@guard
def parse_delayed_charging(data: object) -> DelayedCharging | None:
    """Parse ``delayed_charging``."""
    fields = _fields(data, "delayed_charging")
    if fields is None:
        return None
    value, permission = fields.switch()
    return DelayedCharging(
        value,
        permission,
        start_time=fields.time_of_day("start_time"),
        end_time=fields.time_of_day("end_time"),
        days=fields.days("selected_days") or fields.days("days"),
        extra=fields.extra(),
    )


@guard
def parse_price_based_charging(data: object) -> PriceBasedCharging | None:
    """Parse ``price_based_charging``; its settings are None while it is off."""
    fields = _fields(data, "price_based_charging")
    if fields is None:
        return None
    value, permission = fields.switch()
    departure = fields.time_of_day("expected_leave_time")
    if departure is None:
        departure = fields.time_of_day("expected_departure_time")
    return PriceBasedCharging(
        value,
        permission,
        expected_departure_time=departure,
        expected_kwh=fields.number("expected_kwh"),
        minimum_kwh=fields.number("minimum_kwh"),
        extra=fields.extra(),
    )


@guard
def parse_capacity_tariff(data: object) -> CapacityTariff | None:
    """Parse ``capacity_tariff``; the limit is None while it was never set."""
    fields = _fields(data, "capacity_tariff")
    if fields is None:
        return None
    value, permission = fields.switch()
    return CapacityTariff(
        value, permission, max_kwh=fields.number("capacitytariffmaxkwh"), extra=fields.extra()
    )


@guard
def parse_override_schedule(data: object) -> OverrideSchedule:
    """Parse one override-current schedule (LIST_OVERRIDE_CURRENT item, POST_* ``data``)."""
    fields = _SmartFields(data, "override schedule")
    schedule_id = fields.integer("schedule_id")
    start, end = fields.time_of_day("override_start_time"), fields.time_of_day("override_end_time")
    value = fields.number("override_value")
    if schedule_id is None or start is None or end is None or value is None:
        raise MalformedFrameError("override schedule: id, times or value missing")
    chargepoints = tuple(str(item) for item in fields.items("chargepoints") if item)
    return OverrideSchedule(
        schedule_id=schedule_id,
        chargepoints=chargepoints,
        start_time=start,
        start_days=fields.days("override_start_days"),
        end_time=end,
        end_days=fields.days("override_end_days"),
        value=value,
        extra=fields.extra(),
    )


@guard
def parse_override_schedules(frame: object) -> list[OverrideSchedule]:
    """Parse LIST_OVERRIDE_CURRENT: the ``data`` list."""
    fields = Fields(frame, "LIST_OVERRIDE_CURRENT")
    return [parse_override_schedule(item) for item in fields.items("data")]

"""When an override schedule is in force, and when the next one starts or ends (Amsterdam time)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

from hypothesis import given, strategies as st
import pytest

from custom_components.bluecurrent.api import OverrideSchedule
from custom_components.bluecurrent.api.const import TIMEZONE
from custom_components.bluecurrent.overrides import in_force, next_change, value_in_force
from simulator.overrides import in_force as simulator_in_force
from simulator.state import OverrideSchedule as SimulatorSchedule

# Monday 2 March 2026 is in winter time (UTC+1); daylight saving starts on Sunday 29 March.
MONDAY = datetime(2026, 3, 2, tzinfo=TIMEZONE)
CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _schedule(
    start: time, start_days: tuple[int, ...], end: time, end_days: tuple[int, ...], value=10.0
) -> OverrideSchedule:
    return OverrideSchedule(
        schedule_id=1,
        chargepoints=("BCU1",),
        start_time=start,
        start_days=start_days,
        end_time=end,
        end_days=end_days,
        value=value,
    )


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return MONDAY.replace(day=1 + day, hour=hour, minute=minute)


EVENING = _schedule(time(17), (1, 2, 3, 4, 5), time(21), (1, 2, 3, 4, 5))
WEEKEND = _schedule(time(18), (5,), time(8), (1,))  # Friday evening to Monday morning


@pytest.mark.parametrize(
    ("schedule", "moment", "expected"),
    [
        (EVENING, _at(1, 16, 59), False),
        (EVENING, _at(1, 17), True),
        (EVENING, _at(1, 20, 59), True),
        (EVENING, _at(1, 21), False),
        (EVENING, _at(6, 18), False),  # Saturday
        (WEEKEND, _at(5, 18), True),  # Friday evening
        (WEEKEND, _at(7, 12), True),  # Sunday
        (WEEKEND, _at(8, 7, 59), True),  # Monday morning, across the week's end
        (WEEKEND, _at(8, 8), False),
        (_schedule(time(9), (1,), time(9), (1,)), _at(1, 9), False),  # starts and ends at once
        (_schedule(time(9), (), time(10), (1,)), _at(1, 9, 30), False),  # no start day
    ],
)
def test_in_force(schedule: OverrideSchedule, moment: datetime, expected: bool) -> None:
    assert in_force(schedule, moment) is expected
    assert in_force(schedule, moment.astimezone(UTC)) is expected  # any zone: the same moment


def test_the_lowest_value_in_force_holds() -> None:
    lower = _schedule(time(20), (1,), time(22), (1,), value=6.0)
    other = replace(EVENING, chargepoints=("BCU2",), value=2.0)
    schedules = [EVENING, lower, other]
    assert value_in_force(schedules, "BCU1", _at(1, 19)) == 10.0
    assert value_in_force(schedules, "BCU1", _at(1, 20, 30)) == 6.0
    assert value_in_force(schedules, "BCU1", _at(1, 22)) is None
    assert value_in_force([], "BCU1", _at(1, 20)) is None


def test_next_change() -> None:
    assert next_change([], _at(1, 12)) is None
    assert next_change([EVENING], _at(1, 12, 0)) == _at(1, 17)
    assert next_change([EVENING], _at(1, 17, 0)) == _at(1, 21)  # the start just happened
    assert next_change([EVENING], _at(5, 21, 30)) == _at(8, 17)  # Friday night to Monday
    one = _schedule(time(9), (1,), time(9, 30), (1,))
    # Only Monday 09:00 and 09:30: a week on after the last one.
    assert next_change([one], _at(1, 9, 45)) == _at(8, 9)


def test_next_change_keeps_local_time_across_daylight_saving() -> None:
    """Daylight saving starts on Sunday 29 March: Monday's start stays at 17:00 local time."""
    saturday = datetime(2026, 3, 28, 12, tzinfo=TIMEZONE)
    when = next_change([EVENING], saturday)
    assert when is not None
    assert when.astimezone(TIMEZONE).replace(tzinfo=None) == datetime(2026, 3, 30, 17)
    assert when.astimezone(UTC).hour == 15  # summer time, UTC+2


@given(
    start=st.times(),
    end=st.times(),
    start_days=st.sets(st.integers(1, 7), min_size=1),
    end_days=st.sets(st.integers(1, 7), min_size=1),
    minute=st.integers(0, 7 * 1440 - 1),
)
def test_same_rule_as_the_simulated_cloud(
    start: time, end: time, start_days: set[int], end_days: set[int], minute: int
) -> None:
    """What Home Assistant shows in force is what the cloud enforces, at every minute."""
    start, end = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    ours = _schedule(start, tuple(sorted(start_days)), end, tuple(sorted(end_days)))
    theirs = SimulatorSchedule(
        1,
        ["BCU1"],
        start.strftime("%H:%M"),
        [CODES[d - 1] for d in sorted(start_days)],
        end.strftime("%H:%M"),
        [CODES[d - 1] for d in sorted(end_days)],
        10.0,
    )
    moment = _at(1 + minute // 1440, minute % 1440 // 60, minute % 60)
    assert in_force(ours, moment) is simulator_in_force(theirs, moment)

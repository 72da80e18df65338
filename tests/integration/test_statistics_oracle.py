"""What the history statistics should hold, worked out independently from the simulator's sessions.

The oracle spreads each session over calendar months by the seconds it ran in each (not over
hours, as the integration does; both agree because months are made of whole hours). The values
it is compared with come from the recorder's own ``statistics_during_period``. The tests here
check the oracle itself and the integration's hourly spreading against it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Literal
from zoneinfo import ZoneInfo

from homeassistant.components.recorder.statistics import statistics_during_period
from homeassistant.core import HomeAssistant
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.bluecurrent.api import Transaction as ClientTransaction
from custom_components.bluecurrent.statistics_rows import spread
from simulator import Simulator
from simulator.state import Transaction as SimTransaction

CHARGING = "BCU100001"  # one socket, charging at the start
IDLE = "BCU100002"  # two sockets
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

type Month = tuple[int, int]
type Field = Literal["kwh", "total_costs"]
type Period = Literal["day", "month"]


def energy_id(evse_id: str, socket_id: int | None = None) -> str:
    """The documented id of a charge point's (or socket's) energy statistic."""
    suffix = "" if socket_id is None else f"_socket_{socket_id}"
    return f"bluecurrent:energy_{evse_id.lower()}{suffix}"


def cost_id(evse_id: str, socket_id: int | None = None) -> str:
    """The documented id of a charge point's (or socket's) cost statistic."""
    suffix = "" if socket_id is None else f"_socket_{socket_id}"
    return f"bluecurrent:cost_{evse_id.lower()}{suffix}"


def _next_month(moment: datetime, zone: tzinfo) -> datetime:
    local = moment.astimezone(zone)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=zone)


def _next_day(moment: datetime, zone: tzinfo) -> datetime:
    local = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime(local.year, local.month, local.day, tzinfo=zone)


def per_period(
    transactions: Iterable[SimTransaction], field: Field, zone: tzinfo, period: Period
) -> dict[tuple[int, ...], float]:
    """Each local day's or month's share of the sessions' energy or cost, pro rata to seconds."""
    step, key = {
        "month": (_next_month, lambda d: (d.year, d.month)),
        "day": (_next_day, lambda d: (d.year, d.month, d.day)),
    }[period]
    shares: dict[tuple[int, ...], float] = defaultdict(float)
    for transaction in transactions:
        start, end = transaction.started_at, transaction.end_time
        total = float(getattr(transaction, field) or 0.0)
        if not start < end:
            shares[key(end.astimezone(zone))] += total
            continue
        cursor = start
        while cursor < end:
            piece_end = min(end, step(cursor, zone))
            shares[key(cursor.astimezone(zone))] += total * (piece_end - cursor) / (end - start)
            cursor = piece_end
    return dict(shares)


def monthly(
    transactions: Iterable[SimTransaction], field: Field, zone: tzinfo
) -> dict[Month, float]:
    """Each month's share of the sessions' energy or cost, pro rata to their seconds in it."""
    return per_period(transactions, field, zone, "month")  # type: ignore[return-value]


def sessions(cloud: Simulator, evse_id: str, socket_id: int | None = None) -> list[SimTransaction]:
    """The simulator's booked sessions of a charge point, or of one socket."""
    booked = cloud.account.charge_points[evse_id].transactions
    return [t for t in booked if socket_id is None or t.socket_id == socket_id]


async def recorded_months(hass: HomeAssistant, statistic_id: str) -> dict[Month, float]:
    """Each month's change of a statistic, as the recorder's own query gives it."""
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2000, 1, 1, tzinfo=UTC),
        None,
        {statistic_id},
        "month",
        None,
        {"change"},
    )
    months: dict[Month, float] = {}
    for row in found.get(statistic_id, []):
        local = dt_util.as_local(dt_util.utc_from_timestamp(row["start"]))
        months[(local.year, local.month)] = row.get("change") or 0.0
    return months


async def recorded_rows(hass: HomeAssistant, statistic_id: str) -> list[dict[str, Any]]:
    """Every hourly row of a statistic (start, state, sum), oldest first."""
    found = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        datetime(2000, 1, 1, tzinfo=UTC),
        None,
        {statistic_id},
        "hour",
        None,
        {"state", "sum"},
    )
    return [dict(row) for row in found.get(statistic_id, [])]


def assert_same_months(recorded: dict[Month, float], expected: dict[Month, float]) -> None:
    """Equal month by month (a month missing on one side counts as zero there)."""
    assert expected, "nothing to compare"
    for month in sorted(recorded.keys() | expected.keys()):
        assert recorded.get(month, 0.0) == pytest.approx(expected.get(month, 0.0), abs=1e-6), month


async def assert_months_match(
    hass: HomeAssistant, cloud: Simulator, evse_id: str, socket_id: int | None
) -> None:
    """The recorder's monthly energy and cost of a statistic pair equal the simulator's sessions."""
    booked = sessions(cloud, evse_id, socket_id)
    zone = dt_util.get_default_time_zone()
    pairs: list[tuple[str, Field]] = [
        (energy_id(evse_id, socket_id), "kwh"),
        (cost_id(evse_id, socket_id), "total_costs"),
    ]
    for statistic_id, field in pairs:
        expected = monthly(booked, field, zone)
        assert_same_months(await recorded_months(hass, statistic_id), expected)


async def settle_statistics(hass: HomeAssistant) -> None:
    """Let the background jobs finish and the recorder write what they queued."""
    await hass.async_block_till_done(wait_background_tasks=True)
    await async_wait_recording_done(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# The oracle and the integration's spreading, against each other -------------------------------


def _session(start: datetime, minutes: float, kwh: float) -> SimTransaction:
    return SimTransaction(
        transaction_id=1,
        chargepoint_id=CHARGING,
        socket_id=1,
        chargepoint_type="",
        evse_name=None,
        started_at=start,
        end_time=start + timedelta(minutes=minutes),
        kwh=kwh,
        card_id="",
        card_name=None,
        total_costs=kwh / 4,
        total_costs_ex_vat=0.0,
        vat=21,
        currency="EUR",
    )


def test_oracle_splits_a_session_across_a_month_boundary() -> None:
    """Two hours across midnight of 31 March (Amsterdam): half in each month."""
    start = datetime(2026, 3, 31, 23, 0, tzinfo=AMSTERDAM)
    months = monthly([_session(start, 120, 10.0)], "kwh", AMSTERDAM)
    assert months == {(2026, 3): 5.0, (2026, 4): 5.0}


def test_hourly_spread_sums_to_the_oracles_months() -> None:
    """The integration's hours, added up per month, give the oracle's months."""
    starts = [
        datetime(2026, 1, 31, 22, 17, 5, tzinfo=AMSTERDAM),
        datetime(2026, 3, 29, 1, 40, tzinfo=AMSTERDAM),  # the clocks go forward at 2:00
        datetime(2026, 10, 25, 1, 59, tzinfo=AMSTERDAM),  # and back at 3:00
        datetime(2026, 6, 30, 23, 59, 59, tzinfo=AMSTERDAM),
    ]
    booked = [_session(start, 20 + 97 * i, 3.3 + i) for i, start in enumerate(starts)]
    energy, _ = spread(
        ClientTransaction(started_at=t.started_at, end_time=t.end_time, kwh=t.kwh) for t in booked
    )
    months: dict[Month, float] = defaultdict(float)
    for hour, amount in energy.items():
        assert hour % 3600 == 0
        local = datetime.fromtimestamp(hour, AMSTERDAM)
        months[(local.year, local.month)] += amount
    assert_same_months(months, monthly(booked, "kwh", AMSTERDAM))

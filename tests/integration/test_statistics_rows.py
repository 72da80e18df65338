"""Statistic ids, hours and running sums of the history statistics, checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from homeassistant.components.recorder.statistics import valid_statistic_id
import pytest

from custom_components.bluecurrent.api import Transaction
from custom_components.bluecurrent.statistics_rows import (
    Series,
    cumulate,
    series_of,
    shares,
    spread,
)

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
H = 3600


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("evse_id", "socket_id", "energy", "cost"),
    [
        ("BCU100001", None, "bluecurrent:energy_bcu100001", "bluecurrent:cost_bcu100001"),
        (
            "BCU100002",
            2,
            "bluecurrent:energy_bcu100002_socket_2",
            "bluecurrent:cost_bcu100002_socket_2",
        ),
        ("NL-BCU--7.01", None, "bluecurrent:energy_nl_bcu_7_01", "bluecurrent:cost_nl_bcu_7_01"),
        ("--", 1, "bluecurrent:energy_unknown_socket_1", "bluecurrent:cost_unknown_socket_1"),
    ],
)
def test_ids_are_valid_statistic_ids(
    evse_id: str, socket_id: int | None, energy: str, cost: str
) -> None:
    """Lower case, one ``_`` for anything else, a socket suffix where a point has several."""
    series = Series(evse_id, socket_id)
    assert (series.energy_id, series.cost_id) == (energy, cost)
    assert valid_statistic_id(series.energy_id)
    assert valid_statistic_id(series.cost_id)


def test_names_follow_the_device() -> None:
    """Named after the device, and the socket where the charge point has several."""
    assert Series("BCU1").name("Oprit", "energy") == "Oprit energy"
    assert Series("BCU1", 2).name("Oprit", "cost") == "Oprit socket 2 cost"
    assert series_of("BCU1", False, 2) == Series("BCU1")
    assert series_of("BCU1", True, None) == Series("BCU1", 1)


def test_shares_are_the_time_in_each_hour() -> None:
    """10:30-12:15 is 30, 60 and 15 minutes of 105: in proportion."""
    assert shares(_at(0.5), _at(2.25)) == [
        (int(_at(0).timestamp()), 30 / 105),
        (int(_at(1).timestamp()), 60 / 105),
        (int(_at(2).timestamp()), 15 / 105),
    ]
    # Ending on the hour adds no empty hour after it.
    assert [h for h, _ in shares(_at(0.5), _at(1))] == [int(_at(0).timestamp())]


def test_sessions_without_duration_fall_in_their_end_hour() -> None:
    """No start, or none before the end: everything in the hour of the end."""
    end_hour = int(_at(3).timestamp())
    assert shares(None, _at(3.5)) == [(end_hour, 1.0)]
    assert shares(_at(3.75), _at(3.5)) == [(end_hour, 1.0)]


def test_spread_adds_up_exactly() -> None:
    """Energy and cost go to the hours; the parts add up to the totals, unended ones are left."""
    sessions = [
        Transaction(started_at=_at(0.5), end_time=_at(2.25), kwh=10.0, total_costs=3.3),
        Transaction(started_at=_at(2.5), end_time=_at(2.75), kwh=1.0, total_costs=None),
        Transaction(started_at=_at(5), end_time=None, kwh=99.0, total_costs=9.9),
    ]
    energy, cost = spread(sessions)
    assert sorted(energy) == [int(_at(h).timestamp()) for h in (0, 1, 2)]
    assert sum(energy.values()) == 11.0
    assert energy[int(_at(2).timestamp())] == pytest.approx(10 * 15 / 105 + 1.0)
    assert sum(cost.values()) == 3.3
    assert cost[int(_at(1).timestamp())] == pytest.approx(3.3 * 60 / 105)


def test_cumulate_from_scratch() -> None:
    """Running sums from zero, oldest first."""
    assert cumulate({2 * H: 1.0, 0: 2.0, 5 * H: 0.5}) == [
        (0, 2.0, 2.0),
        (2 * H, 1.0, 3.0),
        (5 * H, 0.5, 3.5),
    ]


def test_cumulate_merges_with_stored_rows() -> None:
    """Stored amounts are the differences of their sums (adjustments kept); new ones add."""
    stored = [(2 * H, 12.0), (4 * H, 13.0), (6 * H, 20.0)]  # amounts 2, 1, 7 after base 10
    rows = cumulate({3 * H: 0.5, 4 * H: 1.5}, base=10.0, stored=stored)
    assert rows == [
        (2 * H, 2.0, 12.0),
        (3 * H, 0.5, 12.5),
        (4 * H, 2.5, 15.0),
        (6 * H, 7.0, 22.0),
    ]

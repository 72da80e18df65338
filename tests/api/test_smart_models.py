"""Parsing smart-charging settings and override schedules: renamed keys, loose types, errors."""

from __future__ import annotations

from datetime import time

import pytest

from custom_components.bluecurrent.api import (
    DelayedCharging,
    MalformedFrameError,
    OverrideSchedule,
    PriceBasedCharging,
)
from custom_components.bluecurrent.api.models import (
    day_codes,
    format_time,
    parse_charge_point,
    parse_days,
    parse_override_schedule,
    parse_override_schedules,
    parse_time,
)


def test_times() -> None:
    assert parse_time("7:05") == time(7, 5)
    assert parse_time(" 07:05:59 ") == time(7, 5)
    assert parse_time("") is None
    assert parse_time(None) is None
    assert format_time(time(7, 5)) == "07:05"
    for bad in ("24:00", "7", "07:60", 705):
        with pytest.raises(ValueError, match="HH:MM"):
            parse_time(bad)


def test_days() -> None:
    assert parse_days("MO,TU") == (1, 2)
    assert parse_days(["su", 1, "3", 1]) == (1, 3, 7)
    assert parse_days("") == ()
    assert day_codes([7, 1, 1]) == ["MO", "SU"]
    with pytest.raises(ValueError, match="weekday"):
        parse_days([8])
    with pytest.raises(TypeError):
        parse_days({"MO": 1})


def test_smart_settings_of_a_charge_point() -> None:
    point = parse_charge_point(
        {
            "evse_id": "BCU1",
            "delayed_charging": True,  # an older backend's bare value
            "price_based_charging": {
                "value": "true",
                "permission": "read",
                "expected_departure_time": "06:45",
                "expected_kwh": " 30 ",
                "minimum_kwh": 5,
                "new_field": 1,
            },
        }
    )
    assert point.delayed_charging == DelayedCharging(True)
    assert point.price_based_charging == PriceBasedCharging(
        True,
        "read",
        expected_departure_time=time(6, 45),
        expected_kwh=30.0,
        minimum_kwh=5.0,
        extra={"new_field": 1},
    )
    assert point.capacity_tariff is None


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ({"delayed_charging": {"value": True, "start_time": "25:00"}}, "start_time"),
        ({"delayed_charging": {"value": True, "selected_days": [9]}}, "selected_days"),
        ({"delayed_charging": {"value": True, "selected_days": 5}}, "selected_days"),
        ({"price_based_charging": {"value": 2}}, "value"),
        ({"capacity_tariff": {"value": True, "capacitytariffmaxkwh": "lots"}}, "capacitytariffmax"),
    ],
)
def test_malformed_smart_settings(setting: dict[str, object], field: str) -> None:
    with pytest.raises(MalformedFrameError, match=field):
        parse_charge_point({"evse_id": "BCU1", **setting})


def test_override_schedules() -> None:
    frame = {
        "object": "LIST_OVERRIDE_CURRENT",
        "data": [
            {
                "schedule_id": "12",
                "chargepoints": ["BCU1", "BCU2"],
                "override_start_time": "17:00",
                "override_start_days": "MO,TU",
                "override_end_time": "21:00",
                "override_end_days": ["MO", "TU"],
                "override_value": "10",
            }
        ],
    }
    assert parse_override_schedules(frame) == [
        OverrideSchedule(
            schedule_id=12,
            chargepoints=("BCU1", "BCU2"),
            start_time=time(17),
            start_days=(1, 2),
            end_time=time(21),
            end_days=(1, 2),
            value=10.0,
        )
    ]
    with pytest.raises(MalformedFrameError, match="missing"):
        parse_override_schedule({"schedule_id": 1, "override_start_time": "17:00"})
    assert parse_override_schedules({"data": None}) == []

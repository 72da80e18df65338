"""Parsers on recorded cloud replies and on hostile input."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.bluecurrent.api import (
    ApiError,
    CapacityTariff,
    ForbiddenError,
    InvalidSessionTokenError,
    MalformedFrameError,
    RequestLimitReachedError,
    Setting,
)
from custom_components.bluecurrent.api.const import TIMEZONE
from custom_components.bluecurrent.api.errors import next_limit_reset
from custom_components.bluecurrent.api.frames import error_from_frame
from custom_components.bluecurrent.api.models import (
    parse_account,
    parse_action_result,
    parse_charge_card,
    parse_charge_cards,
    parse_charge_point,
    parse_charge_point_settings,
    parse_charge_point_status,
    parse_charge_point_statuses,
    parse_charge_points,
    parse_contracts,
    parse_grid_frame,
    parse_grids,
    parse_setting,
    parse_status_push,
    parse_sustainability,
    parse_transaction,
    parse_transaction_page,
    to_bool,
    to_date,
    to_datetime,
    to_float,
    to_int,
)
from custom_components.bluecurrent.api.models.convert import guard

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def ams(*args: int) -> datetime:
    return datetime(*args, tzinfo=TIMEZONE)  # type: ignore[misc]


# --- fixtures -------------------------------------------------------------------------------


def test_account_fixture() -> None:
    account = parse_account(load("account"))
    assert account.login == "your@email.address"
    assert account.full_name == "Your Full Name"
    assert account.tel is None
    assert account.should_reset_password is False
    assert account.first_login_app == ams(2020, 1, 15, 13, 33, 52)
    assert account.extra == {}


def test_account_legacy_first_login() -> None:
    account = parse_account({"login": "a@b.c", "first_login_app": "01-JAN-20"})
    assert account.first_login_app == ams(2020, 1, 1)


def test_charge_cards_fixture() -> None:
    (card,) = parse_charge_cards(load("charge_cards"))
    assert card.uid == "A1B2C3D4E5F6"
    assert card.id == "NL-ABC-123456-0"
    assert card.valid is True
    assert card.date_created == date(2023, 6, 27)
    assert card.date_modified == date(2023, 7, 11)
    assert card.date_became_invalid is None


def test_charge_cards_drop_pseudo_cards() -> None:
    frame = {"cards": [{"uid": "BCU-APP", "id": "BCU-APP"}, {"uid": "X", "id": "Y", "valid": 0}]}
    (card,) = parse_charge_cards(frame)
    assert card.valid is False


def test_charge_points_fixture() -> None:
    (point,) = parse_charge_points(load("charge_points"))
    assert point.evse_id == "BCU123456"
    assert point.name is None
    assert point.model_type == "H:MOVE-C32T2"
    assert point.is_cable is True
    assert point.activity == "available"
    assert point.socket_id == 1
    assert point.socket_ids == (1,)
    assert point.plug_and_charge == Setting(True, "write")
    assert point.public_charging == Setting(False, "write")
    assert point.capacity_tariff == CapacityTariff(False, "none", max_kwh=None)
    assert point.led_intensity is None
    assert point.plug_and_charge_card is not None
    assert point.plug_and_charge_card.uid == "A1B2C3D4E5F6"
    assert point.default_card is not None
    assert point.default_card.name == "Your Card"
    assert point.tariff is not None
    assert point.tariff.price_in_vat == pytest.approx(0.242)
    assert point.tariff.currency == "EUR"
    assert point.location is not None
    assert point.location.city == "Utrecht"
    assert point.location.x_coord == pytest.approx(50.1234)
    assert point.extra == {}


def test_charge_point_settings_fixture() -> None:
    settings = parse_charge_point_settings(load("charge_point_settings"))
    assert settings.evse_id == "BCU123456"
    assert settings.name is None  # chargepoint_name ""
    assert settings.plug_and_charge_card is None  # BCU_HOME_USE
    assert settings.led_intensity == Setting(0, "none")
    assert settings.delayed_charging is not None
    assert settings.delayed_charging.value is True
    # The read side's selected_days, as the command's days.
    assert settings.delayed_charging.days == (1, 2, 3, 4, 5)
    assert settings.delayed_charging.extra == {}
    assert settings.tariff is not None
    assert settings.tariff.permission == "write"
    assert settings.socket_ids == ()


def test_settings_use_top_level_evse_id_and_chargepoint_name() -> None:
    frame = {"object": "CH_SETTINGS", "evse_id": "BCU1", "data": {"chargepoint_name": "Garage"}}
    settings = parse_charge_point_settings(frame)
    assert (settings.evse_id, settings.name) == ("BCU1", "Garage")


def test_bare_bool_setting() -> None:
    point = parse_charge_point({"evse_id": "BCU1", "plug_and_charge_notification": True})
    assert point.plug_and_charge_notification == Setting(True)


def test_charge_point_status_fixture() -> None:
    (status,) = parse_charge_point_statuses(load("charge_point_status"))
    assert status.evse_id == "BCU123456"
    assert status.socket_id == 1
    assert status.start_datetime == ams(2023, 7, 24, 15, 25, 33)
    assert status.stop_datetime == ams(2023, 7, 26, 7, 48, 40)
    assert status.offline_since is None
    assert status.total_cost == pytest.approx(9.93)
    assert status.max_usage == 20.0
    assert status.boosting is False
    assert status.vehicle_status == "A"


def test_charge_point_status_null_dates() -> None:
    (status,) = parse_charge_point_statuses(load("charge_point_status_socket_two"))
    assert status.socket_id == 2
    assert status.start_datetime is None
    assert status.stop_datetime is None


def test_charge_point_statuses_fixture() -> None:
    first, second = parse_charge_point_statuses(load("charge_point_statuses"))
    assert (first.socket_id, second.socket_id) == (1, 2)
    assert second.activity == "charging"
    assert second.actual_kwh == pytest.approx(3.2)
    assert second.actual_v1 == 230.0


def test_old_v20_status_shape() -> None:
    (status,) = parse_charge_point_statuses({"data": {"evse_id": "BCU1", "actual_p1": "6"}})
    assert status.actual_p1 == 6.0


def test_status_push() -> None:
    frame = {
        "object": "CH_STATUS",
        "evse_id": "BCU102728",
        "data": {
            "activity": "charging",
            "actual_p1": " 16 ",
            "actual_v1": 230.5,
            "offline_since": "",
            "start_datetime": "20221110 11:41:32+01:00",
            "stop_datetime": "20221110 11:41:50",
            "total_cost": "1.5",
            "new_field": 1,
        },
    }
    event = parse_status_push(frame)
    assert event.evse_id == "BCU102728"
    status = event.status
    assert status.actual_p1 == 16.0
    assert status.total_cost == 1.5
    assert status.start_datetime == datetime(2022, 11, 10, 10, 41, 32, tzinfo=UTC)
    assert status.start_datetime.tzinfo == TIMEZONE  # type: ignore[union-attr]
    assert status.stop_datetime == ams(2022, 11, 10, 11, 41, 50)
    assert status.extra == {"new_field": 1}


def test_grid_status_fixture_and_push() -> None:
    grid = parse_grid_frame(load("grid_status"))
    assert grid.id == "GRID-BCU123456"
    assert (grid.grid_actual_p1, grid.grid_max_install) == (1.0, 25.0)
    push = parse_grid_frame(
        {
            "object": "GRID_CURRENT",
            "grid_actual_p1": 1.5,
            "grid_actual_p2": "2",
            "grid_actual_p3": 0,
        }
    )
    assert (push.grid_actual_p2, push.grid_max_install, push.id) == (2.0, None, None)


def test_sustainability_fixture() -> None:
    result = parse_sustainability(load("sustainability_status"))
    assert (result.trees, result.co2) == (1.0, pytest.approx(12.345))


def test_transactions_fixture() -> None:
    page = parse_transaction_page(load("transactions"))
    assert (page.current_page, page.next_page, page.total_pages) == (1, None, 1)
    assert page.total_transactions == 3
    first = page.transactions[0]
    assert first.transaction_id == 3
    assert first.started_at == ams(2026, 7, 3, 10, 0)
    assert first.end_time == ams(2026, 7, 3, 11, 0)
    assert first.kwh == 5.0
    assert first.vat == 21.0
    assert page.transactions[1].reason_no_settlement == "not settled"


def test_transaction_padded_strings() -> None:
    transaction = parse_transaction(
        {"transaction_id": " 12 ", "socket_id": "1", "total_costs": "  5.97", "evse_name": None}
    )
    assert transaction.transaction_id == 12
    assert transaction.socket_id == 1
    assert transaction.total_costs == 5.97
    assert transaction.evse_name is None


def test_contracts_and_grids() -> None:
    (contract,) = parse_contracts(
        {"contracts": [{"contract_id": "BCU1", "subscription_type": "BASIS", "x": 1}]}
    )
    assert (contract.contract_id, contract.extra) == ("BCU1", {"x": 1})
    (grid,) = parse_grids(
        {"grids": [{"id": "GRID-1", "smart_charging": True, "address": {"city": "Utrecht"}}]}
    )
    assert grid.smart_charging is True
    assert grid.address is not None
    assert grid.address.city == "Utrecht"
    (bare,) = parse_grids({"grids": [{"id": "GRID-2"}]})
    assert bare.address is None


def test_to_date() -> None:
    assert to_date("2023-06-27") == date(2023, 6, 27)
    assert to_date("2023-06-27T10:00:00") == date(2023, 6, 27)
    assert to_date(None) is None
    assert to_date("  ") is None
    with pytest.raises(TypeError):
        to_date(20230627)


def test_guard_turns_any_slip_into_malformed() -> None:
    @guard
    def parse_broken(frame: dict[str, Any]) -> Any:
        return frame["missing"]

    with pytest.raises(MalformedFrameError, match="parse_broken: KeyError"):
        parse_broken({})


def test_action_result() -> None:
    result = parse_action_result(
        {
            "object": "STATUS_SET_PLUG_AND_CHARGE",
            "success": True,
            "error": "",
            "flow_id": "",
            "evse_id": "BCU1",
            "result": {"setting": "set true"},
        }
    )
    assert result.command == "STATUS_SET_PLUG_AND_CHARGE"
    assert result.success is True
    assert result.error is None
    assert result.flow_id is None
    assert result.result == {"setting": "set true"}


def test_error_frames() -> None:
    assert isinstance(error_from_frame(load("error_forbidden")), ForbiddenError)
    assert isinstance(error_from_frame({"error": 1}), InvalidSessionTokenError)
    limit = error_from_frame({"error": 42, "message": "Request limit reached"})
    assert isinstance(limit, RequestLimitReachedError)
    assert limit.reset_at > datetime.now(TIMEZONE)
    other = error_from_frame({"error": 9, "message": "Unknown error"})
    assert isinstance(other, ApiError)
    assert (other.code, other.message, str(other)) == (9, "Unknown error", "Error 9: Unknown error")
    weird = error_from_frame({"error": "x"})
    assert isinstance(weird, ApiError)
    assert weird.code is None


def test_next_limit_reset_is_amsterdam_midnight() -> None:
    now = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # already the 29th in Amsterdam
    reset = next_limit_reset(now)
    assert reset == ams(2026, 3, 30)
    assert reset - now < timedelta(days=1)


# --- conversions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("  ", None), (" 1.5 ", 1.5), (2, 2.0), ("7", 7.0)],
)
def test_to_float(value: object, expected: float | None) -> None:
    assert to_float(value) == expected


@pytest.mark.parametrize("value", [True, {}, [], "abc", "nan", float("inf")])
def test_to_float_rejects(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        to_float(value)


def test_to_int_and_bool() -> None:
    assert to_int(" 3 ") == 3
    assert to_int(3.0) == 3
    with pytest.raises(ValueError, match="whole"):
        to_int("3.5")
    assert [to_bool(v) for v in (1, 0, "true", "FALSE", "", None)] == [
        True, False, True, False, None, None
    ]  # fmt: skip
    with pytest.raises(TypeError):
        to_bool(2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20230724 15:25:33", ams(2023, 7, 24, 15, 25, 33)),
        ("03-07-2026 10:00:00", ams(2026, 7, 3, 10, 0)),
        ("2020-01-15T13:33:52", ams(2020, 1, 15, 13, 33, 52)),
        ("20230101 12:00:00+00:00", ams(2023, 1, 1, 13, 0)),
        ("", None),
        (None, None),
    ],
)
def test_to_datetime(value: str | None, expected: datetime | None) -> None:
    result = to_datetime(value)
    assert result == expected
    if result is not None:
        assert result.tzinfo == TIMEZONE


# --- hostile input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parser", "frame"),
    [
        (parse_account, {"login": {"a": 1}}),
        (parse_account, {"full_name": "x"}),
        (parse_account, ["not", "an", "object"]),
        (parse_charge_points, {"data": {"evse_id": "x"}}),
        (parse_charge_points, {"data": [{"evse_id": "x", "socket_ids": ["a"]}]}),
        (parse_charge_points, {"data": [{"evse_id": "x", "plug_and_charge": {"value": [1]}}]}),
        (parse_charge_points, {"data": [{"evse_id": "x", "tariff": "cheap"}]}),
        (parse_charge_points, {"data": [{"name": "no evse id"}]}),
        (parse_status_push, {"evse_id": "x", "data": {"actual_p1": {"garbage": True}}}),
        (parse_status_push, {"evse_id": "x", "data": {"start_datetime": 12}}),
        (parse_status_push, {"evse_id": "x", "data": {"start_datetime": "yesterday"}}),
        (parse_status_push, {"data": {}}),
        (parse_status_push, {"evse_id": "x", "data": []}),
        (parse_charge_point_statuses, {"items": "many"}),
        (parse_grid_frame, {"data": {"grid_actual_p1": [1]}}),
        (parse_charge_cards, {"cards": [{"uid": "x", "date_created": "last week"}]}),
        (parse_charge_cards, {"cards": [{"uid": "x", "valid": "maybe"}]}),
        (parse_transaction_page, {"data": None}),
        (parse_transaction_page, {"data": {"transactions": [{"kwh": "lots"}]}}),
        (parse_action_result, {"success": True}),
        (parse_action_result, {"object": "STATUS_X", "result": "fine"}),
        (parse_sustainability, {"trees": True}),
        (parse_contracts, {"contracts": [1]}),
        (parse_grids, {"grids": [{"address": [1]}]}),
        (parse_setting, [1]),
    ],
)
def test_wrong_types_raise_malformed(parser: Any, frame: object) -> None:
    with pytest.raises(MalformedFrameError) as err:
        parser(frame)
    assert "garbage" not in str(err.value)


def test_malformed_message_names_field_not_value() -> None:
    with pytest.raises(MalformedFrameError, match="actual_p1") as err:
        parse_charge_point_status({"evse_id": "x", "actual_p1": {"secret-ish": 1}})
    assert "secret-ish" not in str(err.value)


def test_card_without_ids_is_none() -> None:
    assert parse_charge_card({"name": "nameless"}) is None
    assert parse_charge_card({"uid": "U"}) is not None


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
_keys = st.sampled_from(
    [
        "evse_id", "data", "items", "cards", "login", "actual_p1", "start_datetime", "socket_ids",
        "plug_and_charge", "tariff", "location", "default_card", "transactions", "object",
        "valid", "date_created", "result", "success", "grid_actual_p1", "trees", "grids",
    ]
)  # fmt: skip
_frames = st.dictionaries(_keys, _json | st.dictionaries(_keys, _json, max_size=4), max_size=6)

_PARSERS = [
    parse_account,
    parse_charge_cards,
    parse_charge_points,
    parse_charge_point_settings,
    parse_charge_point_statuses,
    parse_status_push,
    parse_grid_frame,
    parse_sustainability,
    parse_contracts,
    parse_grids,
    parse_transaction_page,
    parse_action_result,
]


@settings(max_examples=300, deadline=None, database=None)
@given(frame=_frames | _json)
def test_parsers_only_ever_raise_malformed(frame: object) -> None:
    for parser in _PARSERS:
        with contextlib.suppress(MalformedFrameError):
            parser(frame)  # type: ignore[operator]

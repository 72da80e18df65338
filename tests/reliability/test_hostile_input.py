"""Property tests: the parsers and the wire decoding take any hostile JSON without surprises.

The one allowed failure is the client's own typed error (``BlueCurrentError``, from a parser
always ``MalformedFrameError``); a call never blocks (each runs under a generous deadline, a
correctness bound rather than a benchmark), returned data holds only finite numbers and aware
timestamps, an error message never repeats a value, and no frame costs the websocket connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import dataclasses
from datetime import date, datetime, time
import math
import os
import threading
from typing import Any

import aiohttp
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.bluecurrent.api import (
    Account,
    ActionEvent,
    BlueCurrentClient,
    BlueCurrentError,
    ClientSettings,
    ConnectionEvent,
    Event,
    GridEvent,
    MalformedFrameError,
    SettingsEvent,
    StatusEvent,
)
from custom_components.bluecurrent.api.models import (
    parse_account,
    parse_action_result,
    parse_charge_cards,
    parse_charge_point_settings,
    parse_charge_point_statuses,
    parse_charge_points,
    parse_contracts,
    parse_grid_frame,
    parse_grids,
    parse_override_schedules,
    parse_status_push,
    parse_sustainability,
    parse_transaction_page,
)
from custom_components.bluecurrent.api.transport import decode_json, error_from_frame, redact

from .hostile import (
    ACTION_VERDICT,
    CH_SETTINGS_PUSH,
    CH_STATUS_PUSH,
    CONTRACTS,
    GRID_CURRENT_PUSH,
    GRIDS,
    HostileCloud,
    Json,
    dumps,
    fixture,
    frames_like,
    hostile_values,
    json_values,
    mutations,
    nested,
    paths,
    replace_at,
    texts_like,
)

# LIST_OVERRIDE_CURRENT as bluecurrent-api 1.3.3 reads it (protocol notes §3.5).
OVERRIDE_SCHEDULES: Json = {
    "object": "LIST_OVERRIDE_CURRENT",
    "data": [
        {
            "schedule_id": 3,
            "chargepoints": ["BCU123456"],
            "override_start_time": "17:00",
            "override_start_days": "MO,TU,WE,TH,FR",
            "override_end_time": "21:00",
            "override_end_days": "MO,TU,WE,TH,FR",
            "override_value": 10.0,
        }
    ],
}

# Seconds a single parse or call may take before it counts as blocked. Generous on purpose: it
# catches a hang or a runaway loop, not a slow machine.
DEADLINE = 10.0

PARSERS: list[tuple[Callable[[Any], Any], Json]] = [
    (parse_account, fixture("account")),
    (parse_charge_cards, fixture("charge_cards")),
    (parse_charge_points, fixture("charge_points")),
    (parse_charge_point_settings, fixture("charge_point_settings")),
    (parse_charge_point_settings, CH_SETTINGS_PUSH),
    (parse_charge_point_statuses, fixture("charge_point_statuses")),
    (parse_charge_point_statuses, fixture("charge_point_status_socket_two")),
    (parse_status_push, CH_STATUS_PUSH),
    (parse_grid_frame, fixture("grid_status")),
    (parse_grid_frame, GRID_CURRENT_PUSH),
    (parse_sustainability, fixture("sustainability_status")),
    (parse_contracts, CONTRACTS),
    (parse_grids, GRIDS),
    (parse_transaction_page, fixture("transactions")),
    (parse_action_result, ACTION_VERDICT),
    (parse_override_schedules, OVERRIDE_SCHEDULES),
]
PARSER_IDS = [f"{parser.__name__}-{index}" for index, (parser, _) in enumerate(PARSERS)]


def run_with_deadline[T](call: Callable[[], T]) -> T:
    """Run ``call`` in a daemon thread; fail if it has not finished within DEADLINE."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(("ok", call()))
        except BaseException as err:
            outcome.append(("error", err))

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive(), f"still running after {DEADLINE:g} s"
    kind, value = outcome[0]
    if kind == "error":
        raise value
    result: T = value
    return result


def check_data(value: Any, where: str = "result") -> None:
    """Parsed data carries only finite floats, aware datetimes and nested data of the same kind."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return
    if isinstance(value, float):
        assert math.isfinite(value), f"{where} is {value}"
    elif isinstance(value, datetime):
        assert value.tzinfo is not None, f"{where} is naive"
    elif isinstance(value, date | time):  # days and times of day (smart charging)
        return
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            if item.name not in ("extra", "result"):  # raw JSON the cloud sent, kept as is
                check_data(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_data(item, f"{where}[{index}]")
    else:
        raise AssertionError(f"{where} has unexpected type {type(value).__name__}")


def parse_or_typed_error(parser: Callable[[Any], Any], frame: Json) -> Any:
    """Parse under the deadline; only MalformedFrameError may come out."""
    try:
        result = run_with_deadline(lambda: parser(frame))
    except MalformedFrameError:
        return None
    check_data(result)
    return result


# The suite runs the same examples every time (it must stay deterministic); set
# RELIABILITY_EXPLORE=1 to draw ten times as many fresh ones.
EXPLORE = bool(os.environ.get("RELIABILITY_EXPLORE"))
_SETTINGS = settings(
    max_examples=800 if EXPLORE else 80, deadline=None, database=None, derandomize=not EXPLORE
)


@pytest.mark.parametrize(("parser", "document"), PARSERS, ids=PARSER_IDS)
@_SETTINGS
@given(data=st.data())
def test_parsers_take_hostile_frames(
    parser: Callable[[Any], Any], document: Json, data: st.DataObject
) -> None:
    """Arbitrary JSON and hostile variants of real replies: data or MalformedFrameError."""
    parse_or_typed_error(parser, data.draw(frames_like(document)))


@pytest.mark.parametrize(("parser", "document"), PARSERS, ids=PARSER_IDS)
def test_parsers_accept_the_real_shapes(parser: Callable[[Any], Any], document: Json) -> None:
    """The unbroken documents parse, so the hostile variants above start from valid input."""
    assert parse_or_typed_error(parser, document) is not None


@pytest.mark.parametrize(("parser", "document"), PARSERS, ids=PARSER_IDS)
@_SETTINGS
@given(data=st.data(), marker=st.text(alphabet="ABCDEFGHIJ", min_size=8, max_size=12))
def test_errors_never_repeat_values(
    parser: Callable[[Any], Any], document: Json, data: st.DataObject, marker: str
) -> None:
    """A value in the wrong place is reported by field name and type only (it may be personal)."""
    secret = f"PRIVATE-{marker}"
    base = data.draw(st.just(document) | mutations(document))
    planted = data.draw(st.sampled_from([secret, [secret], {"value": secret}, {"x": [secret]}]))
    locations = paths(base) if isinstance(base, dict | list) else []
    frame = (
        replace_at(base, data.draw(st.sampled_from(locations)), planted) if locations else planted
    )
    message = ""
    try:
        run_with_deadline(lambda: parser(frame))
    except MalformedFrameError as err:
        message = f"{err} {err!r}"
    assert secret not in message


@_SETTINGS
@given(
    frame=st.dictionaries(st.sampled_from(["object", "error", "message", "flow_id"]), json_values)
)
def test_error_frames_map_to_typed_errors(frame: dict[str, Any]) -> None:
    """Any ERROR-shaped object becomes a BlueCurrentError, whatever its fields hold."""
    error = run_with_deadline(lambda: error_from_frame(frame))
    assert isinstance(error, BlueCurrentError)
    str(error)


@_SETTINGS
@given(value=hostile_values)
def test_redact_takes_any_decoded_frame(value: Json) -> None:
    """Redaction (for debug logs) copies whatever decode_json lets through."""
    try:
        decoded = decode_json(dumps(value))
    except ValueError:
        return  # refused: nested too deep, or an integer too long to read
    run_with_deadline(lambda: redact(decoded))


@pytest.mark.parametrize("depth", [33, 1000, 200_000])
def test_decode_json_refuses_deep_nesting(depth: int) -> None:
    """Too deep is a ValueError (like any other non-JSON), never RecursionError."""
    with pytest.raises(ValueError, match="deep"):
        run_with_deadline(lambda: decode_json("[" * depth + "]" * depth))
    assert decode_json(dumps(nested(32))) == nested(32)


# --- over a real socket -----------------------------------------------------------------------

PUSHES = [
    CH_STATUS_PUSH,
    CH_SETTINGS_PUSH,
    GRID_CURRENT_PUSH,
    ACTION_VERDICT,
    fixture("account"),
    fixture("error_forbidden"),
    {"object": "ERROR", "error": 42, "message": "Request limit reached"},
]
REST_BODIES = [
    CONTRACTS,
    GRIDS,
    fixture("transactions"),
    fixture("charge_point_statuses"),
    fixture("error_forbidden"),
    {"success": False, "error": "REJECTED"},
]
_SOCKET_SETTINGS = settings(
    max_examples=600 if EXPLORE else 60,
    deadline=None,
    database=None,
    derandomize=not EXPLORE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
async def hostile(socket_enabled: None) -> AsyncIterator[HostileCloud]:
    """A cloud that sends whatever the test scripts."""
    cloud = HostileCloud()
    await cloud.start()
    yield cloud
    await cloud.stop()


@pytest.fixture
async def hostile_client(hostile: HostileCloud) -> AsyncIterator[BlueCurrentClient]:
    """A connected client of the hostile cloud; it may log in again as often as it is told."""
    async with aiohttp.ClientSession() as session:
        client = BlueCurrentClient(
            session,
            username="user@example.com",
            password="pw",
            settings=ClientSettings(
                ws_url=f"ws://127.0.0.1:{hostile.port}/ws",
                api_url=f"{hostile.url}/api/v2.0",
                bce_url=f"{hostile.url}/api/bce",
                request_timeout=2.0,
                action_timeout=2.0,
                backoff_initial=0.01,
                backoff_max=0.05,
                max_relogins=1_000_000,
            ),
        )
        await client.connect()
        yield client
        await client.close()


def check_event(event: Event) -> None:
    """Events carry parsed data only."""
    if isinstance(event, StatusEvent | GridEvent):
        check_data(event.status)
    elif isinstance(event, SettingsEvent):
        check_data(event.settings)
    elif isinstance(event, ActionEvent):
        check_data(event.result)
    else:
        pytest.fail(f"unexpected {event!r}")  # a ConnectionEvent: the socket dropped


@_SOCKET_SETTINGS
@given(text=st.one_of([texts_like(push) for push in PUSHES]))
async def test_hostile_frames_keep_the_connection(
    hostile: HostileCloud, hostile_client: BlueCurrentClient, text: str
) -> None:
    """A hostile frame, as a push or as the reply a call waits for, is skipped or a typed error.

    Either way the websocket stays up: a later call on it works, and no reconnect happened.
    """
    events: list[Event] = []
    unsubscribe = hostile_client.subscribe(events.append)
    hostile.before_reply = [text]
    try:
        async with asyncio.timeout(DEADLINE):
            try:
                account = await hostile_client.get_account()
            except BlueCurrentError:
                pass
            else:
                assert isinstance(account, Account)
                check_data(account)
            hostile.before_reply = []
            assert (await hostile_client.get_account()).login == "your@email.address"
    finally:
        unsubscribe()
    assert not [e for e in events if isinstance(e, ConnectionEvent)]
    for event in events:
        check_event(event)
    assert hostile.connections == 1
    assert hostile_client.connected


@_SOCKET_SETTINGS
@given(
    status=st.sampled_from([200, 201, 204, 400, 401, 403, 404, 429, 500, 503]),
    body=st.one_of([texts_like(body) for body in REST_BODIES]),
)
async def test_hostile_rest_answers_are_data_or_typed_errors(
    hostile: HostileCloud, hostile_client: BlueCurrentClient, status: int, body: str
) -> None:
    """Every REST call turns any status and body into data or a BlueCurrentError, in time."""
    hostile.rest = (status, body)
    calls = [
        hostile_client.get_contracts,
        hostile_client.get_grids,
        lambda: hostile_client.get_transactions("BCU123456"),
        lambda: hostile_client.get_charge_point_statuses("BCU123456"),
        lambda: hostile_client.unlock_connector("BCU123456", 1),
    ]
    for call in calls:
        async with asyncio.timeout(DEADLINE):
            try:
                result = await call()
            except BlueCurrentError:
                continue
        check_data(result)
    assert hostile.connections == 1

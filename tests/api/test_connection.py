"""Supervised websocket: drops, reconnects, pushes, closing, and secrets kept out of sight."""

from __future__ import annotations

import asyncio
import logging

import pytest

from custom_components.bluecurrent.api import (
    ActionEvent,
    BlueCurrentClient,
    CannotConnectError,
    ConnectionEvent,
    Event,
    GridEvent,
    InvalidCredentialsError,
    InvalidSessionTokenError,
    RequestLimitReachedError,
    SettingsEvent,
    StatusEvent,
)
from simulator import Simulator

from .common import wait_until
from .conftest import ClientFactory


def _connection_events(events: list[Event]) -> list[ConnectionEvent]:
    return [e for e in events if isinstance(e, ConnectionEvent)]


async def test_reconnect_after_drop(
    client: BlueCurrentClient, events: list[Event], simulator: Simulator
) -> None:
    await simulator.drop_connections()
    await wait_until(lambda: len(_connection_events(events)) == 2)
    down, up = _connection_events(events)
    assert not down.connected
    assert isinstance(down.error, CannotConnectError)
    assert up == ConnectionEvent(True, None)
    assert client.connected
    assert (await client.get_account()).login
    assert simulator.stats.connections == 2
    assert simulator.stats.logins == 1  # the session token was reused
    assert simulator.stats.ws_commands["HELLO"] == 2
    # pushes reach the new socket
    await simulator.push_grid()
    await wait_until(lambda: any(isinstance(e, GridEvent) for e in events))


async def test_call_during_reconnect_waits(client: BlueCurrentClient, simulator: Simulator) -> None:
    await simulator.drop_connections()
    assert (await client.get_account()).login


async def test_pending_call_fails_when_socket_drops(
    client: BlueCurrentClient, simulator: Simulator
) -> None:
    simulator.faults.silent_commands.add("GET_ACCOUNT")
    call = asyncio.ensure_future(client.get_account())
    await asyncio.sleep(0.05)
    await simulator.drop_connections()
    with pytest.raises(CannotConnectError):
        await call


async def test_reconnect_with_expired_token_logs_in_again(
    client: BlueCurrentClient, events: list[Event], simulator: Simulator
) -> None:
    simulator.expire_tokens()
    await simulator.drop_connections()
    await wait_until(lambda: len(_connection_events(events)) == 2)
    assert simulator.stats.logins == 2
    assert (await client.get_account()).login


async def test_reconnect_backs_off_while_cloud_is_down(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client(request_timeout=0.2, stable_period=0.0)
    await client.connect()
    events: list[Event] = []
    client.subscribe(events.append)
    simulator.faults.silent_commands.add("HELLO")
    await simulator.drop_connections()
    await wait_until(lambda: simulator.stats.connections >= 4)
    assert not client.connected
    with pytest.raises(CannotConnectError):
        await client.get_account()
    simulator.faults.silent_commands.clear()
    await wait_until(lambda: client.connected)
    assert _connection_events(events)[-1] == ConnectionEvent(True, None)


async def test_relogin_budget_exhausted_while_reconnecting(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client(max_relogins=1, relogin_window=1.5)
    await client.connect()
    events: list[Event] = []
    client.subscribe(events.append)
    simulator.expire_tokens()
    assert (await client.get_account()).login  # spends the one re-login of the window
    assert simulator.stats.logins == 2
    simulator.expire_tokens()
    await simulator.drop_connections()
    await wait_until(lambda: simulator.stats.connections >= 4)
    assert not client.connected
    assert simulator.stats.logins == 2  # the budget holds while the window lasts
    await wait_until(lambda: client.connected)  # then it frees up
    assert simulator.stats.logins == 3
    assert not isinstance(_connection_events(events)[-1].error, InvalidSessionTokenError)


async def test_invalid_credentials_stop_the_supervisor(
    client: BlueCurrentClient, events: list[Event], simulator: Simulator
) -> None:
    simulator.expire_tokens()
    simulator.faults.reject_credentials = True
    await simulator.drop_connections()
    await wait_until(
        lambda: any(
            isinstance(e.error, InvalidCredentialsError) for e in _connection_events(events)
        )
    )
    last = _connection_events(events)[-1]
    assert (last.connected, type(last.error)) == (False, InvalidCredentialsError)
    with pytest.raises(InvalidCredentialsError):
        await client.get_account()
    connections = simulator.stats.connections
    await asyncio.sleep(0.2)
    assert simulator.stats.connections == connections  # gave up for good


async def test_limit_on_reconnect_is_reported(
    client: BlueCurrentClient, events: list[Event], simulator: Simulator
) -> None:
    simulator.faults.request_limit = True
    await simulator.drop_connections()
    await wait_until(lambda: len(_connection_events(events)) == 2)
    first, second = _connection_events(events)
    assert isinstance(first.error, CannotConnectError)
    assert isinstance(second.error, RequestLimitReachedError)


async def test_pushes(client: BlueCurrentClient, events: list[Event], simulator: Simulator) -> None:
    charging, idle = simulator.account.charge_points
    await simulator.advance(60)
    await wait_until(lambda: any(isinstance(e, GridEvent) for e in events))
    status = next(e for e in events if isinstance(e, StatusEvent))
    assert status.evse_id == charging
    assert status.status.activity == "charging"
    assert status.status.actual_kwh is not None
    grid = next(e for e in events if isinstance(e, GridEvent)).status
    assert grid.grid_actual_p1 == pytest.approx(simulator.grid.actual_p1)
    assert grid.grid_max_install is None  # GRID_CURRENT carries no maxima

    await simulator.set_enabled(idle, False)
    await wait_until(
        lambda: any(
            isinstance(e, StatusEvent) and e.status.activity == "unavailable" for e in events
        )
    )
    await client.set_plug_and_charge(idle, False)
    await wait_until(lambda: any(isinstance(e, SettingsEvent) for e in events))
    settings = next(e for e in events if isinstance(e, SettingsEvent))
    assert settings.evse_id == idle
    assert settings.settings.plug_and_charge is not None
    assert settings.settings.plug_and_charge.value is False
    # our own verdicts went to the calls, not to listeners
    assert not any(isinstance(e, ActionEvent) for e in events)


async def test_broken_listener_does_not_stop_the_reader(
    client: BlueCurrentClient,
    events: list[Event],
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(event: Event) -> None:
        raise RuntimeError("listener bug")

    unsubscribe = client.subscribe(broken)
    await simulator.push_grid()
    await wait_until(lambda: bool(events))
    assert "Error in a Blue Current event listener" in caplog.text
    assert (await client.get_account()).login
    unsubscribe()
    unsubscribe()


async def test_events_iterator(client: BlueCurrentClient, simulator: Simulator) -> None:
    stream = client.events()
    await simulator.push_grid()
    await simulator.push_status(next(iter(simulator.account.charge_points)))
    first = await anext(stream)
    second = await anext(stream)
    assert isinstance(first, GridEvent)
    assert isinstance(second, StatusEvent)

    async def collect() -> list[Event]:
        return [event async for event in client.events()]

    collector = asyncio.ensure_future(collect())
    await asyncio.sleep(0)
    await simulator.push_grid()
    await asyncio.sleep(0.05)
    await client.close()
    collected = await collector
    assert [type(e) for e in collected] == [GridEvent]
    assert [type(e) async for e in stream] == [GridEvent]  # queued before close
    with pytest.raises(StopAsyncIteration):
        await anext(stream)
    assert [e async for e in client.events()] == []


async def test_events_iterator_drops_oldest_when_full(
    make_client: ClientFactory, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(event_queue_size=2)
    await client.connect()
    seen: list[Event] = []
    client.subscribe(seen.append)
    stream = client.events()
    evse_id = next(iter(simulator.account.charge_points))
    await simulator.push_grid()
    await simulator.push_status(evse_id)
    await simulator.push_settings(evse_id)
    await wait_until(lambda: len(seen) == 3)
    assert [type(await anext(stream)), type(await anext(stream))] == [StatusEvent, SettingsEvent]
    assert "not keeping up" in caplog.text
    await stream.aclose()


async def test_close(client: BlueCurrentClient, simulator: Simulator) -> None:
    simulator.faults.silent_commands.add("GET_ACCOUNT")
    pending = asyncio.ensure_future(client.get_account())
    await asyncio.sleep(0.05)
    await client.close()
    with pytest.raises(CannotConnectError):
        await pending
    assert not client.connected
    await client.close()  # idempotent
    with pytest.raises(CannotConnectError, match="closed"):
        await client.get_account()
    with pytest.raises(CannotConnectError, match="closed"):
        await client.connect()


async def test_close_while_reconnecting(client: BlueCurrentClient, simulator: Simulator) -> None:
    simulator.faults.silent_commands.add("HELLO")
    await simulator.drop_connections()
    waiting = asyncio.ensure_future(client.get_account())
    await asyncio.sleep(0.05)
    await client.close()
    with pytest.raises(CannotConnectError):
        await waiting


async def test_repr_and_events_hide_secrets(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client()
    assert repr(client) == "<BlueCurrentClient login=password connected=False>"
    token_client = make_client(username=None, password=None, api_token=simulator.api_token)
    assert repr(token_client) == "<BlueCurrentClient login=api_token connected=False>"


async def test_secrets_never_leak(
    make_client: ClientFactory, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    simulator.password = "hunter2-secret-password"
    simulator.api_token = "api-token-secret-value"
    texts: list[str] = []
    session_tokens: list[str] = []
    issue_token = simulator.issue_token

    def recording_issue_token() -> str:
        session_tokens.append(issue_token())
        return session_tokens[-1]

    simulator.issue_token = recording_issue_token  # type: ignore[method-assign]

    password_client = make_client(password=simulator.password, max_relogins=10)
    token_client = make_client(
        username=None, password=None, api_token=simulator.api_token, max_relogins=10
    )
    for client in (password_client, token_client):
        client.subscribe(lambda event: texts.append(f"{event} {event!r}"))
        await client.connect()
        await client.get_account()
        await client.get_contracts()
        simulator.expire_tokens()  # forces a re-login
        await client.get_charge_points()
        simulator.expire_tokens()
        await simulator.drop_connections()
        await wait_until(lambda c=client: c.connected)  # type: ignore[misc]
        await client.soft_reset(next(iter(simulator.account.charge_points)))
        texts.append(repr(client))
    for error_case in ("forbid", "timeout", "limit"):
        simulator.faults.forbid_evse = {"BCU100001"} if error_case == "forbid" else set()
        simulator.faults.request_limit = error_case == "limit"
        simulator.faults.silent_commands = {"GET_ACCOUNT"} if error_case == "timeout" else set()
        for call in (
            password_client.get_account(),
            password_client.get_charge_point_status("BCU100001"),
        ):
            try:
                await call
            except Exception as err:
                texts.append(f"{err} {err!r}")
    simulator.faults.request_limit = False
    simulator.faults.silent_commands = set()
    simulator.faults.reject_credentials = True
    simulator.expire_tokens()
    with pytest.raises(InvalidCredentialsError) as err:
        await token_client.get_account()
    texts.append(f"{err.value} {err.value!r}")

    assert len(session_tokens) >= 6
    haystack = caplog.text + "\n".join(texts)
    assert "Sending" in caplog.text  # frames were logged at debug
    for secret in (simulator.password, simulator.api_token, *session_tokens):
        assert secret not in haystack
    for record in caplog.records:
        assert "Token " not in record.getMessage() or "***" in record.getMessage()


async def test_concurrent_connects_open_one_socket(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client()
    simulator.faults.reply_delay = 0.05  # both calls overlap the whole attempt
    await asyncio.gather(client.connect(), client.connect(), client.connect())
    assert client.connected
    assert simulator.stats.connections == 1
    assert simulator.stats.ws_commands["VALIDATE_PASSWORD"] == 1
    await client.connect()
    assert simulator.stats.connections == 1


async def test_concurrent_connects_share_the_failure(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client()
    simulator.faults.reject_credentials = True
    results = await asyncio.gather(client.connect(), client.connect(), return_exceptions=True)
    assert [type(r) for r in results] == [InvalidCredentialsError, InvalidCredentialsError]
    assert simulator.stats.connections == 1
    simulator.faults.reject_credentials = False
    await client.connect()  # a later call makes a new attempt
    assert client.connected
    assert simulator.stats.connections == 2


async def test_concurrent_connects_each_choose_to_wait_for_the_limit(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client()
    simulator.faults.request_limit = True
    waiting, raising, also_waiting = await asyncio.gather(
        client.connect(wait_for_limit=True),
        client.connect(),
        client.connect(wait_for_limit=True),
        return_exceptions=True,
    )
    assert waiting is None
    assert also_waiting is None
    assert isinstance(raising, RequestLimitReachedError)
    assert not client.connected
    assert client.limited_until is not None


async def test_a_cancelled_connect_does_not_cancel_the_shared_attempt(
    make_client: ClientFactory, simulator: Simulator
) -> None:
    client = make_client()
    simulator.faults.reply_delay = 0.05
    first = asyncio.ensure_future(client.connect())
    await asyncio.sleep(0.01)
    second = asyncio.ensure_future(client.connect())
    await asyncio.sleep(0)
    first.cancel()
    await second
    assert first.cancelled()
    assert client.connected
    assert simulator.stats.connections == 1

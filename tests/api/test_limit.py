"""The daily request limit: once met, nothing reaches the cloud until it resets at midnight.

The client's wall clock is a ``FakeClock`` the test moves, so the reset passes without waiting.
Whether anything was sent is read from the simulator's counters, with its limit switched off
again first: whatever the client sent would then be accepted and counted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import pytest

from custom_components.bluecurrent.api import (
    BlueCurrentClient,
    ConnectionEvent,
    Event,
    InvalidCredentialsError,
    RequestLimitReachedError,
)
from custom_components.bluecurrent.api.const import TIMEZONE
from simulator import Simulator

from .common import FakeClock, wait_until
from .conftest import ClientFactory

START = datetime(2026, 3, 2, 12, 0, tzinfo=TIMEZONE)
RESET = datetime(2026, 3, 3, 0, 0, tzinfo=TIMEZONE)

type Call = Callable[[], Awaitable[object]]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def make_limited(make_client: ClientFactory, clock: FakeClock) -> ClientFactory:
    """Clients on the fake clock that wake every 10 ms to look at it, with no grace period."""

    def factory(**overrides: object) -> BlueCurrentClient:
        return make_client(now=clock, limit_sleep_step=0.01, limit_reset_grace=0.0, **overrides)

    return factory


def _connection_events(events: list[Event]) -> list[ConnectionEvent]:
    return [e for e in events if isinstance(e, ConnectionEvent)]


def _sent(simulator: Simulator) -> tuple[int, int, int]:
    stats = simulator.stats
    return stats.connections, sum(stats.ws_commands.values()), sum(stats.rest_requests.values())


async def _transactions(client: BlueCurrentClient, evse_id: str) -> list[object]:
    return [t async for t in client.iterate_transactions(evse_id)]


def _every_call(client: BlueCurrentClient, simulator: Simulator) -> list[Call]:
    evse_id, two_sockets = simulator.account.charge_points
    card = simulator.account.cards[0]
    return [
        client.get_account,
        client.get_charge_cards,
        client.get_charge_points,
        lambda: client.get_charge_point_settings(evse_id),
        lambda: client.get_grid_status(evse_id),
        client.get_sustainability_status,
        lambda: client.get_charge_point_statuses(evse_id),
        lambda: client.get_charge_point_status(evse_id),
        client.get_contracts,
        client.get_grids,
        lambda: client.get_transactions(evse_id),
        lambda: _transactions(client, evse_id),
        lambda: client.set_plug_and_charge_charge_card(evse_id, card.uid),
        lambda: client.set_plug_and_charge(evse_id, True),
        lambda: client.set_public_charging(evse_id, True),
        lambda: client.start_session(two_sockets, card.id),
        lambda: client.stop_session(evse_id),
        lambda: client.soft_reset(evse_id),
        lambda: client.reboot(evse_id),
        lambda: client.set_status(two_sockets, False),
        lambda: client.set_status(two_sockets, False, socket_ids=[1, 2]),
        lambda: client.unlock_connector(evse_id),
        lambda: client.unlock_connector(evse_id, 1),
    ]


async def _assert_all_refused(
    client: BlueCurrentClient, simulator: Simulator, reset_at: datetime
) -> None:
    """Every call fails at once (well inside the 1 s request timeout) and sends nothing."""
    simulator.faults.request_limit = False
    simulator.stats.reset()
    loop = asyncio.get_running_loop()
    for call in _every_call(client, simulator):
        started = loop.time()
        with pytest.raises(RequestLimitReachedError) as err:
            await call()
        assert err.value.reset_at == reset_at
        assert loop.time() - started < 0.2
    await asyncio.sleep(0.1)  # a supervisor that tried to reconnect would have by now
    assert _sent(simulator) == (0, 0, 0)


async def test_error_42_blocks_everything_until_the_reset(
    make_limited: ClientFactory, simulator: Simulator, clock: FakeClock
) -> None:
    client = make_limited()
    await client.connect()
    assert client.limited_until is None
    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReachedError) as err:
        await client.get_account()
    assert err.value.reset_at == RESET
    assert client.limited_until == RESET
    assert client.connected  # the cloud keeps the socket open; pushes still arrive
    await _assert_all_refused(client, simulator, RESET)

    clock.now = RESET - timedelta(seconds=1)
    assert client.limited_until == RESET
    clock.now = RESET
    assert client.limited_until is None  # it clears itself
    assert (await client.get_account()).login
    assert simulator.stats.ws_commands["GET_ACCOUNT"] == 1


async def test_rest_429_blocks_the_websocket_too(
    make_limited: ClientFactory, simulator: Simulator
) -> None:
    client = make_limited()
    await client.connect()
    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReachedError):
        await client.get_grids()
    assert client.limited_until == RESET
    await _assert_all_refused(client, simulator, RESET)


async def test_close_4001_waits_for_the_reset_then_reconnects(
    make_limited: ClientFactory, simulator: Simulator, clock: FakeClock
) -> None:
    client = make_limited()
    await client.connect()
    events: list[Event] = []
    client.subscribe(events.append)
    simulator.faults.request_limit = True
    await simulator.close_with_limit()
    await wait_until(lambda: bool(_connection_events(events)))
    (down,) = _connection_events(events)
    assert isinstance(down.error, RequestLimitReachedError)
    assert down.error.reset_at == RESET
    assert client.limited_until == RESET
    assert not client.connected
    await _assert_all_refused(client, simulator, RESET)

    clock.now = RESET
    await wait_until(lambda: client.connected)
    assert _connection_events(events)[-1] == ConnectionEvent(True, None)
    assert simulator.stats.connections == 1
    assert simulator.stats.logins == 0  # the session token outlived the limit
    assert (await client.get_account()).login


async def test_refused_handshake_sets_the_limit(
    make_limited: ClientFactory, simulator: Simulator
) -> None:
    client = make_limited()
    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReachedError) as err:
        await client.connect()
    assert err.value.reset_at == client.limited_until == RESET
    simulator.faults.request_limit = False
    with pytest.raises(RequestLimitReachedError):
        await client.connect()  # refused here: not even a handshake
    assert simulator.stats.connections == 0


async def test_limit_known_from_an_earlier_client(
    make_limited: ClientFactory, simulator: Simulator, clock: FakeClock
) -> None:
    client = make_limited(limited_until=RESET)
    assert client.limited_until == RESET
    with pytest.raises(RequestLimitReachedError) as err:
        await client.connect()
    assert err.value.reset_at == RESET
    with pytest.raises(RequestLimitReachedError):
        await client.get_contracts()
    assert _sent(simulator) == (0, 0, 0)

    stale = make_limited(limited_until=START - timedelta(minutes=1))
    assert stale.limited_until is None
    await stale.connect()
    assert stale.connected
    with pytest.raises(ValueError, match="timezone-aware"):
        make_limited(limited_until=RESET.replace(tzinfo=None))


async def test_connect_can_wait_for_a_known_limit(
    make_limited: ClientFactory, simulator: Simulator, clock: FakeClock
) -> None:
    client = make_limited(limited_until=RESET)
    events: list[Event] = []
    client.subscribe(events.append)
    await client.connect(wait_for_limit=True)
    assert not client.connected
    assert client.limited_until == RESET
    (down,) = _connection_events(events)
    assert isinstance(down.error, RequestLimitReachedError)
    assert down.error.reset_at == RESET
    await client.connect(wait_for_limit=True)  # already supervised: nothing new
    await _assert_all_refused(client, simulator, RESET)

    clock.now = RESET
    await wait_until(lambda: client.connected)
    assert _connection_events(events) == [down, ConnectionEvent(True, None)]
    assert (simulator.stats.connections, simulator.stats.logins) == (1, 1)
    assert (await client.get_account()).login


async def test_connect_can_wait_when_the_first_attempt_meets_the_limit(
    make_limited: ClientFactory, simulator: Simulator, clock: FakeClock
) -> None:
    client = make_limited()
    events: list[Event] = []
    client.subscribe(events.append)
    simulator.faults.request_limit = True
    await client.connect(wait_for_limit=True)
    assert not client.connected
    assert client.limited_until == RESET
    assert isinstance(_connection_events(events)[0].error, RequestLimitReachedError)
    await _assert_all_refused(client, simulator, RESET)
    clock.now = RESET
    await wait_until(lambda: client.connected)
    assert _connection_events(events)[-1] == ConnectionEvent(True, None)


async def test_wait_for_limit_still_raises_other_errors(
    make_limited: ClientFactory, simulator: Simulator
) -> None:
    simulator.faults.reject_credentials = True
    client = make_limited()
    with pytest.raises(InvalidCredentialsError):
        await client.connect(wait_for_limit=True)
    assert client.limited_until is None
    with pytest.raises(Exception, match="call connect"):
        await client.get_account()


async def test_a_cloud_still_limited_just_after_midnight_is_asked_again_soon(
    make_limited: ClientFactory, simulator: Simulator, clock: FakeClock
) -> None:
    """Its clock may be behind ours: a limit met in the first hour blocks for a minute only."""
    client = make_limited(limited_until=RESET, limit_recheck=60.0)
    events: list[Event] = []
    client.subscribe(events.append)
    await client.connect(wait_for_limit=True)
    simulator.faults.request_limit = True  # the cloud has not reset yet
    clock.now = RESET + timedelta(seconds=10)
    recheck = clock.now + timedelta(seconds=60)
    await wait_until(lambda: client.limited_until == recheck)
    assert len(_connection_events(events)) == 1  # no second "down" for the same limit
    simulator.faults.request_limit = False
    await asyncio.sleep(0.05)
    assert not client.connected  # not before the recheck
    clock.now = recheck
    await wait_until(lambda: client.connected)
    assert _connection_events(events)[-1] == ConnectionEvent(True, None)


async def test_a_limit_met_later_in_the_day_waits_for_midnight(
    make_limited: ClientFactory, simulator: Simulator, clock: FakeClock
) -> None:
    clock.now = RESET + timedelta(hours=1, seconds=1)  # just past the first hour of the day
    client = make_limited()
    simulator.faults.request_limit = True
    with pytest.raises(RequestLimitReachedError) as err:
        await client.connect()
    assert err.value.reset_at == client.limited_until == RESET + timedelta(days=1)


async def test_a_call_waiting_for_the_reconnect_fails_when_it_meets_the_limit(
    make_limited: ClientFactory, simulator: Simulator
) -> None:
    """The call waits for the reconnect; the reconnect is refused for the limit: fail at once."""
    client = make_limited(request_timeout=2.0, backoff_initial=0.1, backoff_max=0.1)
    await client.connect()
    simulator.faults.request_limit = True
    await simulator.drop_connections()
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(RequestLimitReachedError) as err:
        await client.get_account()
    assert loop.time() - started < 1.0  # not the 2 s of the request timeout
    assert err.value.reset_at == client.limited_until == RESET

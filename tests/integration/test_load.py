"""Steady-state load on the cloud: exactly what the poll and transaction intervals allow.

The cloud has a daily request budget, so a regression that polls more shows here as a number.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.settings import DEFAULT_SETTINGS
from simulator import Simulator

from .conftest import coordinator_of, jump_clock

# What one poll asks over the websocket; statuses are pushed, so they are not among them.
POLL_COMMANDS = (
    "GET_CHARGE_POINTS",
    "GET_CHARGE_CARDS",
    "GET_SUSTAINABILITY_STATUS",
    "GET_GRID_STATUS",
)
# The account's override-current schedules: read as seldom as the grid list (issue 9).
OVERRIDES = "LIST_OVERRIDE_CURRENT"
TRANSACTIONS = "POST /app/bc_api/api/v2.0/gettransactions"
# The grid list is read with the transactions, so charge points on new grids are placed.
GRIDS = "GET /app/bc_api/api/v2.0/getgrids"
POLL_INTERVAL = DEFAULT_SETTINGS.poll_interval
SLOW_INTERVAL = DEFAULT_SETTINGS.slow_interval
HOURS = 12


@pytest.mark.freeze_time("2026-03-02 10:00:00+00:00", tick=True)
@pytest.mark.usefixtures("clock_jumps")
async def test_requests_per_hour(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
) -> None:
    """Twelve quiet hours: one poll per interval, transactions once per transaction interval.

    The clock moves a second more than the poll interval each step, so that each step holds
    exactly one poll and the transaction interval is passed at a whole step.
    """
    polls_per_hour = timedelta(hours=1) / POLL_INTERVAL
    polls = int(HOURS * polls_per_hour)
    transaction_rounds = int(timedelta(hours=HOURS) / SLOW_INTERVAL)
    assert (polls_per_hour, polls, transaction_rounds) == (6, 72, 2)

    cloud.stats.reset()
    for _ in range(polls):
        await jump_clock(hass, freezer, POLL_INTERVAL + timedelta(seconds=1))
    assert coordinator_of(loaded_entry).last_update_success

    assert cloud.stats.ws_commands == {
        **dict.fromkeys(POLL_COMMANDS, polls),
        OVERRIDES: transaction_rounds,
    }
    # One page for the whole account: what was read before stops the walk at once.
    assert cloud.stats.rest_requests == {
        TRANSACTIONS: transaction_rounds,
        GRIDS: transaction_rounds,
    }
    assert (cloud.stats.connections, cloud.stats.logins) == (0, 0)

    per_hour = (sum(cloud.stats.ws_commands.values()) + cloud.stats.rest_requests.total()) / HOURS
    assert per_hour == len(POLL_COMMANDS) * polls_per_hour + 3 / (
        SLOW_INTERVAL / timedelta(hours=1)
    )

"""The history statistics when things go wrong: failed reads, the request limit, an upgrade.

As in test_statistics_updates.py, the recorder's months are compared with the simulator's
sessions, and the simulator's page count shows when the history was read.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.bluecurrent.const import DOMAIN
from custom_components.bluecurrent.settings import DEFAULT_SETTINGS
from simulator import Simulator

from .conftest import ENTRY_ID, POLL_INTERVAL, jump_clock
from .test_statistics_fixtures import (  # noqa: F401 - fixtures
    async_import,
    async_restart,
    auto_enable_custom_integrations,
    imported,
    simulator,
)
from .test_statistics_oracle import (
    CHARGING,
    IDLE,
    assert_months_match,
    cost_id,
    energy_id,
    recorded_rows,
    sessions,
    settle_statistics,
)
from .test_statistics_updates import TRANSACTIONS, clear

STORE_KEY = f"{DOMAIN}.{ENTRY_ID}.ledger"


@pytest.mark.usefixtures("clock_jumps", "imported")
async def test_failed_read_waits_for_the_slow_interval_and_the_request_limit(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """A failed history read is tried again after the slow interval, not at every poll.

    While the cloud refuses requests nothing is sent; once it accepts them the read is done.
    """
    await clear(hass, hass_ws_client, [energy_id(IDLE, 2), cost_id(IDLE, 2)])
    cloud.faults.rest_errors = 1000  # every REST request fails: the reads of history too
    await async_restart(hass, config_entry)
    assert await recorded_rows(hass, energy_id(IDLE, 2)) == []
    cloud.faults.rest_errors = 0

    cloud.stats.reset()
    await jump_clock(hass, freezer, POLL_INTERVAL)
    await settle_statistics(hass)
    assert cloud.stats.rest_requests[TRANSACTIONS] <= 1  # no history read yet
    assert await recorded_rows(hass, energy_id(IDLE, 2)) == []

    cloud.faults.request_limit = True
    await jump_clock(hass, freezer, DEFAULT_SETTINGS.slow_interval)
    await settle_statistics(hass)
    assert await recorded_rows(hass, energy_id(IDLE, 2)) == []

    cloud.faults.request_limit = False
    cloud.stats.reset()
    await jump_clock(hass, freezer, timedelta(days=1))  # past the reset
    await settle_statistics(hass)
    await assert_months_match(hass, cloud, IDLE, 2)
    assert cloud.stats.rest_requests[TRANSACTIONS] > 1


async def test_totals_of_version_0_1_get_their_history(
    hass: HomeAssistant,
    hass_storage: dict[str, object],
    cloud: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Upgraded from a version without statistics: the history is read once and imported."""
    transactions = sessions(cloud, CHARGING)
    newest = transactions[-1]
    hass_storage[STORE_KEY] = {
        "version": 1,
        "key": STORE_KEY,
        "data": {
            "ledgers": {
                CHARGING: {
                    "energy": sum(t.kwh for t in transactions),
                    "cost": sum(t.total_costs for t in transactions),
                    "count": len(transactions),
                    "currency": "EUR",
                    "synced_until": newest.end_time.isoformat(),
                    "boundary_ids": [newest.transaction_id],
                    "last_start": {"1": newest.started_at.isoformat()},
                    "latest": None,
                }
            }
        },
    }
    await async_import(hass, config_entry)
    await assert_months_match(hass, cloud, CHARGING, None)
    await assert_months_match(hass, cloud, IDLE, 1)
    await assert_months_match(hass, cloud, IDLE, 2)

    cloud.stats.reset()
    await async_restart(hass, config_entry)
    assert cloud.stats.rest_requests[TRANSACTIONS] == 1  # complete now: not read again
    await hass.config_entries.async_unload(config_entry.entry_id)


@pytest.mark.usefixtures("imported")
async def test_session_that_ended_while_stopped_is_added_at_the_restart(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """Home Assistant was down when a session ended: the restart adds it, nothing else."""
    before = (await recorded_rows(hass, energy_id(CHARGING)))[-1]["sum"]
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await cloud.advance(1800)
    ended = await cloud.stop_charging(CHARGING)
    assert ended is not None
    cloud.stats.reset()
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle_statistics(hass)
    await assert_months_match(hass, cloud, CHARGING, None)
    after = (await recorded_rows(hass, energy_id(CHARGING)))[-1]["sum"]
    assert after == pytest.approx(before + ended.kwh, abs=1e-6)
    assert cloud.stats.rest_requests[TRANSACTIONS] == 1

"""The history statistics after the first import: new and late sessions, restarts, deletions.

Every check compares the recorder's monthly energy and cost with the simulator's sessions
(test_statistics_oracle.py) and counts the transaction pages the simulator served, so that a
full read of the history happens exactly when it must.
"""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.recorder.statistics import async_add_external_statistics
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.bluecurrent.statistics_recorder import energy_metadata
from custom_components.bluecurrent.statistics_rows import Series
from simulator import Simulator

from .conftest import WaitFor, fire_soon, state_of, use_settings
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

TRANSACTIONS = "POST /app/bc_api/api/v2.0/gettransactions"


def _pages(cloud: Simulator) -> int:
    return cloud.stats.rest_requests[TRANSACTIONS]


async def _assert_all_match(hass: HomeAssistant, cloud: Simulator) -> None:
    await assert_months_match(hass, cloud, CHARGING, None)
    await assert_months_match(hass, cloud, IDLE, 1)
    await assert_months_match(hass, cloud, IDLE, 2)


async def _session(
    hass: HomeAssistant, cloud: Simulator, wait_for: WaitFor, evse_id: str, seconds: int
) -> None:
    """Charge for a while, stop, and let the integration read the booked session."""
    await cloud.start_charging(evse_id)
    await wait_for(lambda: state_of(hass, "binary_sensor", f"{evse_id}_charging") == "on", 5)
    await cloud.advance(seconds)
    await _stop(hass, cloud, wait_for, evse_id)


async def _stop(hass: HomeAssistant, cloud: Simulator, wait_for: WaitFor, evse_id: str) -> None:
    await cloud.stop_charging(evse_id)
    await wait_for(lambda: state_of(hass, "binary_sensor", f"{evse_id}_charging") == "off", 5)
    await fire_soon(hass, 10)  # the session is read a few seconds after it ended
    await settle_statistics(hass)


async def clear(hass: HomeAssistant, hass_ws_client: WebSocketGenerator, ids: list[str]) -> None:
    """Delete statistics as Developer tools → Statistics does."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "recorder/clear_statistics", "statistic_ids": ids})
    assert (await client.receive_json())["success"]
    await settle_statistics(hass)
    for statistic_id in ids:
        assert await recorded_rows(hass, statistic_id) == []


@pytest.mark.usefixtures("imported")
async def test_new_sessions_are_added(
    hass: HomeAssistant, cloud: Simulator, wait_for: WaitFor
) -> None:
    """Each new session lands in its hours, also in an hour that already has a row."""
    cloud.stats.reset()
    before = (await recorded_rows(hass, energy_id(CHARGING)))[-1]["sum"]
    await _stop(hass, cloud, wait_for, CHARGING)  # the session running since the start
    await _session(hass, cloud, wait_for, CHARGING, 1200)
    await _session(hass, cloud, wait_for, CHARGING, 600)  # in the same hour as the last one

    await _assert_all_match(hass, cloud)
    booked = sessions(cloud, CHARGING)
    rows = await recorded_rows(hass, energy_id(CHARGING))
    assert rows[-1]["sum"] == pytest.approx(sum(t.kwh for t in booked), abs=1e-6)
    assert rows[-1]["sum"] == pytest.approx(before + sum(t.kwh for t in booked[-3:]), abs=1e-6)
    # Both short sessions fell in one hour, which has one row with both.
    last, second = booked[-1], booked[-2]
    assert dt_util.as_utc(second.started_at).hour == dt_util.as_utc(last.end_time).hour
    assert rows[-1]["state"] == pytest.approx(second.kwh + last.kwh, abs=1e-6)
    assert _pages(cloud) == 3  # one page per read: nothing was read again


async def test_late_session_rewrites_the_rows_after_it(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A session listed after newer ones goes into its own hours; every later sum grows by it."""
    use_settings(hass, late_window=timedelta(days=30))
    await async_import(hass, config_entry)
    socket_1 = energy_id(IDLE, 1)
    before = {row["start"]: row["sum"] for row in await recorded_rows(hass, socket_1)}
    newest = sessions(cloud, IDLE, 1)[-1]
    late = await cloud.add_transaction(
        IDLE,
        socket_id=1,
        started=newest.started_at - timedelta(days=12, hours=5),
        ended=newest.started_at - timedelta(days=12, hours=1),
        kwh=9.25,
    )
    cloud.stats.reset()
    await _session(hass, cloud, wait_for, IDLE, 900)  # a new session makes it read

    await _assert_all_match(hass, cloud)
    after = {row["start"]: row["sum"] for row in await recorded_rows(hass, socket_1)}
    first_hour = dt_util.as_utc(late.started_at).replace(minute=0, second=0).timestamp()
    later = [start for start in before if start >= first_hour + 4 * 3600]
    earlier = [start for start in before if start < first_hour]
    assert len(later) > 10
    assert len(earlier) > 10
    for start in later:
        assert after[start] == pytest.approx(before[start] + 9.25, abs=1e-6)
    for start in earlier:
        assert after[start] == pytest.approx(before[start], abs=1e-9)
    assert _pages(cloud) < 10  # the look-back, not the whole history
    await hass.config_entries.async_unload(config_entry.entry_id)


@pytest.mark.usefixtures("imported")
async def test_restart_continues_the_sums(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """After a restart only new sessions are read, and added on top of the stored sums."""
    before = (await recorded_rows(hass, energy_id(CHARGING)))[-1]["sum"]
    cloud.stats.reset()
    await async_restart(hass, config_entry)
    assert _pages(cloud) == 1
    assert (await recorded_rows(hass, energy_id(CHARGING)))[-1]["sum"] == before

    await _stop(hass, cloud, wait_for, CHARGING)
    await _assert_all_match(hass, cloud)
    ended = sessions(cloud, CHARGING)[-1]
    after = (await recorded_rows(hass, energy_id(CHARGING)))[-1]["sum"]
    assert after == pytest.approx(before + ended.kwh, abs=1e-6)


@pytest.mark.usefixtures("imported")
async def test_deleted_statistics_come_back_after_a_restart(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    cloud: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Deleted in Developer tools, a charge point's statistics are read anew at the restart."""
    await clear(hass, hass_ws_client, [energy_id(IDLE, 2), cost_id(IDLE, 2)])
    cloud.stats.reset()
    await async_restart(hass, config_entry)
    await _assert_all_match(hass, cloud)
    # The look-back, and the whole history of the charge point concerned (no others).
    idle = len(sessions(cloud, IDLE))
    assert _pages(cloud) == 1 + (idle + 24) // 25

    cloud.stats.reset()
    await async_restart(hass, config_entry)
    assert _pages(cloud) == 1  # found complete this time


@pytest.mark.usefixtures("imported")
async def test_statistics_deleted_while_running_come_back_with_the_next_session(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, cloud: Simulator, wait_for: WaitFor
) -> None:
    """A session for a statistic that is gone: the charge point's history is read anew."""
    await clear(hass, hass_ws_client, [energy_id(CHARGING)])
    await _stop(hass, cloud, wait_for, CHARGING)
    await _assert_all_match(hass, cloud)


@pytest.mark.usefixtures("imported")
async def test_import_cut_short_is_done_again_at_a_restart(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    cloud: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Statistics that end before the newest counted session are written anew at a restart."""
    rows = await recorded_rows(hass, energy_id(CHARGING))
    await clear(hass, hass_ws_client, [energy_id(CHARGING)])
    kept = rows[: len(rows) // 2]
    name = next(cp.name for cp in cloud.account.charge_points.values() if cp.evse_id == CHARGING)
    async_add_external_statistics(
        hass,
        energy_metadata(Series(CHARGING), name),
        [
            {"start": dt_util.utc_from_timestamp(r["start"]), "state": r["state"], "sum": r["sum"]}
            for r in kept
        ],
    )
    await settle_statistics(hass)
    assert len(await recorded_rows(hass, energy_id(CHARGING))) == len(kept)

    await async_restart(hass, config_entry)
    await _assert_all_match(hass, cloud)

"""The lifetime energy sensor: total_increasing, across session ends and restarts."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.core import HomeAssistant, State
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator

from .conftest import (
    ENTRY_ID,
    WaitFor,
    entity_id,
    fire_poll,
    fire_soon,
    record_states,
    settle,
    state_of,
)

# The latest-session sensors checked here are disabled by default.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")

EVSE_ID = "BCU100001"  # charging at the start, 30 completed sessions (two pages)
LIFETIME = f"{EVSE_ID}_lifetime_energy"
TRANSACTIONS = "POST /app/bc_api/api/v2.0/gettransactions"
STORE_KEY = f"{DOMAIN}.{ENTRY_ID}.ledger"


def _completed(cloud: Simulator, evse_id: str = EVSE_ID) -> float:
    return sum(t.kwh for t in cloud.account.charge_points[evse_id].transactions)


def _lifetime(hass: HomeAssistant) -> float:
    return float(state_of(hass, "sensor", LIFETIME))


async def test_lifetime_counts_completed_and_running(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Completed sessions plus the running one; it grows with the session."""
    state = hass.states.get(entity_id(hass, "sensor", LIFETIME))
    assert state is not None
    assert state.attributes[ATTR_STATE_CLASS] == SensorStateClass.TOTAL_INCREASING
    session = cloud.account.charge_points[EVSE_ID].session
    assert session is not None
    assert _lifetime(hass) == round(_completed(cloud) + session.kwh, 3)
    idle = cloud.account.charge_points["BCU100002"]
    assert float(state_of(hass, "sensor", "BCU100002_lifetime_energy")) == round(
        _completed(cloud, idle.evse_id), 3
    )

    await cloud.advance(1800)
    expected = round(_completed(cloud) + round(session.kwh, 3), 3)
    await wait_for(lambda: _lifetime(hass) == expected, 5)


async def test_lifetime_across_session_end(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """The session's energy moves from "running" to the totals without a dip or a double count."""
    await cloud.advance(3600)
    session = cloud.account.charge_points[EVSE_ID].session
    assert session is not None
    before = round(_completed(cloud) + round(session.kwh, 3), 3)
    await wait_for(lambda: _lifetime(hass) == before, 5)
    seen = record_states(hass, entity_id(hass, "sensor", LIFETIME))
    cloud.stats.reset()

    transaction = await cloud.stop_charging(EVSE_ID)
    assert transaction is not None
    await wait_for(lambda: state_of(hass, "sensor", f"{EVSE_ID}_activity") == "available", 5)
    # The transaction is fetched a little later, once the cloud has booked it.
    await fire_soon(hass, 10)
    assert cloud.stats.rest_requests == {TRANSACTIONS: 1}
    assert _lifetime(hass) == round(_completed(cloud), 3) == before
    assert float(state_of(hass, "sensor", f"{EVSE_ID}_latest_transaction_energy")) == (
        transaction.kwh
    )
    assert all(float(value) >= before for value in seen), seen

    # A new session adds on top.
    await cloud.start_charging(EVSE_ID)
    await cloud.advance(1800)
    session = cloud.account.charge_points[EVSE_ID].session
    assert session is not None
    await wait_for(lambda: _lifetime(hass) == round(before + round(session.kwh, 3), 3), 5)


async def test_lifetime_across_session_end_on_second_socket(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A session on the second socket is counted while it runs and once it is booked."""
    evse_id = "BCU100002"
    lifetime = f"{evse_id}_lifetime_energy"
    await cloud.start_charging(evse_id, socket_id=2)
    await cloud.advance(3600)
    session = cloud.account.charge_points[evse_id].session
    assert session is not None
    running = round(_completed(cloud, evse_id) + round(session.kwh, 3), 3)
    await wait_for(lambda: float(state_of(hass, "sensor", lifetime)) == running, 5)

    await cloud.stop_charging(evse_id)
    await wait_for(
        lambda: state_of(hass, "sensor", f"{evse_id}_socket_2_activity") == "available", 5
    )
    await fire_soon(hass, 10)
    assert float(state_of(hass, "sensor", lifetime)) == round(_completed(cloud, evse_id), 3)
    assert cloud.account.charge_points[evse_id].transactions[-1].socket_id == 2
    latest = float(state_of(hass, "sensor", f"{evse_id}_socket_2_latest_transaction_energy"))
    assert latest == cloud.account.charge_points[evse_id].transactions[-1].kwh


async def test_failed_transaction_fetch_is_retried(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """If the booked session cannot be read at once, the next poll reads it; nothing dips."""
    before = _lifetime(hass)
    seen = record_states(hass, entity_id(hass, "sensor", LIFETIME))
    transaction = await cloud.stop_charging(EVSE_ID)
    assert transaction is not None
    await wait_for(lambda: state_of(hass, "sensor", f"{EVSE_ID}_activity") == "available", 5)
    cloud.faults.rest_errors = 1
    await fire_soon(hass, 10)
    assert cloud.faults.rest_errors == 0  # the fetch was tried and failed
    latest = f"{EVSE_ID}_latest_transaction_energy"
    assert float(state_of(hass, "sensor", latest)) != transaction.kwh

    await fire_poll(hass)
    assert float(state_of(hass, "sensor", latest)) == transaction.kwh
    assert _lifetime(hass) == round(_completed(cloud), 3) == before
    assert all(float(value) >= before for value in seen), seen


async def test_history_is_read_once_the_entities_exist(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """A large account's history read waits for setup to add the entities, then runs by itself."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    assert cloud.stats.rest_requests[TRANSACTIONS] == 0
    assert hass.states.get(entity_id(hass, "sensor", LIFETIME)) is not None

    await settle(hass)
    assert cloud.stats.rest_requests[TRANSACTIONS] >= 1
    assert float(state_of(hass, "sensor", LIFETIME)) >= _completed(cloud)
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_lifetime_across_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, object],
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """The totals are stored: after a reload only new transactions are read, the value holds."""
    before = _lifetime(hass)
    await wait_for(lambda: STORE_KEY in hass_storage)  # the delayed save, a second later

    cloud.stats.reset()
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await settle(hass)
    assert _lifetime(hass) == before
    # One page for the whole account instead of every page of the history.
    assert cloud.stats.rest_requests[TRANSACTIONS] == 1


async def test_lifetime_never_lower_than_before_a_restart(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """Without stored totals and with less history in the cloud, the last value still holds."""
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("sensor.schuur_001_lifetime_energy", "9999.0"),
                {"native_value": 9999.0, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    assert _lifetime(hass) == 9999.0


async def test_damaged_store_counts_again(
    hass: HomeAssistant,
    hass_storage: dict[str, object],
    cloud: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """A damaged stored record is read again from the cloud's history."""
    hass_storage[STORE_KEY] = {
        "version": 1,
        "key": STORE_KEY,
        "data": {"ledgers": {EVSE_ID: {"energy": "lots"}}},
    }
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    session = cloud.account.charge_points[EVSE_ID].session
    assert session is not None
    assert _lifetime(hass) == round(_completed(cloud) + session.kwh, 3)
    await hass.config_entries.async_unload(config_entry.entry_id)


async def test_charge_point_added_later_gets_its_whole_history(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A new charge point's past is read in full; the others only read what is new."""
    before = {e: float(state_of(hass, "sensor", f"{e}_lifetime_energy")) for e in ("BCU100002",)}
    added = await cloud.add_charge_point(history=30)
    cloud.stats.reset()
    await fire_poll(hass)
    await settle(hass)
    assert float(state_of(hass, "sensor", f"{added.evse_id}_lifetime_energy")) == round(
        _completed(cloud, added.evse_id), 3
    )
    for evse_id, value in before.items():
        assert float(state_of(hass, "sensor", f"{evse_id}_lifetime_energy")) == value
    # Two pages of the new charge point's history; the others are not due for a read.
    assert cloud.stats.rest_requests[TRANSACTIONS] == 2


async def test_sessions_ending_in_the_same_second_are_both_counted(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Two charge points booking a session at the same moment: each counted once, none lost."""
    await cloud.start_charging("BCU100002")
    await cloud.advance(1800)
    await cloud.stop_charging(EVSE_ID)
    await cloud.stop_charging("BCU100002")
    ends = {cp.transactions[-1].end_time for cp in cloud.account.charge_points.values()}
    assert len(ends) == 1  # the simulated clock did not move between the two
    for evse_id in (EVSE_ID, "BCU100002"):
        expected = round(_completed(cloud, evse_id), 3)
        await wait_for(
            lambda e=evse_id, x=expected: (
                float(state_of(hass, "sensor", f"{e}_lifetime_energy")) == x
            ),
            15,
        )
    # After a restart the read starts at that second again and must not count it twice.
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await settle(hass)
    for evse_id in (EVSE_ID, "BCU100002"):
        assert float(state_of(hass, "sensor", f"{evse_id}_lifetime_energy")) == round(
            _completed(cloud, evse_id), 3
        )


async def test_late_transaction_is_counted_once(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A session the cloud lists after newer ones (a charger that was offline) still counts.

    It is counted once: not again at the next read, nor after a restart.
    """
    idle = "BCU100002"
    before = float(state_of(hass, "sensor", f"{idle}_lifetime_energy"))
    newest = cloud.account.charge_points[idle].transactions[-1]
    late = await cloud.add_transaction(
        idle,
        started=newest.started_at - timedelta(hours=3),
        ended=newest.end_time - timedelta(hours=2),
        kwh=7.5,
    )
    assert late.end_time < newest.end_time
    # A new session makes the integration read transactions.
    await cloud.start_charging(idle)
    await wait_for(lambda: state_of(hass, "binary_sensor", f"{idle}_charging") == "on")
    await cloud.advance(600)
    await cloud.stop_charging(idle)
    await wait_for(lambda: state_of(hass, "binary_sensor", f"{idle}_charging") == "off")
    await fire_soon(hass, 10)
    expected = round(_completed(cloud, idle), 3)
    assert float(state_of(hass, "sensor", f"{idle}_lifetime_energy")) == expected
    assert expected == round(
        before + 7.5 + cloud.account.charge_points[idle].transactions[-1].kwh, 3
    )

    await fire_poll(hass)
    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await settle(hass)
    assert float(state_of(hass, "sensor", f"{idle}_lifetime_energy")) == expected


async def test_totals_stored_by_version_0_1_are_kept(
    hass: HomeAssistant,
    hass_storage: dict[str, object],
    cloud: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """Totals stored before ids were kept count on, without counting the history twice."""
    transactions = cloud.account.charge_points[EVSE_ID].transactions
    newest = transactions[-1]
    stored_energy = sum(t.kwh for t in transactions)
    hass_storage[STORE_KEY] = {
        "version": 1,
        "key": STORE_KEY,
        "data": {
            "ledgers": {
                EVSE_ID: {
                    "energy": stored_energy,
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
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await settle(hass)
    session = cloud.account.charge_points[EVSE_ID].session
    assert session is not None
    assert _lifetime(hass) == round(stored_energy + session.kwh, 3)
    await hass.config_entries.async_unload(config_entry.entry_id)

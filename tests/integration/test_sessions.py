"""What a user sees of sessions: one session's energy and cost together, per socket.

When a session ends, its energy and cost stay until the next one starts (the cloud's ended
status says 0 kWh but keeps the cost); "Session ended" never falls back to unknown.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator

from .conftest import WaitFor, entity_id, fire_soon, record_states, settle, state_of


def _value(hass: HomeAssistant, platform: str, unique_id: str) -> float:
    return float(state_of(hass, platform, unique_id))


@pytest.mark.usefixtures("all_entities_enabled")
async def test_ended_session_keeps_its_energy_and_cost(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Energy and cost of the ended session stay together, first from the last status, then
    from its transaction; the end time stays a time when the next session starts."""
    await cloud.advance(900)
    session = cloud.account.charge_points["BCU100001"].session
    assert session is not None
    await wait_for(
        lambda: _value(hass, "sensor", "BCU100001_session_energy") == round(session.kwh, 3)
    )
    energy_seen = record_states(hass, entity_id(hass, "sensor", "BCU100001_session_energy"))
    running = _value(hass, "sensor", "BCU100001_session_energy")

    transaction = await cloud.stop_charging("BCU100001")
    assert transaction is not None
    await wait_for(lambda: state_of(hass, "binary_sensor", "BCU100001_charging") == "off")
    assert _value(hass, "sensor", "BCU100001_session_energy") == running
    assert _value(hass, "sensor", "BCU100001_session_cost") == transaction.total_costs
    ended = dt_util.parse_datetime(state_of(hass, "sensor", "BCU100001_session_end"))
    assert ended == transaction.end_time

    await fire_soon(hass, 10)  # the transaction is read a few seconds after the end
    assert _value(hass, "sensor", "BCU100001_session_energy") == transaction.kwh
    assert _value(hass, "sensor", "BCU100001_latest_transaction_energy") == transaction.kwh
    # Never a zero in between: the ended session's energy holds until the next one starts.
    assert all(float(s) > 0 for s in energy_seen if s not in ("unknown", "unavailable"))

    end_seen = record_states(hass, entity_id(hass, "sensor", "BCU100001_session_end"))
    await cloud.start_charging("BCU100001")
    await wait_for(lambda: state_of(hass, "binary_sensor", "BCU100001_charging") == "on")
    assert end_seen == []  # unchanged: still the end of the previous session
    assert dt_util.parse_datetime(state_of(hass, "sensor", "BCU100001_session_end")) == ended
    assert _value(hass, "sensor", "BCU100001_session_energy") == 0


@pytest.mark.usefixtures("all_entities_enabled")
async def test_each_socket_has_its_own_session(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """On a two-socket charge point the charge point combines; each socket shows its own."""
    assert state_of(hass, "sensor", "BCU100002_activity") == "available"
    await cloud.start_charging("BCU100002", socket_id=2)
    await wait_for(lambda: state_of(hass, "sensor", "BCU100002_activity") == "charging")
    assert state_of(hass, "sensor", "BCU100002_socket_1_activity") == "available"
    assert state_of(hass, "sensor", "BCU100002_socket_2_activity") == "charging"
    assert state_of(hass, "binary_sensor", "BCU100002_charging") == "on"
    assert state_of(hass, "binary_sensor", "BCU100002_socket_1_charging") == "off"
    assert state_of(hass, "binary_sensor", "BCU100002_socket_2_vehicle_connected") == "on"

    await cloud.advance(1200)
    await settle(hass)
    socket_2 = _value(hass, "sensor", "BCU100002_socket_2_power")
    assert socket_2 > 0
    assert _value(hass, "sensor", "BCU100002_power") == socket_2
    assert _value(hass, "sensor", "BCU100002_socket_1_power") == 0

    transaction = await cloud.stop_charging("BCU100002")
    assert transaction is not None
    await wait_for(lambda: state_of(hass, "sensor", "BCU100002_activity") == "available")
    await fire_soon(hass, 10)
    latest_2 = _value(hass, "sensor", "BCU100002_socket_2_latest_transaction_cost")
    assert latest_2 == transaction.total_costs
    socket_1 = [
        t for t in cloud.account.charge_points["BCU100002"].transactions if t.socket_id == 1
    ]
    latest_1 = state_of(hass, "sensor", "BCU100002_socket_1_latest_transaction_cost")
    if socket_1:
        newest = max(socket_1, key=lambda t: t.end_time)
        assert float(latest_1) == newest.total_costs
    else:
        assert latest_1 == "unknown"
    # No charge-point-level entity mixes the sockets' sessions.
    registry = er.async_get(hass)
    for key in ("session_energy", "session_cost", "latest_transaction_cost", "vehicle_status"):
        assert registry.async_get_entity_id("sensor", DOMAIN, f"BCU100002_{key}") is None

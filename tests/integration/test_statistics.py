"""The charging history as long-term statistics: a real recorder, the real client, the simulator.

Expected values come from the simulator's own sessions, spread over calendar months by the
seconds each ran in them (test_statistics_oracle.py); what is checked comes from the recorder's
own query functions and websocket commands, as the Energy dashboard reads them.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from simulator import Simulator

from .conftest import fire_poll, use_client_settings
from .test_statistics_fixtures import (  # noqa: F401 - fixtures
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
    settle_statistics,
)

ALL_IDS = {
    energy_id(CHARGING),
    cost_id(CHARGING),
    energy_id(IDLE, 1),
    cost_id(IDLE, 1),
    energy_id(IDLE, 2),
    cost_id(IDLE, 2),
}


@pytest.mark.usefixtures("imported")
async def test_year_of_history(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, cloud: Simulator
) -> None:
    """Each month's energy and cost in the recorder are the sessions', per socket where two."""
    await assert_months_match(hass, cloud, CHARGING, None)
    await assert_months_match(hass, cloud, IDLE, 1)
    await assert_months_match(hass, cloud, IDLE, 2)

    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "recorder/list_statistic_ids", "statistic_type": "sum"})
    response = await client.receive_json()
    assert response["success"]
    listed = {item["statistic_id"]: item for item in response["result"]}
    assert listed.keys() >= ALL_IDS
    assert not {i for i in listed if i.startswith("bluecurrent:")} - ALL_IDS
    names = {cp.evse_id: cp.name for cp in cloud.account.charge_points.values()}
    energy = listed[energy_id(CHARGING)]
    assert energy["name"] == f"{names[CHARGING]} energy"
    assert energy["source"] == "bluecurrent"
    assert energy["has_sum"] is True
    assert energy["statistics_unit_of_measurement"] == "kWh"
    assert energy["unit_class"] == "energy"
    cost = listed[cost_id(IDLE, 2)]
    assert cost["name"] == f"{names[IDLE]} socket 2 cost"
    assert cost["statistics_unit_of_measurement"] == "EUR"
    assert cost["unit_class"] is None


@pytest.mark.usefixtures("imported")
async def test_rows_are_hourly_and_cumulative(hass: HomeAssistant) -> None:
    """Every row starts on the hour; its sum is the previous one plus its own hour's amount."""
    rows = await recorded_rows(hass, energy_id(CHARGING))
    assert len(rows) > 100
    previous = 0.0
    for row in rows:
        assert row["start"] % 3600 == 0
        assert row["sum"] == pytest.approx(previous + row["state"], abs=1e-9)
        previous = row["sum"]


@pytest.mark.usefixtures("imported")
async def test_energy_dashboard_takes_it_as_a_device(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """The Energy dashboard's preferences accept the statistic as an individual device.

    Its own validation finds nothing wrong, while it does flag a statistic that does not exist.
    """
    assert await async_setup_component(hass, "energy", {})
    client = await hass_ws_client(hass)
    missing = "bluecurrent:energy_bcu999999"
    devices = [{"stat_consumption": energy_id(CHARGING)}, {"stat_consumption": missing}]
    await client.send_json_auto_id({"type": "energy/save_prefs", "device_consumption": devices})
    response = await client.receive_json()
    assert response["success"], response
    assert response["result"]["device_consumption"][0]["stat_consumption"] == energy_id(CHARGING)

    await client.send_json_auto_id({"type": "energy/validate"})
    response = await client.receive_json()
    assert response["success"], response
    ours, other = response["result"]["device_consumption"]
    assert ours == []
    assert [issue["type"] for issue in other] == ["statistics_not_defined"]


async def test_setup_does_not_wait_for_the_history(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """The entry loads while the history is still being read; the statistics follow after."""
    cloud.generate_history(CHARGING, 200, days=2 * 365)
    use_client_settings(hass, request_timeout=0.3)
    cloud.faults.silent_paths.add("gettransactions")
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.LOADED
    assert await recorded_rows(hass, energy_id(CHARGING)) == []

    cloud.faults.silent_paths.clear()
    await settle_statistics(hass)  # the held read gives up
    await fire_poll(hass)  # and is tried again
    await settle_statistics(hass)
    await assert_months_match(hass, cloud, CHARGING, None)
    assert await hass.config_entries.async_unload(config_entry.entry_id)

"""A failed read of one thing blanks only what depends on it; the pushed statuses stay live."""

from __future__ import annotations

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from .conftest import ENTRY_ID, WaitFor, entity_id, fire_poll, idle_smart, state_of

# The read each command answers, and the entities that show what it reads.
DEPENDENTS = {
    "GET_CHARGE_CARDS": {
        ("select", f"{evse_id}_plug_and_charge_card") for evse_id in ("BCU100001", "BCU100002")
    },
    "GET_SUSTAINABILITY_STATUS": {("sensor", f"{ENTRY_ID}_{key}") for key in ("co2", "trees")},
    "GET_GRID_STATUS": {
        ("sensor", f"GRID-BCU100001_{key}")
        for key in (
            "grid_current",
            "grid_current_max",
            "grid_current_phase_1",
            "grid_current_phase_2",
            "grid_current_phase_3",
            "grid_max_installed",
            "grid_max_reserved",
        )
    },
    "GET_CHARGE_POINTS": {
        (platform, f"{evse_id}_{key}")
        for evse_id in ("BCU100001", "BCU100002")
        for platform, key in (
            ("switch", "plug_and_charge"),
            ("switch", "public_charging"),
            ("switch", "capacity_tariff"),
            ("number", "capacity_tariff_limit"),
            ("select", "smart_charging_mode"),
            ("sensor", "delayed_charging_days"),
            ("sensor", "tariff_price"),
        )
    },
}


def _enabled_states(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    registry = er.async_get(hass)
    return {
        e.entity_id: hass.states.get(e.entity_id).state  # type: ignore[union-attr]
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.disabled_by is None and not idle_smart(e.unique_id)
    }


@pytest.mark.parametrize("command", sorted(DEPENDENTS))
@pytest.mark.usefixtures("all_entities_enabled")  # those off by default too
async def test_failed_read_blanks_only_its_dependents(
    hass: HomeAssistant,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
    command: str,
) -> None:
    """The entities of the failed read go unavailable; every other one keeps its state."""
    before = _enabled_states(hass, loaded_entry)
    assert STATE_UNAVAILABLE not in before.values()
    dependents = {entity_id(hass, platform, uid) for platform, uid in DEPENDENTS[command]}

    cloud.faults.command_errors = {command: (9, "Unknown error")}
    await fire_poll(hass)
    during = _enabled_states(hass, loaded_entry)
    assert {e for e, state in during.items() if state == STATE_UNAVAILABLE} == dependents

    # What the websocket pushes stays live meanwhile.
    await cloud.advance(600)
    energy = round(cloud.account.charge_points["BCU100001"].session.kwh, 2)  # type: ignore[union-attr]
    await wait_for(
        lambda: round(float(state_of(hass, "sensor", "BCU100001_session_energy")), 2) == energy
    )

    cloud.faults.command_errors = {}
    await fire_poll(hass)
    assert STATE_UNAVAILABLE not in _enabled_states(hass, loaded_entry).values()

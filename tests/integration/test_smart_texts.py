"""Smart charging in words: translated names and states, readable days, and the diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bluecurrent import binary_sensor, button, number, select, switch, time
from custom_components.bluecurrent.sensor_smart import SMART_SENSORS
from custom_components.bluecurrent.smart import DAY_SETS
from simulator import Simulator
from simulator.state import OverrideSchedule

from .smart_common import EVSE, load

COMPONENT = Path(__file__).resolve().parents[2] / "custom_components" / "bluecurrent"
NAMES = {
    "en": (("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), "Every day"),
    "nl": (("ma", "di", "wo", "do", "vr", "za", "zo"), "Elke dag"),
    "de": (("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"), "Jeden Tag"),
    "fr": (("lun", "mar", "mer", "jeu", "ven", "sam", "dim"), "Tous les jours"),
}
KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DASH = "\N{EN DASH}"


def _readable(key: str, names: tuple[str, ...], every: str) -> str:
    """Make runs of three days or more a range (en dash), list the others; all seven: a word."""
    days = [KEYS.index(day) for day in key.split("_")]
    if len(days) == 7:
        return every
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}{DASH}{names[run[-1]]}")
        else:
            parts.extend(names[day] for day in run)
    return ", ".join(parts)


def _entity(language: str) -> dict:
    name = "strings.json" if language == "en" else f"translations/{language}.json"
    return json.loads((COMPONENT / name).read_text(encoding="utf-8"))["entity"]


def test_every_set_of_days_reads_well_in_each_language() -> None:
    assert len(DAY_SETS) == 2**7 - 1
    for language, (names, every) in NAMES.items():
        states = _entity(language)["sensor"]["delayed_charging_days"]["state"]
        assert set(states) == set(DAY_SETS), language
        for key in DAY_SETS:
            assert states[key] == _readable(key, names, every), (language, key)
    english = _entity("en")["sensor"]["delayed_charging_days"]["state"]
    assert english["mon_tue_wed_thu_fri"] == f"Mon{DASH}Fri"
    assert english["mon_wed_fri"] == "Mon, Wed, Fri"
    assert english["mon_tue_wed_thu_fri_sat_sun"] == "Every day"


def test_smart_entities_are_translated() -> None:
    """Names, socket variants and states of every new entity, in every language."""
    descriptions = {
        "time": time.TIMES,
        "number": number.NUMBERS,
        "select": select.SELECTS,
        "switch": switch.SWITCHES,
        "button": button.BUTTONS,
        "binary_sensor": binary_sensor.BINARY_SENSORS,
        "sensor": SMART_SENSORS,
    }
    for language in NAMES:
        entity = _entity(language)
        for platform, items in descriptions.items():
            for description in items:
                keys = [description.translation_key]
                if getattr(description, "per_socket", False):
                    keys.append(f"socket_{description.translation_key}")
                for key in keys:
                    assert entity[platform][key]["name"], (language, platform, key)
                    states = entity[platform][key].get("state", {})
                    assert set(getattr(description, "options", None) or []) <= set(states)
    mode = _entity("nl")["select"]["smart_charging_mode"]["state"]
    assert set(mode) == {"off", "delayed", "price_based"}


async def test_diagnostics_show_the_override_schedules(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    cloud: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    cloud.account.override_schedules.append(
        OverrideSchedule(4, [EVSE], "17:00", ["MO"], "21:00", ["MO"], 9.0)
    )
    await load(hass, config_entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, config_entry)
    assert diagnostics["current_overrides"] == [
        {
            "schedule_id": 4,
            "chargepoints": [EVSE],
            "start_time": "17:00",
            "start_days": [1],
            "end_time": "21:00",
            "end_days": [1],
            "value": 9.0,
            "extra": {},
        }
    ]

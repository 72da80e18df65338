"""Every name, state, error and exception the code uses is translated, in English and Dutch."""

from __future__ import annotations

import json
from pathlib import Path
import re
import subprocess
import sys

import yaml

from custom_components.bluecurrent import button, select, sensor, switch

ROOT = Path(__file__).resolve().parents[2]
COMPONENT = ROOT / "custom_components" / "bluecurrent"


def _load(name: str) -> dict:
    return json.loads((COMPONENT / name).read_text(encoding="utf-8"))


def _keys(tree: dict, prefix: str = "") -> set[str]:
    keys = set()
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            keys |= _keys(value, path)
        else:
            keys.add(path)
    return keys


def test_files_match_generator() -> None:
    """strings.json and both translations are what the generator writes."""
    script = ROOT / "scripts" / "dev" / "gen_translations.py"
    result = subprocess.run([sys.executable, str(script), "--check"], check=False)  # noqa: S603
    assert result.returncode == 0


def test_dutch_has_every_key() -> None:
    """Dutch users see no English fallback."""
    assert _keys(_load("translations/nl.json")) == _keys(_load("strings.json"))


def test_entity_translation_keys_exist() -> None:
    """Each entity description's translation key, and its states, are in strings.json."""
    entity = _load("strings.json")["entity"]
    descriptions = {
        "sensor": [
            *sensor.STATUS_SENSORS,
            *sensor.CHARGE_POINT_SENSORS,
            *sensor.GRID_SENSORS,
            *sensor.ACCOUNT_SENSORS,
        ],
        "switch": list(switch.SWITCHES),
        "button": list(button.BUTTONS),
        "select": [select.CARD_SELECT],
    }
    for platform, items in descriptions.items():
        for description in items:
            assert description.translation_key in entity[platform], description.key
            options = getattr(description, "options", None) or []
            states = entity[platform][description.translation_key].get("state", {})
            assert set(options) <= set(states), description.key
    for description in sensor.STATUS_SENSORS:
        if description.per_socket:
            assert f"socket_{description.key}" in entity["sensor"]


def test_exception_keys_exist() -> None:
    """Every translation_key raised in the code has a message."""
    exceptions = _load("strings.json")["exceptions"]
    used: set[str] = set()
    for path in COMPONENT.glob("*.py"):
        used |= set(re.findall(r'translation_key="(\w+)"', path.read_text()))
        used |= set(re.findall(r'_invalid\("(\w+)"', path.read_text()))
        used |= set(re.findall(r'key, placeholders = "(\w+)"', path.read_text()))
    strings = _load("strings.json")
    entity_keys = {key for platform in strings["entity"].values() for key in platform}
    assert used - entity_keys - set(strings["device"]) <= set(exceptions)
    assert {"invalid_auth", "limit_reached", "unknown_card"} <= used


def test_services_translated() -> None:
    """Each action and field in services.yaml has a name and description."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    strings = _load("strings.json")["services"]
    for name, spec in services.items():
        assert strings[name]["name"]
        assert strings[name]["description"]
        assert set(spec["fields"]) == set(strings[name]["fields"])


def test_manifest_and_hacs() -> None:
    """What HACS and hassfest check offline: keys, version, iot class, translations dir."""
    manifest = _load("manifest.json")
    assert manifest["domain"] == "bluecurrent"
    for key in ("name", "codeowners", "documentation", "issue_tracker", "version", "requirements"):
        assert key in manifest
    assert manifest["iot_class"] == "cloud_push"
    assert manifest["config_flow"] is True
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    hacs = json.loads((ROOT / "hacs.json").read_text())
    assert hacs["name"]
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", hacs["homeassistant"])
    assert (COMPONENT / "translations" / "en.json").exists()

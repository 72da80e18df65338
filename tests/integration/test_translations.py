"""Every name, state, error and exception the code uses is translated (en, nl, de, fr)."""

from __future__ import annotations

import json
from pathlib import Path
import re
import subprocess
import sys

import yaml

from custom_components.bluecurrent import binary_sensor, button, select, sensor, switch

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


def test_english_is_strings_json() -> None:
    """translations/en.json is strings.json, as the generator writes it."""
    script = ROOT / "scripts" / "dev" / "gen_translations.py"
    result = subprocess.run([sys.executable, str(script), "--check"], check=False)  # noqa: S603
    assert result.returncode == 0


def _texts(tree: dict, prefix: str = "") -> dict[str, str]:
    texts = {}
    for key, value in tree.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            texts |= _texts(value, path)
        else:
            texts[path] = value
    return texts


def test_every_language_has_every_key_and_placeholder() -> None:
    """No user sees an English fallback, and every {placeholder} survives translation."""
    source = _texts(_load("strings.json"))
    languages = sorted(p.name for p in (COMPONENT / "translations").glob("*.json"))
    assert {"en.json", "nl.json", "de.json", "fr.json"} <= set(languages)
    for name in languages:
        texts = _texts(_load(f"translations/{name}"))
        assert set(texts) == set(source), name
        for key, text in source.items():
            wanted = set(re.findall(r"\{(\w+)\}", text))
            assert set(re.findall(r"\{(\w+)\}", texts[key])) == wanted, (name, key)
            assert texts[key].strip(), (name, key)


def test_entity_translation_keys_exist() -> None:
    """Each description's translation key, its socket variant and its states are translated."""
    entity = _load("strings.json")["entity"]
    descriptions = {
        "sensor": [*sensor.POINT_SENSORS, *sensor.GRID_SENSORS, *sensor.ACCOUNT_SENSORS],
        "binary_sensor": list(binary_sensor.BINARY_SENSORS),
        "switch": list(switch.SWITCHES),
        "button": list(button.BUTTONS),
        "select": list(select.SELECTS),
    }
    for platform, items in descriptions.items():
        for description in items:
            keys = [description.translation_key]
            if getattr(description, "per_socket", False):
                keys.append(f"socket_{description.translation_key}")
            for key in keys:
                assert key in entity[platform], (platform, key)
                options = getattr(description, "options", None) or []
                states = entity[platform][key].get("state", {})
                assert set(options) <= set(states), (platform, key)


def test_exception_keys_exist() -> None:
    """Every translation_key raised in the code has a message."""
    exceptions = _load("strings.json")["exceptions"]
    used: set[str] = set()
    for path in COMPONENT.glob("*.py"):
        used |= set(re.findall(r'translation_key="(\w+)"', path.read_text()))
        used |= set(re.findall(r'invalid\("(\w+)"', path.read_text()))
        used |= set(re.findall(r'return "(\w+)", \{', path.read_text()))
    strings = _load("strings.json")
    entity_keys = {key for platform in strings["entity"].values() for key in platform}
    other = set(strings["device"]) | set(strings["issues"]) | set(strings["config"]["error"])
    assert used - entity_keys - other <= set(exceptions)
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


def test_readme_names_the_languages_there_are() -> None:
    """The README's list of languages is the translations folder's, no more and no less."""
    names = {"English": "en", "Dutch": "nl", "German": "de", "French": "fr"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sentence = re.search(r"the setup dialogs are in ([^:]+):", readme.replace("\n", " "))
    assert sentence is not None
    listed = {names[word] for word in re.findall(r"[A-Z][a-z]+", sentence.group(1))}
    files = {p.stem for p in (COMPONENT / "translations").glob("*.json")}
    assert listed == files

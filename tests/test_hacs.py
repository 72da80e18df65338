"""What HACS and hassfest check on a custom integration, as far as it can be checked offline.

HACS's repository validation (hacs/action) and Home Assistant's hassfest would reject a release
for these; catching it here keeps a release from failing only once it is published. The
schemas mirror hacs/integration's ``utils/validate.py`` and core's ``script/hassfest``
(``manifest.py``, ``translations.py``, ``icons.py``, ``services.py``), which are not installable
packages. HACS's online checks (brands, repository description and topics, GitHub issues,
archived state) need GitHub and are left to the HACS action.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
import re
from typing import Any

from awesomeversion import AwesomeVersion, AwesomeVersionException, AwesomeVersionStrategy
import homeassistant
from homeassistant.const import Platform, __version__ as HA_VERSION
import homeassistant.helpers.config_validation as cv
from homeassistant.helpers.selector import validate_selector
from homeassistant.helpers.service import _SERVICES_SCHEMA
import pytest
import voluptuous as vol
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPONENTS = ROOT / "custom_components"
DOMAIN = "bluecurrent"
COMPONENT = COMPONENTS / DOMAIN
CORE_COMPONENTS = Path(homeassistant.__file__).parent / "components"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------
# hacs.json and the repository layout (HACS)
# --------------------------------------------------------------------------------------------

HACS_JSON_SCHEMA = vol.Schema(
    {
        vol.Required("name"): str,
        vol.Optional("content_in_root"): bool,
        vol.Optional("country"): vol.Any(str, [str]),
        vol.Optional("filename"): str,
        vol.Optional("hacs"): str,
        vol.Optional("hide_default_branch"): bool,
        vol.Optional("homeassistant"): str,
        vol.Optional("persistent_directory"): str,
        vol.Optional("render_readme"): bool,
        vol.Optional("zip_release"): bool,
    },
    extra=vol.PREVENT_EXTRA,
)


def suite_ha_versions() -> list[AwesomeVersion]:
    """The Home Assistant versions the suite runs on: one requirements_ha-<version>.txt each."""
    return sorted(
        AwesomeVersion(path.name.removeprefix("requirements_ha-").removesuffix(".txt"))
        for path in ROOT.glob("requirements_ha-*.txt")
    )


def test_hacs_json() -> None:
    """hacs.json has only keys HACS knows, and a minimum Home Assistant we really test."""
    hacs = HACS_JSON_SCHEMA(_json(ROOT / "hacs.json"))
    assert hacs["name"] == _json(COMPONENT / "manifest.json")["name"]
    assert not hacs.get("content_in_root"), "the integration lives in custom_components/"
    assert not hacs.get("zip_release"), "HACS installs straight from the repository"
    minimum = AwesomeVersion(hacs["homeassistant"])
    assert minimum.strategy == AwesomeVersionStrategy.CALVER
    # The minimum is the release the oldest tested version belongs to (2025.4.0 for 2025.4.4):
    # an older one would be untested, a newer one would turn away users the suite covers.
    oldest = suite_ha_versions()[0]
    assert (minimum.section(0), minimum.section(1)) == (oldest.section(0), oldest.section(1))
    assert minimum <= oldest
    assert minimum <= AwesomeVersion(HA_VERSION)


def test_suite_runs_on_the_tested_versions() -> None:
    """The installed Home Assistant is one of them, and CI runs the suite on each of them."""
    versions = suite_ha_versions()
    assert len(versions) >= 2
    assert AwesomeVersion(HA_VERSION) in versions
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for version in versions:
        assert f"HA_VERSION={version} bash scripts/test" in ci


def test_repository_layout() -> None:
    """One integration under custom_components/, and a README with a picture that exists."""
    integrations = [p.name for p in COMPONENTS.iterdir() if p.is_dir() and p.name != "__pycache__"]
    assert integrations == [DOMAIN]
    assert (COMPONENT / "manifest.json").is_file()
    assert (COMPONENT / "__init__.py").is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # HACS's "images" check: an image in the file it renders (render_readme: README.md).
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", readme)
    assert images, "README.md shows no image"
    for image in images:
        if not image.startswith(("http://", "https://")):
            assert (ROOT / image).is_file(), f"README.md shows {image}, which is not there"


HACS_MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("codeowners"): list,
        vol.Required("documentation"): cv.url,
        vol.Required("domain"): str,
        vol.Required("issue_tracker"): cv.url,
        vol.Required("name"): str,
        vol.Required("version"): vol.Coerce(AwesomeVersion),
    },
    extra=vol.ALLOW_EXTRA,
)


def test_manifest_hacs() -> None:
    """The keys HACS requires of an integration's manifest."""
    HACS_MANIFEST_SCHEMA(_json(COMPONENT / "manifest.json"))


def test_domain_does_not_override_core() -> None:
    """HACS refuses a custom integration that replaces a core one (core's is blue_current)."""
    assert not (CORE_COMPONENTS / DOMAIN).exists()


# --------------------------------------------------------------------------------------------
# manifest.json (hassfest)
# --------------------------------------------------------------------------------------------

IOT_CLASSES = [
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
]
INTEGRATION_TYPES = ["device", "entity", "hardware", "helper", "hub", "service", "system"]


def _version(value: str) -> str:
    try:
        AwesomeVersion(
            value,
            ensure_strategy=[
                AwesomeVersionStrategy.CALVER,
                AwesomeVersionStrategy.SEMVER,
                AwesomeVersionStrategy.SIMPLEVER,
                AwesomeVersionStrategy.BUILDVER,
                AwesomeVersionStrategy.PEP440,
            ],
        )
    except AwesomeVersionException as err:
        raise vol.Invalid(f"{value!r} is not a valid version") from err
    return value


def _https(value: str) -> str:
    if not value.startswith("https://"):
        raise vol.Invalid("not an https URL")
    return value


# hassfest's CUSTOM_INTEGRATION_MANIFEST_SCHEMA without the discovery matchers (which this
# integration does not use, so a key for them is an error here too).
MANIFEST_SCHEMA = vol.Schema(
    {
        vol.Required("domain"): str,
        vol.Required("name"): str,
        vol.Optional("integration_type", default="hub"): vol.In(INTEGRATION_TYPES),
        vol.Optional("config_flow"): bool,
        vol.Required("documentation"): vol.All(vol.Url(), _https),
        vol.Optional("issue_tracker"): vol.Url(),
        vol.Optional("quality_scale"): vol.In(["internal", "bronze", "silver", "gold", "platinum"]),
        vol.Optional("requirements"): [str],
        vol.Optional("dependencies"): [str],
        vol.Optional("after_dependencies"): [str],
        vol.Required("codeowners"): [vol.Match(r"^@[\w.-]+(/[\w.-]+)?$")],
        vol.Optional("loggers"): [str],
        vol.Optional("disabled"): str,
        vol.Optional("iot_class"): vol.In(IOT_CLASSES),
        vol.Optional("single_config_entry"): bool,
        vol.Optional("version"): vol.All(str, _version),
        vol.Optional("import_executor"): bool,
    },
    extra=vol.PREVENT_EXTRA,
)


def test_manifest_hassfest() -> None:
    """The manifest passes hassfest's schema and its extra rules for custom integrations."""
    manifest = _json(COMPONENT / "manifest.json")
    MANIFEST_SCHEMA(manifest)
    assert manifest["domain"] == COMPONENT.name == DOMAIN
    assert manifest.get("version"), "custom integrations need a version"
    assert "iot_class" in manifest
    assert manifest["iot_class"] == "cloud_push", "the cloud pushes over a websocket"
    # "Manifest keys are not sorted correctly: domain, name, then alphabetical order".
    keys = list(manifest)
    assert keys == sorted(
        keys, key=lambda key: {"domain": ".domain", "name": ".name"}.get(key, key)
    )
    # Dependencies are real integrations (this one needs none: its client is vendored).
    for dependency in manifest.get("dependencies", []) + manifest.get("after_dependencies", []):
        assert (CORE_COMPONENTS / dependency).is_dir(), dependency


def test_manifest_matches_the_code() -> None:
    """config_flow, requirements and dependencies say what the code does."""
    manifest = _json(COMPONENT / "manifest.json")
    assert manifest.get("config_flow") is (COMPONENT / "config_flow.py").exists()
    # Every import of another integration is a platform (always there) or declared.
    declared = set(manifest.get("dependencies", [])) | set(manifest.get("after_dependencies", []))
    # hassfest's ALLOWED_USED_COMPONENTS: device automations build on these two.
    always = {"diagnostics", "device_automation", "homeassistant"}
    allowed = {platform.value for platform in Platform} | always | declared
    for path in COMPONENT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "homeassistant.components."
            ):
                used = node.module.split(".")[2]  # type: ignore[union-attr]
                assert used in allowed, f"{path.name} imports {node.module}"
    # No third-party requirement: the Blue Current client ships inside the integration.
    assert manifest.get("requirements") == []


# --------------------------------------------------------------------------------------------
# strings.json and translations/ (hassfest translations.py)
# --------------------------------------------------------------------------------------------

RE_TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")
RE_REFERENCE = re.compile(r"\[%key:([a-z0-9_]+(?:::[a-z0-9-_]+)+)%\]")
RE_COMBINED_REFERENCE = re.compile(r"(.+\[%)|(%\].+)")
RE_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _key(value: str) -> str:
    if not RE_TRANSLATION_KEY.match(value):
        raise vol.Invalid(f"invalid translation key {value!r}: [a-z0-9-_]+")
    return value


def _text(value: Any) -> str:
    text = cv.string_with_no_html(value)
    if not text:
        raise vol.Invalid("empty string")
    if text != text.strip():
        raise vol.Invalid(f"leading or trailing spaces in {text!r}")
    if RE_COMBINED_REFERENCE.search(text):
        raise vol.Invalid(f"a reference combined with other text in {text!r}")
    if re.search(r"'\{[^{}]+\}'", text):
        raise vol.Invalid(f"a single-quoted placeholder in {text!r}")
    return text


_TEXTS = vol.Schema({str: _text})
_STEP = vol.Schema(
    {
        vol.Optional("title"): _text,
        vol.Optional("description"): _text,
        vol.Optional("data"): _TEXTS,
        vol.Optional("data_description"): _TEXTS,
        vol.Optional("menu_options"): _TEXTS,
        vol.Optional("submit"): _text,
        vol.Optional("sections"): {
            _key: {
                vol.Optional("name"): _text,
                vol.Optional("description"): _text,
                vol.Optional("data"): _TEXTS,
                vol.Optional("data_description"): _TEXTS,
            }
        },
    }
)
TRANSLATIONS_SCHEMA = vol.Schema(
    {
        vol.Optional("title"): _text,
        vol.Optional("config"): {
            vol.Optional("flow_title"): _text,
            vol.Optional("step"): {_key: _STEP},
            vol.Optional("error"): {_key: _text},
            vol.Optional("abort"): {_key: _text},
        },
        vol.Optional("device"): {_key: {vol.Required("name"): _text}},
        vol.Optional("device_automation"): {
            vol.Optional("trigger_type"): {_key: _text},
            vol.Optional("condition_type"): {_key: _text},
            vol.Optional("action_type"): {_key: _text},
            vol.Optional("trigger_subtype"): {_key: _text},
        },
        vol.Optional("entity"): {
            vol.In([platform.value for platform in Platform]): {
                _key: {
                    vol.Optional("name"): _text,
                    vol.Optional("state"): {_key: _text},
                    vol.Optional("unit_of_measurement"): _text,
                }
            }
        },
        vol.Optional("exceptions"): {_key: {vol.Required("message"): _text}},
        vol.Optional("services"): {
            _key: {
                vol.Required("name"): _text,
                vol.Required("description"): _text,
                vol.Optional("fields"): {
                    str: {
                        vol.Required("name"): _text,
                        vol.Required("description"): _text,
                        vol.Optional("example"): _text,
                    }
                },
            }
        },
        vol.Optional("issues"): {
            _key: {vol.Required("title"): _text, vol.Optional("description"): _text}
        },
        vol.Optional("selector"): {_key: {vol.Required("options"): {_key: _text}}},
    },
    extra=vol.PREVENT_EXTRA,
)


def _leaves(tree: dict[str, Any], prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    leaves: dict[tuple[str, ...], str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            leaves |= _leaves(value, (*prefix, key))
        else:
            leaves[(*prefix, key)] = value
    return leaves


def _resolve(text: str, strings: dict[str, Any]) -> str:
    """Replace a [%key:component::domain::path%] reference (hassfest: only to existing keys)."""
    match = RE_REFERENCE.fullmatch(text)
    if match is None:
        assert "[%key:" not in text, f"malformed reference {text!r}"
        return text
    parts = match.group(1).split("::")
    if parts[0] == "component" and parts[1] == DOMAIN:
        node: Any = strings
        path = parts[2:]
    elif parts[0] == "component":
        node = _json(CORE_COMPONENTS / parts[1] / "strings.json")
        path = parts[2:]
    elif parts[0] == "common":
        node = _json(Path(homeassistant.__file__).parent / "strings.json")["common"]
        path = parts[1:]
    else:
        pytest.fail(f"unknown reference {text!r}")
    for part in path:
        assert isinstance(node, dict), f"{text!r} points nowhere"
        assert part in node, f"{text!r} points nowhere"
        node = node[part]
    assert isinstance(node, str)
    return _resolve(node, strings)


@pytest.mark.parametrize(
    "name",
    [
        "strings.json",
        "translations/en.json",
        "translations/nl.json",
        "translations/de.json",
        "translations/fr.json",
    ],
)
def test_translation_files_pass_hassfest(name: str) -> None:
    """Each file has the structure, keys and kind of text hassfest accepts."""
    TRANSLATIONS_SCHEMA(_json(COMPONENT / name))


def test_english_is_strings_json() -> None:
    """translations/en.json is what Home Assistant shows: strings.json, references resolved."""
    strings = _json(COMPONENT / "strings.json")
    english = _json(COMPONENT / "translations" / "en.json")
    resolved = {key: _resolve(text, strings) for key, text in _leaves(strings).items()}
    assert _leaves(english) == resolved


def test_translations_keep_placeholders() -> None:
    """A translation uses the same {placeholders} as the English text (else it fails to format)."""
    english = _leaves(_json(COMPONENT / "translations" / "en.json"))
    for path in sorted((COMPONENT / "translations").glob("*.json")):
        language = _leaves(_json(path))
        assert set(language) <= set(english), f"{path.name} has keys English lacks"
        for key, text in language.items():
            assert set(RE_PLACEHOLDER.findall(text)) == set(RE_PLACEHOLDER.findall(english[key])), (
                f"{path.name}: {'.'.join(key)}"
            )


def _config_flow_strings() -> tuple[set[str], set[str], set[str]]:
    """Step ids, form errors and abort reasons the config flow can show."""
    tree = ast.parse((COMPONENT / "config_flow.py").read_text(encoding="utf-8"))
    steps: set[str] = set()
    errors: set[str] = set()
    aborts: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef) and node.name.startswith("async_step_"):
            steps.add(node.name.removeprefix("async_step_"))
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "base"
                    and isinstance(value, ast.Constant)
                ):
                    errors.add(str(value.value))
        if isinstance(node, ast.keyword) and node.arg == "reason":
            assert isinstance(node.value, ast.Constant)
            aborts.add(str(node.value.value))
        if isinstance(node, ast.Attribute):
            if node.attr == "_abort_if_unique_id_configured":
                aborts.add("already_configured")
            if node.attr == "async_update_reload_and_abort":
                aborts |= {"reauth_successful", "reconfigure_successful"}
    # async_step_reauth only routes to reauth_confirm; it shows nothing itself.
    steps.discard("reauth")
    return steps, errors, aborts


def test_config_flow_is_translated() -> None:
    """Every step, error and abort reason of the config flow has its text."""
    config = _json(COMPONENT / "strings.json")["config"]
    steps, errors, aborts = _config_flow_strings()
    assert steps == set(config["step"])
    assert errors
    assert errors <= set(config["error"])
    assert aborts
    assert aborts <= set(config["abort"])


# --------------------------------------------------------------------------------------------
# services.yaml and icons.json (hassfest services.py and icons.py)
# --------------------------------------------------------------------------------------------


def test_services_yaml() -> None:
    """services.yaml passes Home Assistant's own schema; its selectors are valid."""
    services = _SERVICES_SCHEMA(yaml.safe_load((COMPONENT / "services.yaml").read_text()))
    for spec in services.values():
        for field in (spec or {}).get("fields", {}).values():
            if "selector" in field:
                validate_selector(field["selector"])


RE_ICON = re.compile(r"^mdi:[-a-z0-9]+$")


def _icon(value: Any) -> str:
    if not isinstance(value, str) or not RE_ICON.match(value):
        raise vol.Invalid(f"{value!r} is not an mdi: icon")
    return value


ICONS_SCHEMA = vol.Schema(
    {
        vol.Optional("entity"): {
            vol.In([platform.value for platform in Platform]): {
                _key: {
                    vol.Optional("default"): _icon,
                    vol.Optional("state"): {_key: _icon},
                }
            }
        },
        vol.Optional("services"): {_key: {vol.Required("service"): _icon}},
    },
    extra=vol.PREVENT_EXTRA,
)


def test_icons_json() -> None:
    """icons.json passes hassfest's schema and names only translation keys that exist."""
    icons = ICONS_SCHEMA(_json(COMPONENT / "icons.json"))
    strings = _json(COMPONENT / "strings.json")
    for platform, keys in icons.get("entity", {}).items():
        for key, spec in keys.items():
            assert key in strings["entity"][platform], f"icon for unknown {platform}.{key}"
            states = set(strings["entity"][platform][key].get("state", {}))
            if platform in ("switch", "binary_sensor"):
                states |= {"on", "off"}
            assert set(spec.get("state", {})) <= states, f"{platform}.{key}"
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    assert set(icons.get("services", {})) == set(services)

"""Fixtures shared by every test: a Blue Current cloud simulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
import sys
from typing import Any
from unittest.mock import PropertyMock, patch

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator

# Device registry API that Home Assistant deprecated (2025.8 for suggested_area, 2026.8 for the
# rest; removed in 2026.9, 2027.8 and 2027.10) and that the integration must not use even
# where the installed version still has it quietly.
DEPRECATED_REGISTRY_API = (
    (dr.DeviceRegistry, "async_get_device"),
    (dr.DeviceEntry, "config_entries"),
    (dr.DeviceEntry, "config_entries_subentries"),
    (dr.DeviceEntry, "primary_config_entry"),
    (dr.DeviceEntry, "suggested_area"),
)
OUR_CODE = "/custom_components/bluecurrent/"


def _refuse_if_ours(name: str) -> None:
    caller = sys._getframe(2).f_code.co_filename  # the code that reads the attribute
    if OUR_CODE in caller.replace("\\", "/"):
        raise AssertionError(f"the integration uses deprecated {name} ({caller})")


class _Guarded:
    """Wraps a registry attribute (method, property or slot) and refuses our code's use of it."""

    def __init__(self, name: str, original: Any) -> None:
        self.name = name
        self.original = original

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        _refuse_if_ours(self.name)
        return self.original.__get__(obj, owner)

    def __set__(self, obj: object, value: Any) -> None:
        self.original.__set__(obj, value)


@pytest.fixture(autouse=True)
def no_deprecated_registry_api(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the integration's use of deprecated registry API fail the test."""
    for cls, name in DEPRECATED_REGISTRY_API:
        if name in cls.__dict__:
            monkeypatch.setattr(cls, name, _Guarded(f"{cls.__name__}.{name}", cls.__dict__[name]))


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """A fresh simulated cloud on an ephemeral port, with two charge points."""
    sim = Simulator(charge_points=2, seed=1, charging=1)
    async with sim:
        yield sim


def find_device(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    """The integration's device with this identifier (an evse id, grid id or entry id).

    Through the entries' own devices: DeviceRegistry.async_get_device is deprecated from Home
    Assistant 2026.8 on, and raises when a test (not an integration) calls it.
    """
    registry = dr.async_get(hass)
    for entry in hass.config_entries.async_entries(DOMAIN):
        for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
            if (DOMAIN, identifier) in device.identifiers:
                return device
    return None


@pytest.fixture
def all_entities_enabled() -> Iterator[None]:
    """Every entity starts enabled, as if the user had enabled those that are off by default.

    For tests of entities that are disabled by default; which ones those are is pinned by the
    entity snapshot (tests/integration/test_entities.py), which does not use this.
    """
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield

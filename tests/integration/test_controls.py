"""Switches, the card select and the buttons: round trips to the cloud and its refusals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.components.select import (
    ATTR_OPTION,
    DOMAIN as SELECT_DOMAIN,
    SERVICE_SELECT_OPTION,
)
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, SERVICE_TURN_OFF, SERVICE_TURN_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator

from .conftest import WaitFor, entity_id, state_of

# Entities disabled by default are among those these tests drive.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")


async def _call(
    hass: HomeAssistant, domain: str, service: str, unique_id: str, **data: Any
) -> None:
    await hass.services.async_call(
        domain,
        service,
        {ATTR_ENTITY_ID: entity_id(hass, domain, unique_id), **data},
        blocking=True,
    )


async def _switch(hass: HomeAssistant, unique_id: str, on: bool) -> None:
    await _call(hass, SWITCH_DOMAIN, SERVICE_TURN_ON if on else SERVICE_TURN_OFF, unique_id)


async def test_enable_switch_round_trip(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Blocking a charging point ends its session; unblocking makes it available."""
    point = cloud.account.charge_points["BCU100001"]
    transactions = len(point.transactions)
    await _switch(hass, "BCU100001_enabled", False)
    assert point.enabled is False
    assert point.session is None
    assert len(point.transactions) == transactions + 1
    assert state_of(hass, "switch", "BCU100001_enabled") == "off"
    assert state_of(hass, "sensor", "BCU100001_activity") == "disabled"

    await _switch(hass, "BCU100001_enabled", True)
    assert point.enabled is True
    assert state_of(hass, "switch", "BCU100001_enabled") == "on"
    assert state_of(hass, "sensor", "BCU100001_activity") == "available"


async def test_enable_switch_blocks_every_socket(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """On a two-socket charge point the switch sends one request per socket."""
    cloud.stats.reset()
    await _switch(hass, "BCU100002_enabled", False)
    assert cloud.account.charge_points["BCU100002"].enabled is False
    path = "POST /app/bce_api/api/v1/chargepoints/actions/setinoperative"
    assert cloud.stats.rest_requests[path] == 2
    # The sockets are known: no status is read to find them.
    assert "GET /app/bc_api/api/v2.1/chargepointstatus" not in cloud.stats.rest_requests
    assert state_of(hass, "switch", "BCU100002_enabled") == "off"
    assert state_of(hass, "sensor", "BCU100002_socket_2_activity") == "disabled"


async def test_unlock_uses_the_known_socket(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Each socket of a two-socket charge point has its own unlock button; no status read."""
    cloud.stats.reset()
    await _call(hass, BUTTON_DOMAIN, SERVICE_PRESS, "BCU100002_socket_2_unlock_connector")
    assert cloud.account.charge_points["BCU100002"].unlocks == 1
    assert cloud.stats.rest_requests == {
        "POST /app/bce_api/api/v1/chargepoints/actions/unlockconnector": 1
    }


@pytest.mark.parametrize(("permission", "exists"), [("read", True), ("none", False)])
async def test_setting_permission(
    hass: HomeAssistant,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    permission: str,
    exists: bool,
) -> None:
    """A setting the account may only read is shown but refuses changes; "none" is not shown."""
    cloud.account.charge_points["BCU100001"].permissions["plug_and_charge"] = permission
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    found = registry.async_get_entity_id("switch", DOMAIN, "BCU100001_plug_and_charge")
    assert (found is not None) == exists
    if found is None:
        return
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, "BCU100001_plug_and_charge", False)
    assert err.value.translation_key == "read_only"
    assert not cloud.stats.ws_commands
    assert cloud.account.charge_points["BCU100001"].plug_and_charge is True


@pytest.mark.parametrize(("key", "start"), [("plug_and_charge", True), ("public_charging", False)])
async def test_setting_switch_round_trip(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, key: str, start: bool
) -> None:
    """Each setting switch flips the setting in the cloud and shows the confirmed value."""
    point = cloud.account.charge_points["BCU100001"]
    assert getattr(point, key) is start
    unique_id = f"BCU100001_{key}"
    for value in (not start, start):
        await _switch(hass, unique_id, value)
        assert getattr(point, key) is value
        assert state_of(hass, "switch", unique_id) == ("on" if value else "off")


async def test_card_select_round_trip(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Choosing a card by name sets its uid in the cloud; no card clears it."""
    point = cloud.account.charge_points["BCU100001"]
    cards = cloud.account.cards
    unique_id = "BCU100001_plug_and_charge_card"
    state = hass.states.get(entity_id(hass, "select", unique_id))
    assert state is not None
    # The invalid third card is not offered.
    assert state.attributes["options"] == ["no_card", cards[0].name, cards[1].name]

    for card in (cards[1], cards[0]):
        await _call(
            hass, SELECT_DOMAIN, SERVICE_SELECT_OPTION, unique_id, **{ATTR_OPTION: card.name}
        )
        assert point.plug_and_charge_card_uid == card.uid
        assert state_of(hass, "select", unique_id) == card.name

    await _call(hass, SELECT_DOMAIN, SERVICE_SELECT_OPTION, unique_id, **{ATTR_OPTION: "no_card"})
    assert point.plug_and_charge_card_uid is None
    assert state_of(hass, "select", unique_id) == "no_card"


async def test_card_select_shows_a_card_that_became_invalid(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """The card the cloud has set stays visible as an option even once it is no longer valid."""
    point = cloud.account.charge_points["BCU100001"]
    old = cloud.account.cards[2]
    point.plug_and_charge_card_uid = old.uid
    await cloud.push_settings("BCU100001")
    unique_id = "BCU100001_plug_and_charge_card"
    await wait_for(lambda: state_of(hass, "select", unique_id) == old.name, 5)
    state = hass.states.get(entity_id(hass, "select", unique_id))
    assert state is not None
    assert state.state == old.name
    assert old.name in state.attributes["options"]


async def test_buttons_reach_the_charge_point(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Soft reset, reboot and unlock are counted by the charge point; stop ends the session."""
    point = cloud.account.charge_points["BCU100001"]
    for key in ("soft_reset", "reboot", "unlock_connector"):
        await _call(hass, BUTTON_DOMAIN, SERVICE_PRESS, f"BCU100001_{key}")
    assert (point.soft_resets, point.reboots, point.unlocks) == (1, 1, 1)

    transactions = len(point.transactions)
    await _call(hass, BUTTON_DOMAIN, SERVICE_PRESS, "BCU100001_stop_session")
    assert point.session is None
    assert len(point.transactions) == transactions + 1
    # The new status follows the verdict as a push.
    await wait_for(lambda: state_of(hass, "sensor", "BCU100001_activity") == "available", 5)


# (platform, service, unique id, service data)
type Command = tuple[str, str, str, dict[str, Any]]

REFUSED_COMMANDS: list[Command] = [
    (SWITCH_DOMAIN, SERVICE_TURN_OFF, "BCU100001_enabled", {}),
    (SWITCH_DOMAIN, SERVICE_TURN_OFF, "BCU100001_plug_and_charge", {}),
    (SWITCH_DOMAIN, SERVICE_TURN_ON, "BCU100001_public_charging", {}),
    (
        SELECT_DOMAIN,
        SERVICE_SELECT_OPTION,
        "BCU100001_plug_and_charge_card",
        {"option": "Company card"},
    ),
    (BUTTON_DOMAIN, SERVICE_PRESS, "BCU100001_stop_session", {}),
    (BUTTON_DOMAIN, SERVICE_PRESS, "BCU100001_unlock_connector", {}),
]


def _snapshot(hass: HomeAssistant, cloud: Simulator) -> tuple[Any, ...]:
    """What a refused command must leave alone, in Home Assistant and in the cloud.

    A button's state is the time it was last pressed, refused or not, so it is left out.
    """
    point = cloud.account.charge_points["BCU100001"]
    states = tuple(
        state_of(hass, domain, unique_id)
        for domain, _, unique_id, _ in REFUSED_COMMANDS
        if domain != BUTTON_DOMAIN
    )
    simulated = (
        point.enabled,
        point.plug_and_charge,
        point.public_charging,
        point.plug_and_charge_card_uid,
        point.session is not None,
        point.unlocks,
    )
    return states, simulated


@pytest.mark.parametrize("command", REFUSED_COMMANDS, ids=lambda c: f"{c[0]}.{c[2]}")
async def test_rejected_command(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, command: Command
) -> None:
    """A command the charge point rejects raises a translated error and changes nothing."""
    domain, service, unique_id, data = command
    before = _snapshot(hass, cloud)
    cloud.faults.action_result = "rejected"
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, domain, service, unique_id, **data)
    assert err.value.translation_domain == "bluecurrent"
    assert err.value.translation_key == "command_rejected"
    reason = (err.value.translation_placeholders or {})["error"]
    assert reason == "REJECTED"  # the cloud's own word, for websocket and REST actions alike
    # Home Assistant drops the message's final full stop.
    assert str(err.value) == f"The charge point rejected the command ({reason})"
    await hass.async_block_till_done()
    assert _snapshot(hass, cloud) == before


@pytest.mark.parametrize("command", REFUSED_COMMANDS, ids=lambda c: f"{c[0]}.{c[2]}")
async def test_forbidden_command(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, command: Command
) -> None:
    """A command for a charge point the account may not control says so, and changes nothing."""
    domain, service, unique_id, data = command
    before = _snapshot(hass, cloud)
    cloud.faults.forbid_evse = {"BCU100001"}
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, domain, service, unique_id, **data)
    assert err.value.translation_key == "forbidden"
    assert str(err.value) == "This account may not control this charge point"
    await hass.async_block_till_done()
    assert _snapshot(hass, cloud) == before


def _timeout(cloud: Simulator) -> None:
    cloud.faults.action_result = "timeout"


def _api_error(cloud: Simulator) -> None:
    cloud.faults.command_errors = {"SOFT_RESET": (9, "Unknown error")}


def _server_error(cloud: Simulator) -> None:
    cloud.faults.rest_errors = 1


def _credentials_rejected(cloud: Simulator) -> None:
    cloud.faults.reject_credentials = True
    cloud.expire_tokens()


class Failure(NamedTuple):
    """A way a command fails, the button that meets it and the error the user sees."""

    fault: Callable[[Simulator], None]
    button: str
    key: str
    placeholders: dict[str, str]


FAILURES = [
    Failure(_timeout, "soft_reset", "timeout", {}),
    Failure(_api_error, "soft_reset", "unknown_error", {"error": "ApiError"}),
    Failure(
        _server_error, "unlock_connector", "communication_error", {"error": "CannotConnectError"}
    ),
    Failure(_credentials_rejected, "reboot", "invalid_auth", {}),
]


@pytest.mark.parametrize("failure", FAILURES, ids=lambda f: f.key)
@pytest.mark.usefixtures("short_action_timeout")
async def test_command_failure_is_translated(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, failure: Failure
) -> None:
    """Every way a command can fail reaches the user as a translated error."""
    failure.fault(cloud)
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, BUTTON_DOMAIN, SERVICE_PRESS, f"BCU100001_{failure.button}")
    assert err.value.translation_domain == "bluecurrent"
    assert err.value.translation_key == failure.key
    assert (err.value.translation_placeholders or {}) == failure.placeholders
    point = cloud.account.charge_points["BCU100001"]
    assert (point.soft_resets, point.reboots, point.unlocks) == (0, 0, 0)

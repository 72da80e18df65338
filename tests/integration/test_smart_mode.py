"""The smart-charging select: what the cloud says, its exclusivity, pushes, polls, permissions."""

from __future__ import annotations

from homeassistant.components.select import DOMAIN as SELECT, SERVICE_SELECT_OPTION
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from .conftest import WaitFor, fire_poll, settle
from .smart_common import (
    EVSE,
    SETTINGS_READ,
    SMART_PATH,
    attributes,
    exists,
    load,
    press,
    state,
)

MODE = "smart_charging_mode"


async def _select(hass: HomeAssistant, option: str) -> None:
    await press(hass, SELECT, SERVICE_SELECT_OPTION, MODE, option=option)


async def test_mode_round_trip(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Each choice reaches the cloud; the other mode goes off there, and here too."""
    point = cloud.account.charge_points[EVSE]
    assert state(hass, SELECT, MODE) == "off"
    assert attributes(hass, SELECT, MODE)["options"] == ["off", "delayed", "price_based"]

    await _select(hass, "delayed")
    assert (point.delayed_charging.value, point.price_based_charging.value) == (True, False)
    assert state(hass, SELECT, MODE) == "delayed"

    await _select(hass, "price_based")
    assert (point.delayed_charging.value, point.price_based_charging.value) == (False, True)
    assert state(hass, SELECT, MODE) == "price_based"

    cloud.stats.reset()
    await _select(hass, "price_based")  # already so: nothing to send
    assert not cloud.stats.rest_requests

    await _select(hass, "off")
    assert (point.delayed_charging.value, point.price_based_charging.value) == (False, False)
    assert cloud.stats.rest_requests == {SMART_PATH + "setpricebasedcharging": 1}
    assert state(hass, SELECT, MODE) == "off"


async def test_confirmed_by_push_or_by_one_read(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """With the cloud's push nothing more is read; without it, the settings are read once."""
    cloud.stats.reset()
    await _select(hass, "delayed")
    assert state(hass, SELECT, MODE) == "delayed"
    pushed_reads = cloud.stats.ws_commands[SETTINGS_READ]

    cloud.faults.no_settings_push = True
    cloud.stats.reset()
    await _select(hass, "price_based")
    assert cloud.stats.ws_commands[SETTINGS_READ] == 1
    assert state(hass, SELECT, MODE) == "price_based"
    # The push normally beats the REST answer: at most the odd read when it does not.
    assert pushed_reads <= 1


async def test_failed_confirmation_read_leaves_it_to_the_poll(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The change was made: no error for it; a poll, asked for at once, shows it."""
    cloud.faults.no_settings_push = True
    cloud.faults.command_errors = {SETTINGS_READ: (9, "Unknown error")}
    cloud.stats.reset()
    await _select(hass, "delayed")
    assert cloud.account.charge_points[EVSE].delayed_charging.value is True
    await settle(hass)
    assert cloud.stats.ws_commands["GET_CHARGE_POINTS"] == 1
    assert state(hass, SELECT, MODE) == "delayed"


async def test_app_changes_reach_the_select(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A change made in the app: pushed at once, or read at the next poll."""
    point = cloud.account.charge_points[EVSE]
    point.delayed_charging.value = True
    await cloud.push_settings(EVSE)
    await wait_for(lambda: state(hass, SELECT, MODE) == "delayed", 5)

    point.delayed_charging.value = False
    point.price_based_charging.value = True
    await fire_poll(hass)
    assert state(hass, SELECT, MODE) == "price_based"


@pytest.mark.parametrize(
    ("delayed", "price", "options"),
    [
        ("read", "write", ["off", "delayed", "price_based"]),
        ("none", "write", ["off", "price_based"]),
        ("write", "none", ["off", "delayed"]),
        ("read", "read", ["off", "delayed", "price_based"]),
        ("none", "none", None),
    ],
)
async def test_mode_permissions(  # noqa: PLR0917
    hass: HomeAssistant,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    delayed: str,
    price: str,
    options: list[str] | None,
) -> None:
    """A mode the account may not see is no option; one it may only read cannot be chosen."""
    point = cloud.account.charge_points[EVSE]
    point.permissions |= {"delayed_charging": delayed, "price_based_charging": price}
    point.delayed_charging.value = True
    await load(hass, config_entry)
    if options is None:
        assert not exists(hass, SELECT, MODE)
        return
    assert attributes(hass, SELECT, MODE)["options"] == options
    current = "delayed" if delayed != "none" else "off"
    assert state(hass, SELECT, MODE) == current
    # The option shown is no change; any other that touches a read-only mode is refused.
    refused = [
        option
        for option, permission in (("delayed", delayed), ("price_based", price))
        if permission == "read" and option != current
    ]
    if delayed == "read":
        refused.append("off")  # switching delayed charging off is a change of it too
    for option in refused:
        cloud.stats.reset()
        with pytest.raises(ServiceValidationError) as err:
            await _select(hass, option)
        assert err.value.translation_key == "read_only"
        assert not cloud.stats.rest_requests
    assert point.delayed_charging.value is True

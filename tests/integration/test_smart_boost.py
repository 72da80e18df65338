"""Boost: available only while a mode holds the car back, the override that fits the mode, and
the boosting binary sensors."""

from __future__ import annotations

from homeassistant.components.button import DATA_COMPONENT, DOMAIN as BUTTON, SERVICE_PRESS
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from .conftest import WaitFor, entity_id
from .smart_common import EVSE, SMART_PATH, TWIN, exists, load, press, state, uid

# Entities disabled by default are among those these tests drive.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")

PATHS = {"delayed": "overridedelayedchargingtimeout", "price": "overridechargingprofiles"}


@pytest.mark.parametrize("mode", ["delayed", "price"])
async def test_boost_sends_the_override_of_the_mode_on(
    hass: HomeAssistant,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
    mode: str,
) -> None:
    """Boost shows up with the mode; pressed, the session boosts until the mode goes off."""
    assert state(hass, BUTTON, "boost") == STATE_UNAVAILABLE
    assert state(hass, "binary_sensor", "boosting") == "off"
    option = "delayed" if mode == "delayed" else "price_based"
    await press(hass, "select", "select_option", "smart_charging_mode", option=option)
    assert state(hass, BUTTON, "boost") != STATE_UNAVAILABLE

    cloud.stats.reset()
    await press(hass, BUTTON, SERVICE_PRESS, "boost")
    assert cloud.stats.rest_requests == {SMART_PATH + PATHS[mode]: 1}
    session = cloud.account.charge_points[EVSE].session
    assert session is not None
    assert session.boosting is True
    await wait_for(lambda: state(hass, "binary_sensor", "boosting") == "on", 5)

    await press(hass, "select", "select_option", "smart_charging_mode", option="off")
    await wait_for(lambda: state(hass, "binary_sensor", "boosting") == "off", 5)
    assert state(hass, BUTTON, "boost") == STATE_UNAVAILABLE


async def test_boost_of_one_socket(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """On a two-socket charge point, the socket that charges boosts; the charge point says so."""
    cloud.account.charge_points[TWIN].delayed_charging.value = True
    await load(hass, config_entry)
    await cloud.start_charging(TWIN, socket_id=2)
    await press(hass, BUTTON, SERVICE_PRESS, "boost", TWIN)
    await wait_for(lambda: state(hass, "binary_sensor", "socket_2_boosting", TWIN) == "on", 5)
    assert state(hass, "binary_sensor", "socket_1_boosting", TWIN) == "off"
    assert state(hass, "binary_sensor", "boosting", TWIN) == "on"


async def test_boost_without_a_session_is_refused_by_the_cloud(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """Nothing charges: the cloud's refusal is translated; nothing changes."""
    cloud.account.charge_points[TWIN].delayed_charging.value = True
    await load(hass, config_entry)
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, BUTTON, SERVICE_PRESS, "boost", TWIN)
    assert err.value.translation_key == "command_rejected"
    assert err.value.translation_placeholders == {
        "error": f"no active session for chargepoint: {TWIN}"
    }
    assert state(hass, "binary_sensor", "boosting", TWIN) == "off"


async def test_boost_with_no_mode_on_is_refused_before_sending(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """A press that meets a mode just switched off (in the app) is refused, nothing sent.

    The button is unavailable then, so Home Assistant's own service skips it: the press comes
    straight from the entity, as it would in that race.
    """
    cloud.account.charge_points[EVSE].delayed_charging.value = True
    await load(hass, config_entry)
    button = hass.data[DATA_COMPONENT].get_entity(entity_id(hass, BUTTON, uid("boost")))
    assert button is not None
    cloud.account.charge_points[EVSE].delayed_charging.value = False
    await cloud.push_settings(EVSE)
    await wait_for(lambda: state(hass, BUTTON, "boost") == STATE_UNAVAILABLE, 5)
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await button.async_press()
    assert err.value.translation_key == "no_smart_mode"
    assert not cloud.stats.rest_requests


@pytest.mark.parametrize("permission", ["read", "none"])
async def test_boost_permissions(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, permission: str
) -> None:
    """Boosting a mode the account may only read is refused; with neither mode, no boost."""
    point = cloud.account.charge_points[EVSE]
    point.permissions |= {"delayed_charging": permission, "price_based_charging": permission}
    point.delayed_charging.value = True
    await load(hass, config_entry)
    assert exists(hass, BUTTON, "boost") == (permission == "read")
    assert exists(hass, "binary_sensor", "boosting") == (permission == "read")
    if permission == "none":
        return
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, BUTTON, SERVICE_PRESS, "boost")
    assert err.value.translation_key == "read_only"
    assert not cloud.stats.rest_requests
    assert point.session is not None
    assert point.session.boosting is False

"""Price-based charging's departure time and energies, and the capacity-tariff limit."""

from __future__ import annotations

from homeassistant.components.number import DOMAIN as NUMBER, SERVICE_SET_VALUE as SET_NUMBER
from homeassistant.components.switch import DOMAIN as SWITCH
from homeassistant.components.time import DOMAIN as TIME, SERVICE_SET_VALUE as SET_TIME
from homeassistant.const import SERVICE_TURN_OFF, SERVICE_TURN_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator

from .conftest import WaitFor, fire_poll
from .smart_common import EVSE, exists, load, press, state

# Entities disabled by default are among those these tests drive.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")

DEPARTURE, EXPECTED, MINIMUM = "departure_time", "expected_energy", "minimum_energy"
CAPACITY, LIMIT = "capacity_tariff", "capacity_tariff_limit"


def _price_on(cloud: Simulator) -> None:
    cloud.account.charge_points[EVSE].price_based_charging.value = True


@pytest.mark.usefixtures("all_entities_enabled", "loaded_entry")
async def test_price_settings_only_while_price_based_charging_is_on(hass: HomeAssistant) -> None:
    """The cloud shows them only while it is on: unavailable before, its values after."""
    for domain, key in ((TIME, DEPARTURE), (NUMBER, EXPECTED), (NUMBER, MINIMUM)):
        assert state(hass, domain, key) == STATE_UNAVAILABLE
    await press(hass, "select", "select_option", "smart_charging_mode", option="price_based")
    assert state(hass, TIME, DEPARTURE) == "07:00:00"
    assert (state(hass, NUMBER, EXPECTED), state(hass, NUMBER, MINIMUM)) == ("25.0", "10.0")


async def test_departure_and_energies_round_trip(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """Each sends the three settings with the other two as they are; the cloud's answer shows."""
    _price_on(cloud)
    await load(hass, config_entry)
    price = cloud.account.charge_points[EVSE].price_based_charging
    await press(hass, TIME, SET_TIME, DEPARTURE, time="07:30")
    assert (price.expected_leave_time, price.expected_kwh, price.minimum_kwh) == ("07:30", 25, 10)
    await press(hass, NUMBER, SET_NUMBER, EXPECTED, value=40.5)
    await press(hass, NUMBER, SET_NUMBER, MINIMUM, value=12)
    assert (price.expected_leave_time, price.expected_kwh, price.minimum_kwh) == ("07:30", 40.5, 12)
    assert state(hass, TIME, DEPARTURE) == "07:30:00"
    assert (state(hass, NUMBER, EXPECTED), state(hass, NUMBER, MINIMUM)) == ("40.5", "12.0")


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        (MINIMUM, 30.0, "minimum_above_expected"),
        (EXPECTED, 5.0, "minimum_above_expected"),
        (MINIMUM, -1.0, "out_of_range"),  # Home Assistant's own range check
        (EXPECTED, 250.0, "out_of_range"),
    ],
)
async def test_energies_refused_before_sending(  # noqa: PLR0917
    hass: HomeAssistant,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    key: str,
    value: float,
    error: str,
) -> None:
    _price_on(cloud)
    await load(hass, config_entry)
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, NUMBER, SET_NUMBER, key, value=value)
    assert err.value.translation_key == error
    assert not cloud.stats.rest_requests
    assert (state(hass, NUMBER, EXPECTED), state(hass, NUMBER, MINIMUM)) == ("25.0", "10.0")


async def test_app_changes_reach_the_price_settings(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    _price_on(cloud)
    await load(hass, config_entry)
    price = cloud.account.charge_points[EVSE].price_based_charging
    price.expected_kwh = 33.0
    await cloud.push_settings(EVSE)
    await wait_for(lambda: state(hass, NUMBER, EXPECTED) == "33.0", 5)
    price.expected_leave_time = "06:15"
    capacity = cloud.account.charge_points[EVSE].capacity_tariff
    capacity.value, capacity.max_kwh = True, 3.5
    await fire_poll(hass)
    assert state(hass, TIME, DEPARTURE) == "06:15:00"
    assert (state(hass, SWITCH, CAPACITY), state(hass, NUMBER, LIMIT)) == ("on", "3.5")
    capacity.max_kwh = 6.0
    await cloud.push_settings(EVSE)
    await wait_for(lambda: state(hass, NUMBER, LIMIT) == "6.0", 5)


async def test_capacity_tariff(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The limit switches it on; off forgets the limit in the cloud; on again uses the last one."""
    capacity = cloud.account.charge_points[EVSE].capacity_tariff
    assert (state(hass, SWITCH, CAPACITY), state(hass, NUMBER, LIMIT)) == ("off", "unknown")
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await press(hass, SWITCH, SERVICE_TURN_ON, CAPACITY)
    assert err.value.translation_key == "capacity_limit_unknown"
    assert not cloud.stats.rest_requests

    await press(hass, NUMBER, SET_NUMBER, LIMIT, value=2.5)
    assert (capacity.value, capacity.max_kwh) == (True, 2.5)
    assert (state(hass, SWITCH, CAPACITY), state(hass, NUMBER, LIMIT)) == ("on", "2.5")
    await press(hass, SWITCH, SERVICE_TURN_OFF, CAPACITY)
    assert (capacity.value, capacity.max_kwh) == (False, None)
    assert (state(hass, SWITCH, CAPACITY), state(hass, NUMBER, LIMIT)) == ("off", "unknown")
    await press(hass, SWITCH, SERVICE_TURN_ON, CAPACITY)
    assert (capacity.value, capacity.max_kwh) == (True, 2.5)
    assert (state(hass, SWITCH, CAPACITY), state(hass, NUMBER, LIMIT)) == ("on", "2.5")

    cloud.stats.reset()
    for bad in (0.0, 80.5):  # outside 0.01-80: Home Assistant's range check on our bounds
        with pytest.raises(ServiceValidationError) as err:
            await press(hass, NUMBER, SET_NUMBER, LIMIT, value=bad)
        assert err.value.translation_key == "out_of_range"
    assert not cloud.stats.rest_requests
    assert capacity.max_kwh == 2.5


@pytest.mark.parametrize("permission", ["read", "none"])
async def test_price_and_capacity_permissions(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry, permission: str
) -> None:
    """Read: shown, changes refused before sending. None: no entities."""
    point = cloud.account.charge_points[EVSE]
    point.permissions |= {"price_based_charging": permission, "capacity_tariff": permission}
    _price_on(cloud)
    point.capacity_tariff.value, point.capacity_tariff.max_kwh = True, 4.0
    await load(hass, config_entry)
    controls = [
        (TIME, SET_TIME, DEPARTURE, {"time": "06:00"}),
        (NUMBER, SET_NUMBER, EXPECTED, {"value": 30}),
        (NUMBER, SET_NUMBER, MINIMUM, {"value": 5}),
        (NUMBER, SET_NUMBER, LIMIT, {"value": 3}),
        (SWITCH, SERVICE_TURN_OFF, CAPACITY, {}),
    ]
    cloud.stats.reset()
    for domain, service, key, data in controls:
        assert exists(hass, domain, key) == (permission == "read")
        if permission == "none":
            continue
        with pytest.raises(ServiceValidationError) as err:
            await press(hass, domain, service, key, **data)
        assert err.value.translation_key == "read_only"
    assert not cloud.stats.rest_requests
    if permission == "read":
        assert state(hass, NUMBER, LIMIT) == "4.0"
        assert state(hass, TIME, DEPARTURE) == "07:00:00"

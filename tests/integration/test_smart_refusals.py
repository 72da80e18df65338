"""Every smart-charging control, refused by the cloud or never answered: a translated error, and
nothing changes, in Home Assistant or in the simulator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from simulator.state import OverrideSchedule

from .conftest import settle, use_client_settings
from .smart_common import EVSE, action, cloud_state, device, load, press, save_window, shown

# Entities disabled by default are among those these tests drive.
pytestmark = pytest.mark.usefixtures("all_entities_enabled")


def _nothing(cloud: Simulator) -> None:
    """The simulator's default account."""


def _window(cloud: Simulator) -> None:
    save_window(cloud, [1, 2], "23:00", "07:00")


def _price_on(cloud: Simulator) -> None:
    cloud.account.charge_points[EVSE].price_based_charging.value = True


def _delayed_on(cloud: Simulator) -> None:
    cloud.account.charge_points[EVSE].delayed_charging.value = True


def _capacity_on(cloud: Simulator) -> None:
    capacity = cloud.account.charge_points[EVSE].capacity_tariff
    capacity.value, capacity.max_kwh = True, 4.0


def _schedule(cloud: Simulator) -> None:
    cloud.account.override_schedules.append(
        OverrideSchedule(3, [EVSE], "17:00", ["MO"], "21:00", ["MO"], 10.0)
    )


def _entity(domain: str, service: str, key: str, **data: Any) -> Callable[[HomeAssistant], Any]:
    return lambda hass: press(hass, domain, service, key, **data)


def _action(service: str, **data: Any) -> Callable[[HomeAssistant], Any]:
    def call(hass: HomeAssistant) -> Awaitable[Any]:
        fields = {
            key: device(hass) if value == "<device>" else value for key, value in data.items()
        }
        return action(hass, service, **fields)

    return call


class Control(NamedTuple):
    """A control, what it needs in the cloud, and the REST path or command that carries it."""

    name: str
    prepare: Callable[[Simulator], None]
    call: Callable[[HomeAssistant], Awaitable[Any]]
    path: str | None = None
    command: str | None = None


WINDOW = {"days": ["mon"], "start_time": "22:00", "end_time": "06:00"}
OVERRIDE = {"current": 8, "start_time": "17:00", "start_days": ["fri"], "end_time": "21:00"}
CONTROLS = [
    Control(
        "mode",
        _nothing,
        _entity("select", "select_option", "smart_charging_mode", option="delayed"),
        path="setdelayedcharging",
    ),
    Control(
        "window start",
        _window,
        _entity("time", "set_value", "delayed_charging_start", time="21:00"),
        path="savescheduledelayedcharging",
    ),
    Control(
        "departure",
        _price_on,
        _entity("time", "set_value", "departure_time", time="06:00"),
        path="setpricebasedsettings",
    ),
    Control(
        "expected energy",
        _price_on,
        _entity("number", "set_value", "expected_energy", value=30),
        path="setpricebasedsettings",
    ),
    Control(
        "minimum energy",
        _price_on,
        _entity("number", "set_value", "minimum_energy", value=5),
        path="setpricebasedsettings",
    ),
    Control(
        "capacity switch",
        _capacity_on,
        _entity("switch", "turn_off", "capacity_tariff"),
        path="setcapacitytariff",
    ),
    Control(
        "capacity limit",
        _nothing,
        _entity("number", "set_value", "capacity_tariff_limit", value=5),
        path="setcapacitytariff",
    ),
    Control(
        "boost",
        _delayed_on,
        _entity("button", "press", "boost"),
        path="overridedelayedchargingtimeout",
    ),
    Control(
        "set_delayed_charging",
        _nothing,
        _action("set_delayed_charging", device_id="<device>", **WINDOW),
        path="savescheduledelayedcharging",
    ),
    Control(
        "set_current_override",
        _nothing,
        _action("set_current_override", device_id="<device>", end_days=["fri"], **OVERRIDE),
        command="POST_SET_OVERRIDE_CURRENT",
    ),
    Control(
        "clear_current_override by schedule",
        _schedule,
        _action("clear_current_override", schedule_id=3),
        command="POST_CLEAR_OVERRIDE_CURRENT",
    ),
    Control(
        "clear_current_override by charge point",
        _schedule,
        _action("clear_current_override", device_id="<device>"),
        command="POST_CLEAR_OVERRIDE_CURRENT",
    ),
]


@pytest.mark.parametrize("fault", ["rejected", "silent"])
@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: c.name)
async def test_refused_or_silent_command_changes_nothing(
    hass: HomeAssistant,
    cloud: Simulator,
    config_entry: MockConfigEntry,
    control: Control,
    fault: str,
) -> None:
    control.prepare(cloud)
    use_client_settings(hass, request_timeout=0.5)
    await load(hass, config_entry)
    before = (cloud_state(cloud), shown(hass))
    if fault == "rejected":
        cloud.faults.action_result = "rejected"
        key, placeholders = "command_rejected", {"error": "REJECTED"}
    else:
        if control.path is not None:
            cloud.faults.silent_paths = {control.path}
        else:
            cloud.faults.silent_commands = {str(control.command)}
        key, placeholders = "timeout", {}
    cloud.stats.reset()
    with pytest.raises(HomeAssistantError) as err:
        await control.call(hass)
    # The command went out, and by the route docs/contract.md gives it.
    if control.path is not None:
        assert [k for k in cloud.stats.rest_requests if k.endswith("/" + control.path)]
    else:
        assert cloud.stats.ws_commands[str(control.command)] >= 1
    assert (err.value.translation_key, err.value.translation_placeholders or {}) == (
        key,
        placeholders,
    )
    await settle(hass)
    assert (cloud_state(cloud), shown(hass)) == before

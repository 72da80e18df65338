"""Lost connections, expired session tokens, rejected credentials and the daily request limit."""

from __future__ import annotations

import logging

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, CONF_PASSWORD, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.api.errors import next_limit_reset
from custom_components.bluecurrent.const import DOMAIN
from custom_components.bluecurrent.limit import issue_id
from simulator import Simulator

from .conftest import (
    PASSWORD,
    WaitFor,
    coordinator_of,
    entity_id,
    fire_poll,
    idle_smart,
    record_states,
    settle,
)

STATUS_PATH = "GET /app/bc_api/api/v2.1/chargepointstatus"
# 11:00 in Amsterdam: the daily request budget resets 13 hours later.
MORNING = "2026-03-02 10:00:00+00:00"


def _states(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, str]:
    """State of every enabled entity of the entry."""
    registry = er.async_get(hass)
    states = {}
    for entry_ in er.async_entries_for_config_entry(registry, entry.entry_id):
        if idle_smart(entry_.unique_id):
            continue
        if entry_.disabled_by is None and (state := hass.states.get(entry_.entity_id)):
            states[entry_.entity_id] = state.state
    assert states
    return states


def _all_unavailable(hass: HomeAssistant, entry: MockConfigEntry) -> bool:
    return set(_states(hass, entry).values()) == {STATE_UNAVAILABLE}


def _none_unavailable(hass: HomeAssistant, entry: MockConfigEntry) -> bool:
    return STATE_UNAVAILABLE not in _states(hass, entry).values()


async def _press(hass: HomeAssistant, unique_id: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id(hass, BUTTON_DOMAIN, unique_id)},
        blocking=True,
    )


# Connection lost ---------------------------------------------------------------------------


@pytest.mark.usefixtures("fast_reconnect")
async def test_dropped_connection(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Entities go unavailable while the websocket is down and come back after the reconnect.

    Statuses pushed while away are missed, so every charge point's status is fetched again.
    """
    activity = entity_id(hass, "sensor", "BCU100001_activity")
    seen = record_states(hass, activity)
    cloud.stats.reset()
    await cloud.drop_connections()
    await wait_for(
        lambda: cloud.stats.connections == 1 and _none_unavailable(hass, loaded_entry), 10
    )
    await settle(hass)
    assert seen[0] == STATE_UNAVAILABLE
    assert seen[-1] == "charging"
    assert cloud.stats.rest_requests[STATUS_PATH] == len(cloud.account.charge_points)
    assert cloud.stats.logins == 0  # the session token is still good


@pytest.mark.usefixtures("fast_reconnect")
async def test_outage_is_logged_once(
    hass: HomeAssistant,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One warning when the cloud becomes unreachable and one line when it is back.

    Not one per failed reconnect attempt, and a poll that falls in the outage adds nothing.
    """
    caplog.set_level(logging.DEBUG, logger="custom_components.bluecurrent")
    await cloud.stop()
    await wait_for(lambda: caplog.text.count("Reconnect failed") >= 3, 10)
    assert _all_unavailable(hass, loaded_entry)
    await fire_poll(hass)
    assert _all_unavailable(hass, loaded_entry)
    await cloud.start()
    await wait_for(lambda: _none_unavailable(hass, loaded_entry), 10)
    await settle(hass)

    messages = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.bluecurrent")
        and record.levelno >= logging.INFO
    ]
    assert len(messages) == 2, messages
    assert messages[0].startswith("Lost the connection to the Blue Current cloud")
    assert messages[1] == "Connection to the Blue Current cloud is back"


# Session token and credentials ---------------------------------------------------------------


@pytest.mark.usefixtures("all_entities_enabled")  # drives entities off by default
async def test_expired_token_on_command(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A command that meets an expired session token logs in again and then succeeds."""
    cloud.stats.reset()
    cloud.expire_tokens()
    await _press(hass, "BCU100001_soft_reset")
    assert cloud.account.charge_points["BCU100001"].soft_resets == 1
    assert cloud.stats.logins == 1
    assert cloud.stats.connections == 0  # on the same websocket


async def test_expired_token_on_poll(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A poll that meets an expired session token logs in again; nothing goes unavailable."""
    cloud.stats.reset()
    cloud.expire_tokens()
    await fire_poll(hass)
    assert coordinator_of(loaded_entry).last_update_success
    assert cloud.stats.logins == 1
    assert cloud.stats.ws_commands["GET_CHARGE_POINTS"] == 2  # refused once, then answered
    assert _none_unavailable(hass, loaded_entry)


async def test_rejected_credentials_on_poll_start_reauth(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Credentials rejected when the token is renewed: one reauth flow, entities unavailable."""
    cloud.faults.reject_credentials = True
    cloud.expire_tokens()
    await fire_poll(hass)
    flows = loaded_entry.async_get_active_flows(hass, {"reauth"})
    assert len(list(flows)) == 1
    assert _all_unavailable(hass, loaded_entry)


@pytest.mark.usefixtures("fast_reconnect")
async def test_rejected_credentials_on_reconnect_start_reauth(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """Credentials rejected on reconnect: reauth starts, and the right password brings it back."""
    cloud.faults.reject_credentials = True
    cloud.expire_tokens()
    await cloud.drop_connections()
    await wait_for(lambda: any(loaded_entry.async_get_active_flows(hass, {"reauth"})), 10)
    await settle(hass)
    assert _all_unavailable(hass, loaded_entry)
    connections = cloud.stats.connections
    await fire_poll(hass)
    assert cloud.stats.connections == connections  # no retries with rejected credentials

    cloud.faults.reject_credentials = False
    flow = next(iter(loaded_entry.async_get_active_flows(hass, {"reauth"})))
    result = await hass.config_entries.flow.async_configure(
        flow["flow_id"], {"username": loaded_entry.data["username"], CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await settle(hass)
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert _none_unavailable(hass, loaded_entry)


# Request limit -------------------------------------------------------------------------------


@pytest.mark.usefixtures("all_entities_enabled")  # drives entities off by default
async def test_request_limit_on_command(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A command over the limit says so, with the time the budget resets."""
    cloud.faults.request_limit = True
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, "BCU100001_soft_reset")
    assert err.value.translation_key == "limit_reached"
    reset = dt_util.as_local(next_limit_reset()).strftime("%Y-%m-%d %H:%M")
    assert (err.value.translation_placeholders or {})["reset"] == reset
    assert cloud.account.charge_points["BCU100001"].soft_resets == 0
    # The limit is respected from now on, and the user told why (a repair issue).
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id(loaded_entry.entry_id))
    cloud.stats.reset()
    with pytest.raises(HomeAssistantError):
        await _press(hass, "BCU100001_reboot")
    assert not cloud.stats.ws_commands

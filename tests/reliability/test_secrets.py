"""Secrets: a full run at DEBUG logging leaks no credential, token or personal account data.

Each run logs in through the config flow (after a wrong attempt), uses every action, loses its
session token while the cloud rejects the credentials (reauth), logs in again through the reauth
flow and downloads the diagnostics of the entry and of a charge point. Then neither the captured
logs, the texts of the errors shown to the user, nor the diagnostics contain the password (right
or wrong), the API token, any session token the simulator issued, or the IBAN; the diagnostics
contain none of the account's other personal data either.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import json
import logging
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_API_TOKEN, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.bluecurrent.const import CONF_CLOUD_URL, DOMAIN
from custom_components.bluecurrent.settings import DEFAULT_SETTINGS
from simulator import Simulator

from ..conftest import find_device
from ..privacy import personal_values, secret_values
from .conftest import wait_until

USERNAME = "secret.owner@example.com"
PASSWORD = "Pw-7fK2-q9Zx-only-in-the-vault"
WRONG_PASSWORD = "Pw-wrong-3Jd8-also-secret"
API_TOKEN = "api-token-5d1e9c44b7-do-not-log"


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """A cloud whose credentials cannot be mistaken for anything else in a log."""
    sim = Simulator(
        charge_points=2,
        seed=1,
        charging=1,
        username=USERNAME,
        password=PASSWORD,
        api_token=API_TOKEN,
    )
    sim.account.tel = "+31 6 12345678"
    async with sim:
        yield sim


def _credentials(method: str, password: str = PASSWORD) -> dict[str, str]:
    if method == "password":
        return {CONF_USERNAME: USERNAME, CONF_PASSWORD: password}
    return {CONF_API_TOKEN: API_TOKEN if password == PASSWORD else password}


def _leaks(text: str, values: dict[str, str]) -> list[str]:
    return [what for what, value in values.items() if value and value in text]


async def _login(hass: HomeAssistant, sim: Simulator, method: str) -> str:
    """The config flow, with a wrong secret first; return the new entry's id."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": method}
    )
    cloud = {"advanced": {CONF_CLOUD_URL: sim.base_url}}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _credentials(method, WRONG_PASSWORD) | cloud
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _credentials(method) | cloud
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    entry_id: str = result["result"].entry_id
    return entry_id


async def _service(
    hass: HomeAssistant, domain: str, service: str, data: dict[str, Any], errors: list[str]
) -> None:
    """Call an action; an error shown to the user is kept for the check."""
    try:
        await hass.services.async_call(domain, service, data, blocking=True)
    except HomeAssistantError as err:
        errors.append(f"{err} {err!r} {err.translation_placeholders}")
    await hass.async_block_till_done(wait_background_tasks=True)


def _entity(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    found = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert found is not None, unique_id
    return found


async def _every_action(hass: HomeAssistant, sim: Simulator, errors: list[str]) -> None:
    first, second = list(sim.account.charge_points)
    device = find_device(hass, second)
    assert device is not None
    card = sim.account.cards[0]
    await _service(
        hass, DOMAIN, "start_session", {"device_id": device.id, "charge_card": card.id}, errors
    )
    assert sim.charge_point(second).session is not None
    for key in ("stop_session", "soft_reset", "reboot", "socket_1_unlock_connector"):
        await _service(
            hass,
            "button",
            "press",
            {"entity_id": _entity(hass, "button", f"{second}_{key}")},
            errors,
        )
    for key in ("enabled", "plug_and_charge", "public_charging"):
        entity_id = _entity(hass, "switch", f"{first}_{key}")
        for service in ("turn_off", "turn_on"):
            await _service(hass, "switch", service, {"entity_id": entity_id}, errors)
    select = _entity(hass, "select", f"{first}_plug_and_charge_card")
    for option in (card.name, "no_card"):
        await _service(
            hass, "select", "select_option", {"entity_id": select, "option": option}, errors
        )
    assert not errors
    # Refusals reach the user as errors; their texts are checked too.
    sim.faults.action_result = "rejected"
    await _service(
        hass, "button", "press", {"entity_id": _entity(hass, "button", f"{first}_reboot")}, errors
    )
    sim.faults.action_result = "success"
    await _service(
        hass, DOMAIN, "start_session", {"device_id": device.id, "charge_card": "nope"}, errors
    )
    assert len(errors) == 2


async def _reauth(hass: HomeAssistant, sim: Simulator, entry_id: str, method: str) -> None:
    """The session token expires while the cloud rejects the credentials; log in again."""
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    sim.expire_tokens()
    sim.faults.reject_credentials = True
    # The poll finds out.
    async_fire_time_changed(hass, dt_util.utcnow() + DEFAULT_SETTINGS.poll_interval)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert await wait_until(lambda: any(entry.async_get_active_flows(hass, {SOURCE_REAUTH})), 10)
    (flow,) = entry.async_get_active_flows(hass, {SOURCE_REAUTH})
    sim.faults.reject_credentials = False
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], _credentials(method))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("clock_jumps")
@pytest.mark.parametrize("method", ["password", "api_token"])
@pytest.mark.usefixtures("all_entities_enabled")  # drives entities off by default
async def test_debug_run_leaks_no_secret(
    hass: HomeAssistant,
    cloud: Simulator,
    hass_client: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
    method: str,
) -> None:
    """Setup, every action, reauth and diagnostics at DEBUG: no secret anywhere."""
    for name in ("", "custom_components.bluecurrent", "simulator", "homeassistant", "aiohttp"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    errors: list[str] = []

    entry_id = await _login(hass, cloud, method)
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    assert entry.state is ConfigEntryState.LOADED
    await _every_action(hass, cloud, errors)
    await _reauth(hass, cloud, entry_id, method)
    logins_before_diagnostics = len(cloud.issued_tokens)
    assert logins_before_diagnostics >= 3  # two setups (flow, entry) and the reauth at least

    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    device = find_device(hass, next(iter(cloud.account.charge_points)))
    assert device is not None
    device_diagnostics = await get_diagnostics_for_device(hass, hass_client, entry, device)
    assert diagnostics["charge_points"]
    assert device_diagnostics["sockets"]

    secrets = secret_values(cloud, PASSWORD, WRONG_PASSWORD, API_TOKEN)
    logs = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert "Logged in" in caplog.text  # the client's debug logging was captured
    assert "Sending" in caplog.text
    assert _leaks(logs, secrets) == []
    assert _leaks("\n".join(errors), secrets) == []
    # What the integration and its client log (the debug log users attach to issues) carries no
    # personal data either: what diagnostics redact, log lines redact.
    ours = "".join(
        record.getMessage() + str(record.exc_text or "")
        for record in caplog.records
        if record.name.startswith("custom_components.bluecurrent")
    )
    assert _leaks(ours, personal_values(cloud)) == []
    downloaded = json.dumps(diagnostics) + json.dumps(device_diagnostics)
    assert _leaks(downloaded, secrets | personal_values(cloud)) == []

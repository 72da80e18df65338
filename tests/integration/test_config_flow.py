"""The config flow, logging in for real against the simulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_API_TOKEN, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.api.errors import next_limit_reset
from custom_components.bluecurrent.config_flow import _credentials
from custom_components.bluecurrent.const import CONF_CLOUD_URL, DEFAULT_CLOUD_URL, DOMAIN
from simulator import Simulator
from simulator.model import Faults

from .conftest import API_TOKEN, PASSWORD, USERNAME


async def _start(hass: HomeAssistant, method: str) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["password", "api_token"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": method}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == method
    return result["flow_id"]


def _password(cloud: Simulator, password: str = PASSWORD) -> dict[str, Any]:
    advanced = {CONF_CLOUD_URL: cloud.base_url}
    return {CONF_USERNAME: USERNAME, CONF_PASSWORD: password, "advanced": advanced}


def _token(cloud: Simulator, token: str = API_TOKEN) -> dict[str, Any]:
    return {CONF_API_TOKEN: token, "advanced": {CONF_CLOUD_URL: cloud.base_url}}


def _entry_data(form: dict[str, Any]) -> dict[str, Any]:
    """What the entry keeps of a form: the cloud address out of its section."""
    return {k: v for k, v in form.items() if k != "advanced"} | form["advanced"]


async def _finish(hass: HomeAssistant, flow_id: str, user_input: dict[str, str]) -> None:
    """Send the right input: the flow creates the entry, which loads."""
    result = await hass.config_entries.flow.async_configure(flow_id, user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(result["result"].entry_id)


async def test_password_login_creates_entry(hass: HomeAssistant, cloud: Simulator) -> None:
    """A right password creates one entry named after the account, for the cloud given."""
    flow_id = await _start(hass, "password")
    result = await hass.config_entries.flow.async_configure(flow_id, _password(cloud))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == USERNAME
    assert result["result"].unique_id == USERNAME
    assert result["data"] == _entry_data(_password(cloud))
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(result["result"].entry_id)


async def test_api_token_login_creates_entry(hass: HomeAssistant, cloud: Simulator) -> None:
    """The home automation key is the other way in."""
    flow_id = await _start(hass, "api_token")
    result = await hass.config_entries.flow.async_configure(flow_id, _token(cloud))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == _entry_data(_token(cloud))
    assert result["result"].unique_id == USERNAME
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.parametrize("method", ["password", "api_token"])
async def test_cloud_address_is_folded_away(hass: HomeAssistant, method: str) -> None:
    """The cloud address sits in a collapsed section, with the real cloud as its default."""
    form = await hass.config_entries.flow.async_configure(await _start(hass, method))
    fields = {str(key): value for key, value in form["data_schema"].schema.items()}
    advanced = fields["advanced"]
    assert advanced.options["collapsed"] is True
    (cloud_url,) = advanced.schema.schema
    assert str(cloud_url) == CONF_CLOUD_URL
    assert cloud_url.default() == DEFAULT_CLOUD_URL


async def test_real_cloud_is_not_stored(hass: HomeAssistant, cloud: Simulator) -> None:
    """Left at the real cloud's address, the entry stores no address at all."""
    form = _password(cloud)
    form["advanced"] = {CONF_CLOUD_URL: DEFAULT_CLOUD_URL + "/"}
    assert _credentials(form) == {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD}
    assert _credentials({CONF_API_TOKEN: API_TOKEN}) == {CONF_API_TOKEN: API_TOKEN}


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        pytest.param(lambda c: None, "invalid_auth", id="wrong-password"),
        pytest.param(
            lambda c: setattr(c.faults, "reject_credentials", True), "invalid_auth", id="rejected"
        ),
        pytest.param(
            lambda c: c.faults.silent_commands.add("VALIDATE_PASSWORD"),
            "cannot_connect",
            id="timeout",
        ),
        pytest.param(
            lambda c: c.faults.command_errors.update(GET_ACCOUNT=(9, "Unknown error")),
            "unknown",
            id="unknown",
        ),
    ],
)
async def test_login_errors_then_success(
    hass: HomeAssistant, cloud: Simulator, fault: Callable[[Simulator], None], error: str
) -> None:
    """Each failed login says why on the form; with the cause gone, the flow finishes."""
    flow_id = await _start(hass, "password")
    fault(cloud)
    password = "wrong" if error == "invalid_auth" else PASSWORD
    result = await hass.config_entries.flow.async_configure(flow_id, _password(cloud, password))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    cloud.faults = Faults()
    await _finish(hass, flow_id, _password(cloud))


async def test_wrong_token_then_right(hass: HomeAssistant, cloud: Simulator) -> None:
    """A wrong API token says invalid_auth; the right one finishes the flow."""
    flow_id = await _start(hass, "api_token")
    result = await hass.config_entries.flow.async_configure(flow_id, _token(cloud, "nope"))
    assert result["errors"] == {"base": "invalid_auth"}
    await _finish(hass, flow_id, _token(cloud))


async def test_cannot_connect_then_success(hass: HomeAssistant, cloud: Simulator) -> None:
    """No cloud at the address says cannot_connect; once it is there, the flow finishes."""
    await cloud.stop()
    flow_id = await _start(hass, "password")
    result = await hass.config_entries.flow.async_configure(flow_id, _password(cloud))
    assert result["errors"] == {"base": "cannot_connect"}
    await cloud.start()
    await _finish(hass, flow_id, _password(cloud))


async def test_limit_reached_then_success(hass: HomeAssistant, cloud: Simulator) -> None:
    """The request limit is named, with the time it resets; after it, the flow finishes."""
    cloud.faults.request_limit = True
    flow_id = await _start(hass, "api_token")
    result = await hass.config_entries.flow.async_configure(flow_id, _token(cloud))
    assert result["errors"] == {"base": "limit_reached"}
    # Midnight in Amsterdam, shown in Home Assistant's own time zone (US/Pacific in tests).
    reset = dt_util.as_local(next_limit_reset()).strftime("%H:%M")
    assert reset != "00:00"
    assert result["description_placeholders"]["reset"] == reset
    cloud.faults.request_limit = False
    await _finish(hass, flow_id, _token(cloud))


async def test_already_configured(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The same account twice aborts, whichever way it logs in."""
    flow_id = await _start(hass, "api_token")
    result = await hass.config_entries.flow.async_configure(flow_id, _token(cloud))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth_keeps_entry(
    hass: HomeAssistant, cloud: Simulator, config_entry: MockConfigEntry
) -> None:
    """A changed password fails setup, starts reauth, and new credentials recover the entry."""
    cloud.password = "changed"
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [f["context"]["source"] for f in flows] == ["reauth"]
    flow_id = flows[0]["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: USERNAME, CONF_PASSWORD: "still wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: USERNAME, CONF_PASSWORD: "changed"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert config_entry.data[CONF_PASSWORD] == "changed"
    assert config_entry.data[CONF_CLOUD_URL] == cloud.base_url
    assert config_entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(config_entry.entry_id)


async def test_reauth_refuses_other_account(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Credentials of another account abort with wrong_account and change nothing."""
    result = await loaded_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    cloud.account.login = "someone.else@example.com"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_account"
    assert loaded_entry.unique_id == USERNAME


async def test_reconfigure_changes_credentials(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Reconfigure swaps the password after checking it with the cloud."""
    result = await loaded_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    cloud.password = "new-secret"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: "old"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: USERNAME, CONF_PASSWORD: "new-secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert loaded_entry.data[CONF_PASSWORD] == "new-secret"
    assert loaded_entry.state is ConfigEntryState.LOADED


async def test_reconfigure_token_entry(hass: HomeAssistant, cloud: Simulator) -> None:
    """A token entry is reconfigured with a token."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=USERNAME,
        data={CONF_API_TOKEN: "old-token", CONF_CLOUD_URL: cloud.base_url},
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert list(result["data_schema"].schema) == [CONF_API_TOKEN]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_API_TOKEN: API_TOKEN}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data == {CONF_API_TOKEN: API_TOKEN, CONF_CLOUD_URL: cloud.base_url}
    assert await hass.config_entries.async_unload(entry.entry_id)

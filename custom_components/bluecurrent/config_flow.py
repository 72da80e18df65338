"""Config flow: log in with e-mail and password or with an API token, for real."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_API_TOKEN, CONF_PASSWORD, CONF_USERNAME
from homeassistant.data_entry_flow import SectionConfig, section
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api import Account, BlueCurrentError
from .client_factory import create_client
from .const import CONF_CLOUD_URL, DEFAULT_CLOUD_URL, DOMAIN, LOGGER
from .errors import flow_error

METHOD_PASSWORD = "password"  # noqa: S105 - a menu option, not a secret
METHOD_API_TOKEN = "api_token"  # noqa: S105 - a menu option, not a secret

_EMAIL = TextSelector(TextSelectorConfig(type=TextSelectorType.EMAIL, autocomplete="username"))
_SECRET = TextSelector(
    TextSelectorConfig(type=TextSelectorType.PASSWORD, autocomplete="current-password")
)


def _password_schema(username: str | None = None) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_USERNAME, default=username or vol.UNDEFINED): _EMAIL,
            vol.Required(CONF_PASSWORD): _SECRET,
        }
    )


_TOKEN_SCHEMA = vol.Schema({vol.Required(CONF_API_TOKEN): _SECRET})
_URL = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
SECTION_ADVANCED = "advanced"


def _with_cloud(schema: vol.Schema, cloud_url: str | None) -> vol.Schema:
    """Add a collapsed "Advanced options" section with the cloud address.

    Home Assistant 2026.6 deprecated advanced mode in flows (its flag is always true there), so
    the field that only a developer changes sits in a section users leave folded.
    """
    cloud = vol.Schema({vol.Optional(CONF_CLOUD_URL, default=cloud_url or DEFAULT_CLOUD_URL): _URL})
    return schema.extend(
        {vol.Optional(SECTION_ADVANCED): section(cloud, SectionConfig(collapsed=True))}
    )


def _credentials(user_input: dict[str, Any]) -> dict[str, Any]:
    """Flatten the form; keep the cloud address only when it is not the real cloud's."""
    data = {k: v for k, v in user_input.items() if k != SECTION_ADVANCED}
    cloud_url = str(user_input.get(SECTION_ADVANCED, {}).get(CONF_CLOUD_URL, DEFAULT_CLOUD_URL))
    if cloud_url.rstrip("/") != DEFAULT_CLOUD_URL:
        data[CONF_CLOUD_URL] = cloud_url
    return data


class BlueCurrentConfigFlow(ConfigFlow, domain=DOMAIN):
    """Sets up one entry per Blue Current account."""

    VERSION = 1

    async def _validate(
        self, data: dict[str, Any]
    ) -> tuple[Account | None, dict[str, str], dict[str, str]]:
        """Log in and read the account; return it or the form errors."""
        client = create_client(self.hass, data)
        try:
            await client.connect()
            return await client.get_account(), {}, {}
        except BlueCurrentError as err:
            key, placeholders = flow_error(err)
            if key == "unknown":
                LOGGER.warning("Unexpected answer from Blue Current: %s", type(err).__name__)
            return None, {"base": key}, placeholders
        except Exception:
            LOGGER.exception("Unexpected error while logging in to Blue Current")
            return None, {"base": "unknown"}, {}
        finally:
            await client.close()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Let the user choose how to log in."""
        return self.async_show_menu(
            step_id="user", menu_options=[METHOD_PASSWORD, METHOD_API_TOKEN]
        )

    async def async_step_password(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in with the account's e-mail address and password."""
        return await self._credentials_step(METHOD_PASSWORD, user_input)

    async def async_step_api_token(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Log in with a home automation key (API token)."""
        return await self._credentials_step(METHOD_API_TOKEN, user_input)

    async def _credentials_step(
        self, method: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            data = _credentials(user_input)
            account, errors, placeholders = await self._validate(data)
            if account is not None:
                await self.async_set_unique_id(account.login.casefold())
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=account.login, data=data)
        username = user_input.get(CONF_USERNAME) if user_input else None
        schema = _password_schema(username) if method == METHOD_PASSWORD else _TOKEN_SCHEMA
        cloud_url = (user_input or {}).get(SECTION_ADVANCED, {}).get(CONF_CLOUD_URL)
        schema = _with_cloud(schema, cloud_url)
        return self.async_show_form(
            step_id=method, data_schema=schema, errors=errors, description_placeholders=placeholders
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Start reauthentication when the cloud rejects the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials of the same account."""
        return await self._update_step("reauth_confirm", user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials of a configured account."""
        return await self._update_step("reconfigure", user_input)

    async def _update_step(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        entry = (
            self._get_reauth_entry()
            if self.source == SOURCE_REAUTH
            else self._get_reconfigure_entry()
        )
        uses_token = CONF_API_TOKEN in entry.data
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"account": entry.title}
        if user_input is not None:
            # The cloud address stays what the entry was set up with.
            keep = {k: v for k, v in entry.data.items() if k == CONF_CLOUD_URL}
            data = {**user_input, **keep}
            account, errors, extra = await self._validate(data)
            placeholders |= extra
            if account is not None:
                await self.async_set_unique_id(account.login.casefold())
                self._abort_if_unique_id_mismatch(
                    reason="wrong_account", description_placeholders=placeholders
                )
                return self.async_update_reload_and_abort(entry, data=data, title=account.login)
        if uses_token:
            schema = _TOKEN_SCHEMA
        else:
            default = user_input or {CONF_USERNAME: entry.data.get(CONF_USERNAME)}
            schema = _password_schema(default.get(CONF_USERNAME))
        return self.async_show_form(
            step_id=step_id,
            data_schema=schema,
            errors=errors,
            description_placeholders=placeholders,
        )

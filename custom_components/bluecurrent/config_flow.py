"""Config flow: log in with e-mail and password or with an API token, for real."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import SOURCE_REAUTH, ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_API_TOKEN, CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .api import (
    Account,
    BlueCurrentError,
    CannotConnectError,
    InvalidCredentialsError,
    RequestLimitReachedError,
    RequestTimeoutError,
)
from .const import CONF_CLOUD_URL, DOMAIN, LOGGER
from .helpers import DATA_CLOUD_URL, create_client

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


class BlueCurrentConfigFlow(ConfigFlow, domain=DOMAIN):
    """Sets up one entry per Blue Current account."""

    VERSION = 1

    async def _validate(
        self, credentials: dict[str, Any]
    ) -> tuple[Account | None, dict[str, str], dict[str, str]]:
        """Log in and read the account; return it or the form errors."""
        data = dict(credentials)
        if cloud_url := self.hass.data.get(DATA_CLOUD_URL):
            data[CONF_CLOUD_URL] = cloud_url
        client = create_client(self.hass, data)
        try:
            await client.connect()
            return await client.get_account(), {}, {}
        except InvalidCredentialsError:
            return None, {"base": "invalid_auth"}, {}
        except RequestLimitReachedError as err:
            reset = dt_util.as_local(err.reset_at).strftime("%H:%M")
            return None, {"base": "limit_reached"}, {"reset": reset}
        except (CannotConnectError, RequestTimeoutError):
            return None, {"base": "cannot_connect"}, {}
        except BlueCurrentError as err:
            LOGGER.warning("Unexpected answer from the Blue Current cloud: %s", type(err).__name__)
            return None, {"base": "unknown"}, {}
        except Exception:
            LOGGER.exception("Unexpected error while logging in to Blue Current")
            return None, {"base": "unknown"}, {}
        finally:
            await client.close()

    def _entry_data(self, credentials: dict[str, Any]) -> dict[str, Any]:
        data = dict(credentials)
        if cloud_url := self.hass.data.get(DATA_CLOUD_URL):
            data[CONF_CLOUD_URL] = cloud_url
        return data

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
            account, errors, placeholders = await self._validate(user_input)
            if account is not None:
                await self.async_set_unique_id(account.login.casefold())
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=account.login, data=self._entry_data(user_input)
                )
        username = user_input.get(CONF_USERNAME) if user_input else None
        schema = _password_schema(username) if method == METHOD_PASSWORD else _TOKEN_SCHEMA
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
            account, errors, extra = await self._validate(user_input)
            placeholders |= extra
            if account is not None:
                await self.async_set_unique_id(account.login.casefold())
                self._abort_if_unique_id_mismatch(
                    reason="wrong_account", description_placeholders=placeholders
                )
                keep = {k: v for k, v in entry.data.items() if k == CONF_CLOUD_URL}
                return self.async_update_reload_and_abort(
                    entry, data={**keep, **user_input}, title=account.login
                )
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

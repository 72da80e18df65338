"""Client construction and error translation shared by setup, flow, entities and actions."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime
from typing import Any

from homeassistant.const import CONF_API_TOKEN, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api import (
    ActionRejectedError,
    BlueCurrentClient,
    BlueCurrentError,
    CannotConnectError,
    ForbiddenError,
    InvalidCredentialsError,
    RequestLimitReachedError,
    RequestTimeoutError,
)
from .api.const import (
    ACTION_TIMEOUT as CLIENT_ACTION_TIMEOUT,
    API_URL,
    BACKOFF_INITIAL as CLIENT_BACKOFF_INITIAL,
    BACKOFF_MAX as CLIENT_BACKOFF_MAX,
    BCE_URL,
    WS_URL,
)
from .const import CONF_CLOUD_URL, DOMAIN

DATA_CLOUD_URL: HassKey[str] = HassKey(f"{DOMAIN}_cloud_url")

# Reconnect backoff and how long a charge point may take to carry out a command, in seconds;
# read each time a client is built. The client's defaults, as module settings so that a test
# can shorten them.
BACKOFF_INITIAL: float = CLIENT_BACKOFF_INITIAL
BACKOFF_MAX: float = CLIENT_BACKOFF_MAX
ACTION_TIMEOUT: float = CLIENT_ACTION_TIMEOUT


def cloud_urls(base_url: str) -> dict[str, str]:
    """Derive the websocket and REST addresses of a cloud served under one base URL."""
    base = base_url.rstrip("/")
    ws_base = "ws" + base.removeprefix("http")
    return {
        "ws_url": f"{ws_base}/appserver/2.0",
        "api_url": f"{base}/app/bc_api/api/v2.0",
        "bce_url": f"{base}/app/bce_api/api/v1",
    }


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> BlueCurrentClient:
    """Build a client on Home Assistant's shared session from entry or flow data."""
    urls = cloud_urls(data[CONF_CLOUD_URL]) if data.get(CONF_CLOUD_URL) else {}
    return BlueCurrentClient(
        async_get_clientsession(hass),
        username=data.get(CONF_USERNAME),
        password=data.get(CONF_PASSWORD),
        api_token=data.get(CONF_API_TOKEN),
        ws_url=urls.get("ws_url", WS_URL),
        api_url=urls.get("api_url", API_URL),
        bce_url=urls.get("bce_url", BCE_URL),
        backoff_initial=BACKOFF_INITIAL,
        backoff_max=BACKOFF_MAX,
        action_timeout=ACTION_TIMEOUT,
    )


def reset_text(when: datetime) -> str:
    """When the request limit resets, in local time, as the messages show it."""
    return dt_util.as_local(when).strftime("%Y-%m-%d %H:%M")


def translate_error(err: BlueCurrentError) -> HomeAssistantError:
    """Turn a client error into a translated error for the UI."""
    key, placeholders = "unknown_error", {"error": type(err).__name__}
    if isinstance(err, ActionRejectedError):
        key, placeholders = "command_rejected", {"error": err.reason or "rejected"}
    elif isinstance(err, RequestLimitReachedError):
        key, placeholders = "limit_reached", {"reset": reset_text(err.reset_at)}
    elif isinstance(err, InvalidCredentialsError):
        key, placeholders = "invalid_auth", {}
    elif isinstance(err, ForbiddenError):
        key, placeholders = "forbidden", {}
    elif isinstance(err, RequestTimeoutError):
        key, placeholders = "timeout", {}
    elif isinstance(err, CannotConnectError):
        key, placeholders = "communication_error", {"error": type(err).__name__}
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def bluecurrent_command[**P](
    func: Callable[P, Coroutine[Any, Any, Any]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Run an entity command and report client errors as translated UI errors."""

    async def handler(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            await func(*args, **kwargs)
        except BlueCurrentError as err:
            raise translate_error(err) from err

    return handler

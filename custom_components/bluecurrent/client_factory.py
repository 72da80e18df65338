"""Build the client of an entry, on Home Assistant's shared HTTP session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from homeassistant.const import CONF_API_TOKEN, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import BlueCurrentClient
from .api.const import API_URL, BCE_URL, WS_URL
from .const import CONF_CLOUD_URL, DEFAULT_CLOUD_URL
from .settings import get_settings


def cloud_urls(base_url: str | None) -> dict[str, str]:
    """Return the websocket and REST addresses; another cloud serves all under one base."""
    if not base_url or base_url.rstrip("/") == DEFAULT_CLOUD_URL:
        return {"ws_url": WS_URL, "api_url": API_URL, "bce_url": BCE_URL}
    base = base_url.rstrip("/")
    ws_base = "ws" + base.removeprefix("http")
    return {
        "ws_url": f"{ws_base}/appserver/2.0",
        "api_url": f"{base}/app/bc_api/api/v2.0",
        "bce_url": f"{base}/app/bce_api/api/v1",
    }


def create_client(
    hass: HomeAssistant, data: Mapping[str, Any], limited_until: datetime | None = None
) -> BlueCurrentClient:
    """Build a client for entry or flow data, with the instance's settings.

    ``limited_until`` is the request limit an earlier client met, so this one sends nothing
    before the reset either.
    """
    urls = cloud_urls(data.get(CONF_CLOUD_URL))
    settings = replace(
        get_settings(hass).client,
        ws_url=urls["ws_url"],
        api_url=urls["api_url"],
        bce_url=urls["bce_url"],
    )
    return BlueCurrentClient(
        async_get_clientsession(hass),
        username=data.get(CONF_USERNAME),
        password=data.get(CONF_PASSWORD),
        api_token=data.get(CONF_API_TOKEN),
        settings=settings,
        limited_until=limited_until,
    )

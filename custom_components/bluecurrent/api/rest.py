"""REST plumbing: requests with the session token, and their HTTP answers as typed errors."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from .const import LIMIT_REASON, USER_AGENT
from .errors import (
    ApiError,
    CannotConnectError,
    ForbiddenError,
    InvalidSessionTokenError,
    MalformedFrameError,
    RequestLimitReachedError,
    RequestTimeoutError,
)
from .frames import decode_json, error_from_frame, refusal_reason, rejection
from .link import Link
from .login import Login
from .settings import ClientSettings

_LOGGER = logging.getLogger(__name__)


def status_url(api_url: str) -> str:
    """Derive the v2.1 sibling of the bc_api base, which serves the multi-socket status."""
    base = api_url.rstrip("/")
    return base[: -len("v2.0")] + "v2.1" if base.endswith("v2.0") else base


class Rest:
    """Calls the bc_api (reads) and bce_api (actions) endpoints."""

    def __init__(
        self, session: aiohttp.ClientSession, settings: ClientSettings, link: Link, login: Login
    ) -> None:
        """Derive the base URLs once."""
        self._session = session
        self._settings = settings
        self._link = link
        self._login = login
        self.api_url = settings.api_url.rstrip("/")
        self.status_url = status_url(settings.api_url)
        self.bce_url = settings.bce_url.rstrip("/")

    async def call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        bare_token: bool = False,
        action: bool = False,
    ) -> Any:
        """Make a call with the session token; return the JSON body, or None if there is none.

        The bce action API authenticates with the bare token (``bare_token``). A ``success:
        false`` answer to an ``action`` (the bce actions and the bc_api's smart-charging commands)
        is a rejection of the action.
        """

        async def call() -> Any:
            if self._login.token is None:
                await self._link.ready()
            token = self._login.token or ""
            headers = {
                "Authorization": token if bare_token else f"Token {token}",
                "User-Agent": USER_AGENT,
            }
            if body is not None:
                headers["Content-Type"] = "application/json"
            return await self._http(method, url, params, body, headers, action=action)

        return await self._link.authorized(call)

    async def json(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        """Make a call whose answer must be a JSON object."""
        result = await self.call(method, url, **kwargs)
        if not isinstance(result, dict):
            raise MalformedFrameError(f"{urlsplit(url).path}: the answer is not a JSON object")
        return result

    async def _http(
        self,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        body: Any,
        headers: dict[str, str],
        *,
        action: bool,
    ) -> Any:
        path = urlsplit(url).path
        timeout = self._settings.request_timeout
        data = json.dumps(body).encode() if body is not None else None
        try:
            async with (
                asyncio.timeout(timeout),
                self._session.request(
                    method, url, params=params, data=data, headers=headers
                ) as response,
            ):
                status = response.status
                raw = await response.read()
        except TimeoutError:
            raise RequestTimeoutError(
                f"No answer to {method} {path} within {timeout:g} s"
            ) from None
        except (aiohttp.ClientError, OSError) as err:
            raise CannotConnectError(f"{method} {path} failed: {type(err).__name__}") from err
        _LOGGER.debug("%s %s: HTTP %s", method, path, status)
        try:
            result = decode_json(raw.decode("utf-8", errors="replace")) if raw.strip() else None
        except ValueError:
            result = None  # judged by the status below; a 2xx then fails as malformed
        if status == 429:
            raise RequestLimitReachedError(LIMIT_REASON)
        if status >= 500:
            raise CannotConnectError(f"{method} {path}: HTTP {status}")
        if status >= 400:
            if isinstance(result, dict) and result.get("object") == "ERROR":
                raise error_from_frame(result)
            if status == 401:
                raise InvalidSessionTokenError(f"{method} {path}: HTTP 401")
            if status == 403:
                raise ForbiddenError(f"{method} {path}: HTTP 403")
            raise ApiError(status, f"{method} {path}: HTTP {status}")
        if isinstance(result, dict) and result.get("success") is False:
            if action:
                raise rejection(path, result)
            raise ApiError(None, refusal_reason(result))
        return result

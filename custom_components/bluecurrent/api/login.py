"""The credentials and the session token they buy: login, HELLO and the re-login budget."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Collection, Mapping
import logging
from typing import Any

from .const import PASSPHRASE
from .crypto import sjcl_encrypt
from .errors import InvalidCredentialsError, InvalidSessionTokenError, MalformedFrameError
from .frames import Frame
from .settings import ClientSettings
from .transport import Connection

_LOGGER = logging.getLogger(__name__)


class Login:
    """Logs a websocket in with a password or an API token and keeps the session token."""

    def __init__(
        self,
        settings: ClientSettings,
        username: str | None,
        password: str | None,
        api_token: str | None,
    ) -> None:
        """Check that there is something to log in with."""
        if not api_token and not (username and password):
            raise ValueError("Give username and password, or an API token")
        self._settings = settings
        self._username = username
        self._password = password
        self._api_token = api_token
        self.customer_id: str | None = None
        self.token: str | None = None
        #: Counts logins, so calls that saw one token rejected renew it only once.
        self.generation = 0
        self._relogins: deque[float] = deque()

    @property
    def method(self) -> str:
        """How this client logs in, for reprs: never who or with what."""
        return "api_token" if self._api_token else "password"

    async def login(self, conn: Connection) -> None:
        """Trade the credentials for a session token on ``conn``."""
        if self._api_token:
            reply = await conn.exchange(
                {"command": "VALIDATE_API_TOKEN", "token": self._api_token},
                ("STATUS_API_TOKEN",),
                self._settings.request_timeout,
            )
            if reply.get("success") is not True:
                raise InvalidCredentialsError("The API token was rejected")
            customer_id = reply.get("customer_id")
            if customer_id is not None:
                self.customer_id = str(customer_id)
        else:
            # PBKDF2 with 10,000 rounds: a few ms of CPU, kept off the event loop.
            password = await asyncio.to_thread(sjcl_encrypt, self._password or "", PASSPHRASE)
            reply = await conn.exchange(
                {"command": "VALIDATE_PASSWORD", "username": self._username, "password": password},
                ("STATUS_PASSWORD",),
                self._settings.request_timeout,
            )
            if reply.get("accepted") is not True:
                raise InvalidCredentialsError("The username or password was rejected")
        token = reply.get("token")
        if not isinstance(token, str) or not token:
            raise MalformedFrameError("Login reply without a session token")
        self.token = token
        self.generation += 1
        _LOGGER.debug("Logged in")

    async def hello(self, conn: Connection) -> None:
        """HELLO makes the cloud push updates to this socket."""
        await self.command(conn, {"command": "HELLO"}, ("HELLO",))

    async def command(
        self,
        conn: Connection,
        payload: Mapping[str, Any],
        names: Collection[str],
        evse_id: str | None = None,
    ) -> Frame:
        """Send a command with the session token and return its reply."""
        message = {**payload, "Authorization": f"Token {self.token}"}
        return await conn.exchange(message, names, self._settings.request_timeout, evse_id)

    def count_relogin(self) -> None:
        """Allow a few re-logins per window, so a cloud that rejects every token is not hammered."""
        settings = self._settings
        now = asyncio.get_running_loop().time()
        while self._relogins and now - self._relogins[0] > settings.relogin_window:
            self._relogins.popleft()
        if len(self._relogins) >= settings.max_relogins:
            raise InvalidSessionTokenError(
                f"Session token rejected after {settings.max_relogins} re-logins"
                f" in {settings.relogin_window:g} s"
            )
        self._relogins.append(now)

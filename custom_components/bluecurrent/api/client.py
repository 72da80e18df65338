"""``BlueCurrentClient``: the one public class, assembled from the parts that do the work.

The client keeps one websocket open (``link``), renews a stale session token by itself, refuses
to send anything while the daily request limit lasts (``limit``), and turns every failure into
a typed ``BlueCurrentError``. The calls themselves live in the ``reads``, ``actions`` and
``smart`` mixins.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Self

import aiohttp

from .actions import Actions
from .commands import Commands
from .limit import LimitGate
from .link import Link
from .login import Login
from .models import Event
from .pushes import EventHub, EventStream
from .reads import Reads
from .rest import Rest
from .settings import DEFAULT_SETTINGS, ClientSettings
from .smart import SmartCharging


class BlueCurrentClient(Reads, Actions, SmartCharging):
    """Client for one Blue Current account.

    Log in with ``username`` + ``password`` (the app's way) or with an ``api_token`` (the "home
    automation key"). ``connect()`` must succeed before any call. ``limited_until`` carries a
    request limit an earlier client met, so this one sends nothing before it resets.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        username: str | None = None,
        password: str | None = None,
        api_token: str | None = None,
        settings: ClientSettings = DEFAULT_SETTINGS,
        limited_until: datetime | None = None,
    ) -> None:
        """Store the settings; nothing is opened before ``connect()``."""
        self._settings = settings
        self._login = Login(settings, username, password, api_token)
        self._gate = LimitGate(settings, limited_until)
        self._hub = EventHub(settings.event_queue_size)
        self._link = Link(session, settings, self._login, self._gate, self._hub)
        self._commands = Commands(settings, self._link, self._login)
        self._rest = Rest(session, settings, self._link, self._login)

    def __repr__(self) -> str:
        """Show how it logs in, never who or with what."""
        return f"<BlueCurrentClient login={self._login.method} connected={self.connected}>"

    @property
    def connected(self) -> bool:
        """Whether the websocket is open and logged in."""
        return self._link.connected

    @property
    def customer_id(self) -> str | None:
        """The account's customer id, known after an API-token login."""
        return self._login.customer_id

    @property
    def limited_until(self) -> datetime | None:
        """Until when the daily request limit blocks every call (aware); None when it does not."""
        return self._gate.until

    async def connect(self, *, wait_for_limit: bool = False) -> None:
        """Open the websocket, log in and say HELLO; then keep it open until ``close()``.

        Raises the first attempt's error (e.g. ``InvalidCredentialsError``) instead of retrying.
        With ``wait_for_limit`` a request limit is no error: it returns unconnected and connects
        after the reset by itself (``ConnectionEvent`` tells when). Concurrent calls share one
        attempt.
        """
        await self._link.connect(wait_for_limit=wait_for_limit)

    async def close(self) -> None:
        """Stop reconnecting, close the websocket and fail every pending call. Idempotent."""
        await self._link.close()

    async def __aenter__(self) -> Self:
        """Connect."""
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close."""
        await self.close()

    def subscribe(self, callback: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``callback`` (in the event loop) for every event; return the unsubscriber."""
        return self._hub.subscribe(callback)

    def events(self) -> EventStream:
        """Iterate over the same events; the iteration ends when the client closes."""
        return self._hub.stream()

"""Clients for the API tests: real sockets to the simulator, short timeouts and backoffs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import fields
from typing import Any

import aiohttp
import pytest

from custom_components.bluecurrent.api import BlueCurrentClient, ClientSettings, Event
from simulator import Simulator

type ClientFactory = Callable[..., BlueCurrentClient]

_SETTINGS = frozenset(field.name for field in fields(ClientSettings))


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """The caller-owned aiohttp session the client must use for everything."""
    async with aiohttp.ClientSession() as http:
        yield http


@pytest.fixture
async def make_client(
    session: aiohttp.ClientSession, simulator: Simulator
) -> AsyncIterator[ClientFactory]:
    """Build clients pointed at the simulator; every one is closed after the test.

    Keyword arguments named like a ``ClientSettings`` field go into the settings, the others
    (credentials, ``limited_until``) to the constructor.
    """
    clients: list[BlueCurrentClient] = []

    def factory(**overrides: Any) -> BlueCurrentClient:
        tunables: dict[str, Any] = {
            "ws_url": simulator.ws_url,
            "api_url": simulator.api_url,
            "bce_url": simulator.bce_url,
            "request_timeout": 1.0,
            "action_timeout": 1.0,
            "backoff_initial": 0.02,
            "backoff_max": 0.1,
        }
        options: dict[str, Any] = {"username": simulator.username, "password": simulator.password}
        for key, value in overrides.items():
            (tunables if key in _SETTINGS else options)[key] = value
        client = BlueCurrentClient(session, settings=ClientSettings(**tunables), **options)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client: ClientFactory) -> BlueCurrentClient:
    """A connected client logged in with the demo username and password."""
    connected = make_client()
    await connected.connect()
    return connected


@pytest.fixture
def events(client: BlueCurrentClient) -> list[Event]:
    """Every event the connected client delivers to a subscriber."""
    received: list[Event] = []
    client.subscribe(received.append)
    return received

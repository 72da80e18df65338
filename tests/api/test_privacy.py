"""Debug logs of the client carry no secret and no personal data, whatever it reads or does.

The client logs every frame it sends and receives at DEBUG. Run everything against the simulator
with those loggers on DEBUG, then look for the account's data in every record: the formatted
message, the raw arguments and any exception text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import logging

import pytest

from custom_components.bluecurrent.api import BlueCurrentClient
from simulator import Simulator

from ..privacy import personal_values, secret_values
from .common import wait_until
from .conftest import ClientFactory

USERNAME = "private.person@example.org"
PASSWORD = "Pw-never-in-a-log-8Hq2"
API_TOKEN = "api-token-never-in-a-log-4Kd9"


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """The usual cloud, with credentials that cannot be mistaken for anything else."""
    sim = Simulator(
        charge_points=2,
        seed=1,
        charging=1,
        username=USERNAME,
        password=PASSWORD,
        api_token=API_TOKEN,
    )
    sim.account.full_name = "Wilhelmina Privé"
    sim.account.tel = "+31 6 98765432"
    async with sim:
        yield sim


def _record_texts(caplog: pytest.LogCaptureFixture) -> list[str]:
    formatter = logging.Formatter()
    texts = []
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.append(repr(record.args))
        if record.exc_info:
            texts.append(formatter.formatException(record.exc_info))
        if record.exc_text:
            texts.append(record.exc_text)
    return texts


async def _use_everything(client: BlueCurrentClient, simulator: Simulator) -> None:
    charging, idle = simulator.account.charge_points
    card = simulator.account.cards[0]
    await client.connect()
    await client.get_account()
    await client.get_charge_cards()
    await client.get_charge_points()
    for evse_id in (charging, idle):
        await client.get_charge_point_settings(evse_id)
        await client.get_charge_point_statuses(evse_id)
    await client.get_grid_status(charging)
    await client.get_sustainability_status()
    await client.get_contracts()
    await client.get_grids()
    assert [t async for t in client.iterate_transactions([charging, idle])]
    await client.set_plug_and_charge_charge_card(idle, card.uid)
    await client.set_plug_and_charge(idle, False)
    await client.start_session(idle, card.id)
    await client.stop_session(idle)
    await client.set_status(idle, False)
    await client.set_status(idle, True, socket_ids=[1, 2])
    await client.unlock_connector(idle)
    await client.soft_reset(charging)
    await simulator.advance(60)  # pushes: CH_STATUS, GRID_CURRENT
    await simulator.push_settings(idle)
    simulator.expire_tokens()  # a re-login on the open socket
    await client.get_account()
    simulator.expire_tokens()
    await simulator.drop_connections()  # and one while reconnecting
    await wait_until(lambda: client.connected)
    await client.get_charge_cards()


async def test_debug_logs_hold_no_personal_data(
    make_client: ClientFactory, simulator: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.bluecurrent.api")
    clients = [
        make_client(username=USERNAME, password=PASSWORD),
        make_client(username=None, password=None, api_token=API_TOKEN),
    ]
    for client in clients:
        await _use_everything(client, simulator)
        await client.close()

    assert any(r.getMessage().startswith("Received {") for r in caplog.records)
    assert any("'object': 'ACCOUNT'" in r.getMessage() for r in caplog.records)
    assert len(simulator.issued_tokens) >= 6
    texts = _record_texts(caplog)
    private = secret_values(simulator, PASSWORD, API_TOKEN) | personal_values(simulator)
    leaks = sorted({what for what, value in private.items() for text in texts if value in text})
    assert leaks == []
    assert "BCU100001" in caplog.text  # evse ids are serial numbers, not personal

"""The README's charging-history section, against the demo's account with a recorder.

The table's ids, names and units are what the recorder lists; each statistics graph, asked the
way the card asks (``recorder/statistics_during_period``), shows each month's or day's sessions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
import re

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from simulator import Simulator

from .readme_examples import README, by_key, statistics_graphs
from .test_statistics_fixtures import (  # noqa: F401 - fixtures
    auto_enable_custom_integrations,
    imported,
)
from .test_statistics_oracle import Field, per_period, sessions

SECTION = "### Charging history in the Energy dashboard"
_ROW = re.compile(
    r"^\| \*(?P<name>[^*]+)\* \| `(?P<id>bluecurrent:[^`]+)` \| (?P<unit>[^|]+) \|$", re.M
)


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """The demo's account (as scripts/develop starts it): three charge points, a history each."""
    sim = Simulator(charge_points=3, seed=0, charging=1, history=20)
    async with sim:
        yield sim


def _table() -> list[dict[str, str]]:
    """The rows of the section's table of statistics."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    section = section[: section.index("\n## ")]
    rows = [match.groupdict() for match in _ROW.finditer(section)]
    assert len(rows) >= 3
    return rows


async def _listed(hass: HomeAssistant, hass_ws_client: WebSocketGenerator) -> dict[str, dict]:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "recorder/list_statistic_ids", "statistic_type": "sum"})
    response = await client.receive_json()
    assert response["success"], response
    return {item["statistic_id"]: item for item in response["result"]}


@pytest.mark.usefixtures("imported")
async def test_table_is_what_the_recorder_lists(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, cloud: Simulator
) -> None:
    """Each id of the table exists, with the table's name and unit."""
    listed = await _listed(hass, hass_ws_client)
    currency = {t.currency for cp in cloud.account.charge_points.values() for t in cp.transactions}
    for row in _table():
        item = listed[row["id"]]
        assert item["name"] == row["name"]
        unit = row["unit"].strip()
        if unit == "the tariff's currency":
            assert {item["statistics_unit_of_measurement"]} == currency
        else:
            assert item["statistics_unit_of_measurement"] == unit
        assert item["has_sum"] is True


def _bucket(start_ms: float, period: str) -> tuple[int, ...]:
    local = dt_util.as_local(dt_util.utc_from_timestamp(start_ms / 1000))
    return (local.year, local.month) if period == "month" else (local.year, local.month, local.day)


@pytest.mark.usefixtures("imported")
async def test_statistics_graphs_show_the_sessions(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, cloud: Simulator
) -> None:
    """Each graph card of the charging history, asked as the card asks, shows the sessions.

    Per month or per day, as the card says: each bar is the share of the simulator's sessions
    (energy or cost) that ran in it.
    """
    graphs = [g for e in by_key("type") for g in statistics_graphs(e.data)]
    assert {g["period"] for g in graphs} == {"month", "day"}
    client = await hass_ws_client(hass)
    fields: dict[str, Field] = {"energy": "kwh", "cost": "total_costs"}
    zone = dt_util.get_default_time_zone()
    for card in graphs:
        await client.send_json_auto_id(
            {
                "type": "recorder/statistics_during_period",
                "start_time": "2000-01-01T00:00:00+00:00",
                "statistic_ids": card["entities"],
                "period": card["period"],
                "types": card["stat_types"],
            }
        )
        response = await client.receive_json()
        assert response["success"], response
        for statistic_id in card["entities"]:
            kind, evse = statistic_id.removeprefix("bluecurrent:").split("_", 1)
            booked = sessions(cloud, evse.upper())
            expected = per_period(booked, fields[kind], zone, card["period"])
            shown = {
                _bucket(row["start"], card["period"]): row["change"]
                for row in response["result"][statistic_id]
            }
            assert len(expected) > 3
            for bucket in expected.keys() | shown.keys():
                assert shown.get(bucket, 0.0) == pytest.approx(
                    expected.get(bucket, 0.0), abs=1e-6
                ), (statistic_id, bucket)

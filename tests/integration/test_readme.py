"""Every YAML example of README.md, read from the file and run against the demo's simulator.

The account is the demo's (`scripts/develop`: seed 0, so the first charge point is "Carport 001"
and the README's entity ids exist). Each example does what the README says it does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from simulator import Simulator
from simulator.model import TZ

from .conftest import WaitFor, fire_soon, jump_clock, settle
from .readme_examples import automations, by_key, examples, statistics_graphs

CARPORT = "BCU100001"  # "Carport 001", charging at the start


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[Simulator]:
    """The demo's account: three charge points, the first one charging."""
    sim = Simulator(charge_points=3, seed=0, charging=1)
    async with sim:
        yield sim


def _local(day: int, hour: int) -> datetime:
    """A time in Home Assistant's time zone in March 2026, whose 2nd is a Monday."""
    when = datetime(2026, 3, day, hour, 0, 5, tzinfo=dt_util.get_default_time_zone())
    assert when.weekday() == (day - 2) % 7
    return when


async def _at(hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime) -> None:
    await jump_clock(hass, freezer, when - dt_util.now())


async def _automations(hass: HomeAssistant, *aliases: str) -> None:
    found = automations()
    config = [found[alias] for alias in aliases]
    assert await async_setup_component(hass, "automation", {"automation": config})
    await hass.async_block_till_done()


async def _notifications(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Set up notifications; the list fills with every notification shown from now on."""
    assert await async_setup_component(hass, "persistent_notification", {})
    seen: list[dict[str, Any]] = []

    @callback
    def _notified(_: Any, notifications: dict[str, Any]) -> None:
        seen.extend(dict(n) for n in notifications.values())

    persistent_notification.async_register_callback(hass, _notified)
    return seen


def test_every_example_is_run_here() -> None:
    """A new kind of example in the README needs its test here."""
    kinds = {"automation": 0, "type": 0, "logger": 0, "action": 0}
    for example in examples():
        kind = next((k for k in kinds if k in example.data), None)
        assert kind is not None, f"no test runs the example under {example.heading!r}"
        kinds[kind] += 1
    assert kinds == {"automation": 7, "type": 3, "logger": 1, "action": 1}
    assert set(automations()) == {
        "Enable charging at night",
        "Disable charging in the morning",
        "Company card on weekdays",
        "Charging session ended",
        "Company card: last month",
        # Run by test_readme_steer.py:
        "Charge on price before workdays",
        "Boost when leaving early",
        "Lower current in the evening peak",
    }


async def test_start_session_action(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The action starts a session paid with the company card (on a charge point at rest)."""
    await cloud.stop_charging(CARPORT)
    (example,) = by_key("action")
    # As a script step: Home Assistant validates it and renders its template.
    config = {"script": {"readme": {"sequence": [example.data]}}}
    assert await async_setup_component(hass, "script", config)
    await hass.services.async_call("script", "readme", blocking=True)
    session = cloud.account.charge_points[CARPORT].session
    assert session is not None
    assert session.card is not None
    assert session.card.name == "Company card"


@pytest.mark.freeze_time("2026-03-02 12:00:00+00:00", tick=True)
@pytest.mark.usefixtures("clock_jumps")
@pytest.mark.parametrize("expected_lingering_timers", [True])  # the automations' next times
async def test_charge_only_at_night(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """Charging is enabled at 23:00 and disabled at 07:00, in the cloud itself."""
    await _automations(hass, "Enable charging at night", "Disable charging in the morning")
    point = cloud.account.charge_points[CARPORT]
    # One trigger per jump: timers that fall due in the same jump fire in no set order.
    await _at(hass, freezer, _local(2, 8))
    await wait_for(lambda: not point.enabled)
    await _at(hass, freezer, _local(2, 23))
    await wait_for(lambda: point.enabled)
    await _at(hass, freezer, _local(3, 7))
    await wait_for(lambda: not point.enabled)


@pytest.mark.freeze_time("2026-03-02 12:00:00+00:00", tick=True)
@pytest.mark.usefixtures("clock_jumps")
@pytest.mark.parametrize("expected_lingering_timers", [True])  # the automations' next times
async def test_company_card_on_weekdays(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """At 06:00 on a weekday the company card is set; on Saturday nothing is sent."""
    await _automations(hass, "Company card on weekdays")
    point = cloud.account.charge_points[CARPORT]
    company, private = cloud.account.cards[0], cloud.account.cards[1]
    point.plug_and_charge_card_uid = private.uid
    await cloud.push_settings(CARPORT)
    await _at(hass, freezer, _local(3, 6))  # Tuesday
    await wait_for(lambda: point.plug_and_charge_card_uid == company.uid)

    point.plug_and_charge_card_uid = private.uid
    await cloud.push_settings(CARPORT)
    cloud.stats.reset()
    await _at(hass, freezer, _local(7, 6))  # Saturday
    await settle(hass)
    assert point.plug_and_charge_card_uid == private.uid
    assert "SET_PLUG_AND_CHARGE_CHARGE_CARD" not in cloud.stats.ws_commands
    await _at(hass, freezer, _local(9, 6))  # Monday: the trigger still fires
    await wait_for(lambda: point.plug_and_charge_card_uid == company.uid)


async def test_session_ended_notification(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, wait_for: WaitFor
) -> None:
    """When a session ends, once: a notification with its energy and cost."""
    seen = await _notifications(hass)
    await _automations(hass, "Charging session ended")
    await cloud.advance(1800)
    await settle(hass)
    transaction = await cloud.stop_charging(CARPORT)
    assert transaction is not None
    await wait_for(lambda: bool(seen))
    await fire_soon(hass, 10)  # the transaction is read; the message was already sent
    assert len(seen) == 1
    assert seen[0]["title"] == "Charging session ended"
    assert seen[0]["message"] == (f"{transaction.kwh} kWh charged for € {transaction.total_costs}.")


def _entity_ids(card: Any) -> set[str]:
    """Every entity id a dashboard card (and the cards inside it) names."""
    found: set[str] = set()
    if isinstance(card, dict):
        for key, value in card.items():
            if key in ("entity", "entities") and isinstance(value, str):
                found.add(value)
            elif key == "entities" and isinstance(value, list):
                found |= {v if isinstance(v, str) else v["entity"] for v in value}
            else:
                found |= _entity_ids(value)
    elif isinstance(card, list):
        for item in card:
            found |= _entity_ids(item)
    return found


async def test_dashboard_cards_name_live_entities(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Every entity the dashboard examples show exists, is enabled and has a state.

    The statistics graphs read the charging history (external statistics, checked against the
    recorder in test_readme_statistics.py). How the cards render is checked in the browser test
    (scripts/e2e).
    """
    registry = er.async_get(hass)
    cards = by_key("type")
    assert cards
    for example in cards:
        for entity_id in _entity_ids(example.data):
            if ":" in entity_id:  # an external statistic: test_readme_statistics.py
                continue
            entry = registry.async_get(entity_id)
            assert entry is not None, entity_id
            assert entry.disabled_by is None, entity_id
            state = hass.states.get(entity_id)
            assert state is not None, entity_id
            assert state.state != "unavailable", entity_id
            # A button's state is the time it was last pressed: unknown until then.
            assert state.state != "unknown" or entry.domain == "button", entity_id
    graphs = [g for example in cards for g in statistics_graphs(example.data)]
    assert graphs
    assert all(":" in stat for graph in graphs for stat in graph["entities"])


async def test_debug_logging_example(hass: HomeAssistant) -> None:
    """The logger example turns on the integration's debug log."""
    (example,) = by_key("logger")
    assert not logging.getLogger("custom_components.bluecurrent").isEnabledFor(logging.DEBUG)
    assert await async_setup_component(hass, "logger", example.data)
    await hass.async_block_till_done()
    assert logging.getLogger("custom_components.bluecurrent").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("custom_components.bluecurrent.api").isEnabledFor(logging.DEBUG)


@pytest.mark.freeze_time("2026-03-01 12:00:00+00:00", tick=True)
@pytest.mark.usefixtures("clock_jumps")
@pytest.mark.parametrize("expected_lingering_timers", [True])  # the automation's next time
async def test_company_card_last_month(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
) -> None:
    """On the 1st at 08:00: last month's sessions on the company card, counted right."""
    seen = await _notifications(hass)
    await _automations(hass, "Company card: last month")
    company, private = cloud.account.cards[0], cloud.account.cards[1]
    await cloud.stop_charging(CARPORT)
    await cloud.advance(30 * 86400)  # the cloud's clock to the end of March
    for day, card, kwh in ((10, company, 12.5), (15, private, 8.0), (20, company, 20.25)):
        ended = datetime(2026, 3, day, 7, 30, tzinfo=TZ)
        await cloud.add_transaction(
            CARPORT, started=ended - timedelta(hours=3), ended=ended, kwh=kwh, card_uid=card.uid
        )
    await _at(hass, freezer, datetime(2026, 3, 2, 8, 0, 5, tzinfo=dt_util.get_default_time_zone()))
    await settle(hass)
    assert seen == []  # the 2nd: nothing
    await _at(hass, freezer, datetime(2026, 4, 1, 8, 0, 5, tzinfo=dt_util.get_default_time_zone()))
    await wait_for(lambda: bool(seen))
    march = [
        t
        for cp in cloud.account.charge_points.values()
        for t in cp.transactions
        if t.card_name == "Company card" and (t.end_time.year, t.end_time.month) == (2026, 3)
    ]
    assert len(march) >= 2  # the two booked above, and what the demo charged on it in March
    energy = round(sum(t.kwh for t in march), 3)
    cost = round(sum(t.total_costs for t in march), 2)
    assert seen[-1]["title"] == "Charged on the company card in March"
    assert seen[-1]["message"] == f"{len(march)} sessions, {energy} kWh, € {cost}."

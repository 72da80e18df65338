"""The bluecurrent.get_sessions action against the simulator's transaction history."""

from __future__ import annotations

from datetime import date
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator
from simulator.model import TZ

from ..conftest import find_device

TRANSACTIONS = "POST /app/bc_api/api/v2.0/gettransactions"


async def _get(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "get_sessions", data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


def _ended_in(cloud: Simulator, start: date, end: date, evse_ids: list[str]) -> list[Any]:
    return [
        t
        for evse_id in evse_ids
        for t in cloud.account.charge_points[evse_id].transactions
        if start <= t.end_time.astimezone(TZ).date() <= end
    ]


async def test_sessions_of_a_range_with_totals_per_card(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Every session that ended in the range, newest first, and what each card paid."""
    start, end = date(2026, 2, 1), date(2026, 3, 2)
    response = await _get(hass, start=start, end=end)
    expected = _ended_in(cloud, start, end, list(cloud.account.charge_points))
    assert expected
    assert len(response["sessions"]) == len(expected)
    assert {s["end"] for s in response["sessions"]} == {t.end_time.isoformat() for t in expected}
    ends = [s["end"] for s in response["sessions"]]
    assert ends == sorted(ends, reverse=True)
    for card, total in response["totals"].items():
        paid = [t for t in expected if (t.card_name or "No card") == card]
        assert total["sessions"] == len(paid)
        assert total["energy_kwh"] == pytest.approx(sum(t.kwh for t in paid), abs=1e-3)
        assert total["cost"] == pytest.approx(sum(t.total_costs for t in paid), abs=0.01)
        assert total["currency"] == "EUR"
    first = response["sessions"][0]
    assert set(first) == {
        "charge_point",
        "evse_id",
        "socket",
        "start",
        "end",
        "energy_kwh",
        "cost",
        "currency",
        "card",
    }


async def test_one_charge_point_and_one_card(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A device and a card narrow the answer to that charge point's sessions on that card."""
    device = find_device(hass, "BCU100001")
    assert device is not None
    start, end = date(2025, 1, 1), date(2026, 3, 2)
    response = await _get(
        hass, device_id=device.id, start=start, end=end, charge_card="company CARD"
    )
    expected = [
        t for t in _ended_in(cloud, start, end, ["BCU100001"]) if t.card_name == "Company card"
    ]
    assert expected
    assert len(response["sessions"]) == len(expected)
    assert {s["evse_id"] for s in response["sessions"]} == {"BCU100001"}
    assert set(response["totals"]) == {"Company card"}


async def test_reads_only_the_pages_of_the_range(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A month out of 5,000 sessions costs a few pages, not the whole history (200 pages)."""
    cloud.generate_history("BCU100002", 5000, days=365)
    cloud.stats.reset()
    response = await _get(hass, start=date(2026, 1, 1), end=date(2026, 1, 31))
    expected = _ended_in(cloud, date(2026, 1, 1), date(2026, 1, 31), ["BCU100001", "BCU100002"])
    assert len(response["sessions"]) == len(expected)
    pages = -(-len(expected) // 25)
    assert cloud.stats.rest_requests[TRANSACTIONS] == pages
    assert pages < 200


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"start": date(2026, 3, 2), "end": date(2026, 3, 1)}, "end_before_start"),
        ({"start": date(2026, 1, 1), "end": date(2026, 3, 1), "charge_card": "x"}, "unknown_card"),
        ({"start": date(2026, 1, 1), "end": date(2026, 3, 1), "device_id": "x"}, "unknown_device"),
    ],
)
async def test_bad_input_sends_nothing(
    hass: HomeAssistant,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    """Wrong input is a translated error before any request."""
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _get(hass, **data)
    assert err.value.translation_key == key
    assert not cloud.stats.rest_requests

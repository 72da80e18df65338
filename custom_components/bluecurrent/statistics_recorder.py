"""The recorder's side of the history statistics: metadata, what is stored, and writes.

Reads run in the recorder's database executor and writes are queued for its own thread, so no
database work happens on the event loop. The metadata suits Home Assistant 2025.4 (which has no
``unit_class``) as well as 2026 (which wants it).
"""

from __future__ import annotations

from typing import Any, cast

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import (
    async_add_external_statistics,
    get_last_statistics,
)
from homeassistant.const import UnitOfEnergy
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import EnergyConverter

from .api import Transaction
from .const import DOMAIN
from .statistics_rows import HOUR, Hourly, Row, Series, cumulate, spread

# Home Assistant 2025.10 added ``unit_class``; older recorders refuse a key they do not know.
_HAS_UNIT_CLASS = "unit_class" in StatisticMetaData.__annotations__
# How many of the newest rows a first read looks at to find the rows from an hour on.
_TAIL = 16


def _metadata(
    statistic_id: str, name: str, unit: str | None, unit_class: str | None
) -> StatisticMetaData:
    meta: dict[str, Any] = {
        "mean_type": StatisticMeanType.NONE,
        "has_sum": True,
        "name": name,
        "source": DOMAIN,
        "statistic_id": statistic_id,
        "unit_of_measurement": unit,
    }
    if _HAS_UNIT_CLASS:
        meta["unit_class"] = unit_class
    return cast(StatisticMetaData, meta)


def energy_metadata(series: Series, device: str) -> StatisticMetaData:
    """Describe the energy statistic: kWh, which the Energy dashboard offers for devices."""
    return _metadata(
        series.energy_id,
        series.name(device, "energy"),
        UnitOfEnergy.KILO_WATT_HOUR,
        EnergyConverter.UNIT_CLASS,
    )


def cost_metadata(series: Series, device: str, currency: str | None) -> StatisticMetaData:
    """Describe the cost statistic: the transactions' currency, which nothing converts."""
    return _metadata(series.cost_id, series.name(device, "cost"), currency, None)


async def async_ready(hass: HomeAssistant) -> bool:
    """Whether the recorder's database is ready (at start-up, once it is); False if it failed."""
    return await get_instance(hass).async_db_ready


def last_start(hass: HomeAssistant, statistic_id: str) -> float | None:
    """Start of a statistic's newest row; None when it has none. In the recorder's executor."""
    rows = get_last_statistics(hass, 1, statistic_id, False, {"sum"}).get(statistic_id)
    return rows[0]["start"] if rows else None


def covers(hass: HomeAssistant, ends: dict[str, float]) -> bool:
    """Whether each statistic has rows up to the hour in which its newest session ended.

    A statistic the user deleted has none; an import cut short lacks the newest hours. In the
    recorder's executor.
    """
    for statistic_id, ended in ends.items():
        start = last_start(hass, statistic_id)
        if start is None or start + HOUR < ended:
            return False
    return True


def appended(hass: HomeAssistant, statistic_id: str, added: Hourly) -> list[StatisticData] | None:
    """Merge new hourly amounts into the rows stored from their first hour; return the rows.

    None when the statistic has no rows (deleted, or never written). In the recorder's executor.
    """
    first = min(added)
    count = _TAIL
    while True:
        found = get_last_statistics(hass, count, statistic_id, False, {"sum"}).get(statistic_id)
        if not found:
            return None
        # Newest first: read further back until a row before the first new hour is in.
        if len(found) < count or found[-1]["start"] < first:
            break
        count *= 8
    stored = [
        (row["start"], row.get("sum") or 0.0) for row in reversed(found) if row["start"] >= first
    ]
    base = next((row.get("sum") or 0.0 for row in found if row["start"] < first), 0.0)
    return statistic_data(cumulate(added, base, stored))


def statistic_data(rows: list[Row]) -> list[StatisticData]:
    """Rows as the recorder takes them (built in an executor: a year has thousands of hours)."""
    return [
        StatisticData(start=dt_util.utc_from_timestamp(start), state=amount, sum=total)
        for start, amount, total in rows
    ]


def fresh_data(
    groups: dict[Series, list[Transaction]],
) -> dict[Series, tuple[list[StatisticData], list[StatisticData]]]:
    """Energy and cost rows of each series from scratch (in an executor: thousands of rows)."""
    prepared = {}
    for series, transactions in groups.items():
        energy, cost = spread(transactions)
        prepared[series] = (statistic_data(cumulate(energy)), statistic_data(cumulate(cost)))
    return prepared


@callback
def async_write(
    hass: HomeAssistant, metadata: StatisticMetaData, data: list[StatisticData]
) -> None:
    """Queue the rows of one statistic: one recorder task, so they land all together or not."""
    if data:
        async_add_external_statistics(hass, metadata, data)


@callback
def async_clear(hass: HomeAssistant, statistic_ids: list[str]) -> None:
    """Queue the removal of statistics before they are written anew."""
    get_instance(hass).async_clear_statistics(statistic_ids)


async def async_written(hass: HomeAssistant) -> None:
    """Wait until everything queued is in the database, so the next read sees it."""
    await get_instance(hass).async_block_till_done()

"""The override current in force, by Home Assistant's clock in the cloud's time zone.

A schedule starts on each of its start days at its start time and lasts until the next of its
end days at its end time, every week (start and end at the same minute: never in force). With
several in force for a charge point, the lowest value holds. ``OverrideTracker`` keeps the
account's schedules and tells the entities of the charge points concerned when one starts or ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .api import BlueCurrentClient, BlueCurrentError, OverrideSchedule
from .api.const import TIMEZONE
from .const import LOGGER
from .data import SOURCE_OVERRIDES, BlueCurrentData

WEEK = 7 * 24 * 60


def _minute(day: int, at: time) -> int:
    """Minute of the week (Monday 00:00 is 0) of an ISO weekday and a time."""
    return (day - 1) * 1440 + at.hour * 60 + at.minute


def _moment(now: datetime) -> int:
    local = now.astimezone(TIMEZONE)
    return _minute(local.isoweekday(), local.time())


def _starts(schedule: OverrideSchedule) -> list[int]:
    return [_minute(day, schedule.start_time) for day in schedule.start_days]


def _ends(schedule: OverrideSchedule) -> list[int]:
    return [_minute(day, schedule.end_time) for day in schedule.end_days]


def in_force(schedule: OverrideSchedule, now: datetime) -> bool:
    """Whether the latest start (weekly) came after the latest end, at ``now``."""
    starts, ends = _starts(schedule), _ends(schedule)
    if not starts or not ends:
        return False
    moment = _moment(now)

    def since(events: list[int]) -> int:
        return min((moment - event) % WEEK for event in events)

    return since(starts) < since(ends)


def schedules_of(schedules: Iterable[OverrideSchedule], evse_id: str) -> list[OverrideSchedule]:
    """Return the schedules that name a charge point."""
    return [schedule for schedule in schedules if evse_id in schedule.chargepoints]


def value_in_force(
    schedules: Iterable[OverrideSchedule], evse_id: str, now: datetime
) -> float | None:
    """Return the override current of a charge point at ``now`` (lowest in force), or None."""
    values = [s.value for s in schedules_of(schedules, evse_id) if in_force(s, now)]
    return min(values) if values else None


def next_change(schedules: Iterable[OverrideSchedule], now: datetime) -> datetime | None:
    """Return the next moment after ``now`` that a schedule starts or ends (Amsterdam)."""
    events = {event for s in schedules for event in (*_starts(s), *_ends(s))}
    if not events:
        return None
    local = now.astimezone(TIMEZONE).replace(second=0, microsecond=0)
    moment = _moment(local)
    minutes = min((event - moment) % WEEK or WEEK for event in events)
    # Wall-clock arithmetic, so a schedule keeps its local time across daylight saving changes.
    return (local.replace(tzinfo=None) + timedelta(minutes=minutes)).replace(tzinfo=TIMEZONE)


class OverrideTracker:
    """Reads the account's schedules after a change and wakes entities as schedules flip."""

    def __init__(
        self,
        hass: HomeAssistant,
        client: BlueCurrentClient,
        data: BlueCurrentData,
        update_point: Callable[[str], None],
    ) -> None:
        """Use ``update_point`` to update the entities of a charge point."""
        self._hass = hass
        self._client = client
        self._data = data
        self._update_point = update_point
        self._unsub: CALLBACK_TYPE | None = None

    @callback
    def async_schedule(self) -> None:
        """Wake the entities at the next start or end of a schedule."""
        self.async_shutdown()
        when = next_change(self._data.overrides, dt_util.now())
        if when is not None:
            self._unsub = async_track_point_in_utc_time(self._hass, self._changed, when)

    @callback
    def _update_all(self) -> None:
        """Every charge point's sensor depends on the schedules (and on reading them)."""
        for evse_id in list(self._data.charge_points):
            self._update_point(evse_id)

    @callback
    def _changed(self, _now: datetime) -> None:
        self._unsub = None
        self._update_all()
        self.async_schedule()

    async def async_read(self) -> list[OverrideSchedule]:
        """Read the schedules again (after a change); their entities show the new ones."""
        try:
            self._data.overrides = await self._client.get_current_overrides()
        except BlueCurrentError as err:
            # Unavailable until the next poll reads them (a failed source is read every poll).
            LOGGER.debug("Reading the override schedules failed: %s", type(err).__name__)
            self._data.failed.add(SOURCE_OVERRIDES)
            raise
        else:
            self._data.failed.discard(SOURCE_OVERRIDES)
            self.async_schedule()
        finally:
            self._update_all()
        return self._data.overrides

    @callback
    def async_shutdown(self) -> None:
        """Stop the timer."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

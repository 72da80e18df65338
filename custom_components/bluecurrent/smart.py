"""Smart charging as entities and actions see it: the mode, days, times and the checks of input.

Every check here runs before anything is sent and raises a translated validation error. The
price-based settings are sent together, so the number and time entities share one sender.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from itertools import combinations
import re
from typing import TYPE_CHECKING

from homeassistant.const import WEEKDAYS

from .api import ChargePoint, Setting
from .errors import invalid
from .permissions import check_writable, visible

if TYPE_CHECKING:
    from .coordinator import BlueCurrentCoordinator
    from .views import PointView

MODE_OFF = "off"
MODE_DELAYED = "delayed"
MODE_PRICE = "price_based"

# Every set of weekdays as a state: the days' names joined, Monday first ("mon_wed_fri").
DAY_SETS = [
    "_".join(WEEKDAYS[day - 1] for day in days)
    for size in range(1, 8)
    for days in combinations(range(1, 8), size)
]
_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::(00))?")


def mode_settings(info: ChargePoint) -> dict[str, Setting | None]:
    """Return the settings behind each mode of the smart-charging select."""
    return {MODE_DELAYED: info.delayed_charging, MODE_PRICE: info.price_based_charging}


def has_smart_charging(info: ChargePoint) -> bool:
    """Whether the account may see delayed or price-based charging of a charge point."""
    return any(visible(setting) for setting in mode_settings(info).values())


def active_mode(info: ChargePoint) -> str | None:
    """Return the mode the cloud says is on (price-based first, as boost chooses), or None."""
    for mode in (MODE_PRICE, MODE_DELAYED):
        setting = mode_settings(info)[mode]
        if visible(setting) and setting is not None and setting.value is True:
            return mode
    return None


def price_settings_shown(info: ChargePoint) -> bool:
    """Whether price-based charging's settings are known: the cloud shows them only while on."""
    settings = info.price_based_charging
    return (
        settings is not None
        and settings.value is True
        and settings.expected_departure_time is not None
        and settings.expected_kwh is not None
        and settings.minimum_kwh is not None
    )


def mode_options(info: ChargePoint) -> list[str]:
    """Off, and each mode the account may see."""
    return [MODE_OFF, *(mode for mode, s in mode_settings(info).items() if visible(s))]


def day_set(days: Iterable[int]) -> str | None:
    """State of a set of ISO weekdays (``DAY_SETS``); None for no days."""
    unique = sorted(set(days))
    return "_".join(WEEKDAYS[day - 1] for day in unique) if unique else None


def parse_days(days: Iterable[str], field: str) -> list[int]:
    """Read weekdays given as "mon".."sun" into ISO weekdays; none or others are refused."""
    result = []
    for day in days:
        name = day.strip().lower()
        if name not in WEEKDAYS:
            raise invalid("invalid_day", day=day, field=field)
        result.append(WEEKDAYS.index(name) + 1)
    if not result:
        raise invalid("no_days", field=field)
    return sorted(set(result))


def parse_time(text: str, field: str) -> time:
    """Read "HH:MM" (a time selector's ":00" seconds allowed); anything else is refused."""
    match = _HHMM.fullmatch(text.strip())
    if match is None:
        raise invalid("invalid_time", time=text, field=field)
    return time(int(match[1]), int(match[2]))


def whole_minutes(value: time, field: str) -> time:
    """Refuse a time with seconds: the cloud keeps hours and minutes only."""
    if value.second or value.microsecond:
        raise invalid("invalid_time", time=value.isoformat(), field=field)
    return value


def check_energies(expected: float, minimum: float) -> None:
    """Refuse a minimum above the expected energy (the number entities refuse negatives)."""
    if minimum > expected:
        raise invalid("minimum_above_expected", minimum=f"{minimum:g}", expected=f"{expected:g}")


async def send_price_settings(
    coordinator: BlueCurrentCoordinator,
    view: PointView,
    *,
    departure: time | None = None,
    expected: float | None = None,
    minimum: float | None = None,
) -> None:
    """Send price-based charging's settings with the given ones changed and the rest kept."""
    settings = view.point.info.price_based_charging
    check_writable(settings, "price_based_charging")
    assert settings is not None
    departure = settings.expected_departure_time if departure is None else departure
    energies_given = expected is not None or minimum is not None
    expected = settings.expected_kwh if expected is None else expected
    minimum = settings.minimum_kwh if minimum is None else minimum
    assert departure is not None
    assert expected is not None
    assert minimum is not None
    if energies_given:
        check_energies(expected, minimum)
    evse_id = view.point.info.evse_id
    client = coordinator.client
    await coordinator.confirm.send(
        evse_id, lambda: client.set_price_based_settings(evse_id, departure, expected, minimum)
    )

"""The smart-charging calls of ``BlueCurrentClient``: profiles, boost, capacity tariff, overrides.

Delayed and price-based charging, the capacity tariff and boost go over the bc_api REST API, as
``pybluecurrent`` 0.4.1 does with this login: only REST takes the capacity tariff and the energy
settings of price-based charging. Override-current schedules exist only on the websocket
(``bluecurrent-api`` 1.3.3). See docs/contract.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import time
import json
import math
from typing import Any

from .commands import Commands
from .errors import MalformedFrameError
from .frames import Frame, rejection
from .models import (
    OverrideSchedule,
    day_codes,
    format_time,
    parse_override_schedule,
    parse_override_schedules,
)
from .rest import Rest

CAPACITY_MIN_KWH = 0.01
CAPACITY_MAX_KWH = 80.0


def _days(days: Iterable[int]) -> list[int]:
    """Check weekdays (1 = Monday .. 7 = Sunday) before anything is sent; sorted, unique."""
    result = sorted(set(days))
    if not result or not all(isinstance(d, int) and 1 <= d <= 7 for d in result):
        raise ValueError("days must be one or more weekdays from 1 (Monday) to 7 (Sunday)")
    return result


def _energy(name: str, value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of kWh, 0 or more")
    return value


def _checked(frame: Frame, command: str) -> Frame:
    """Raise the cloud's refusal of an override command (its own object, success false)."""
    if frame.get("success") is False:
        raise rejection(command, frame)
    return frame


class SmartCharging:
    """Mixin: smart charging (REST) and override-current schedules (websocket)."""

    _commands: Commands
    _rest: Rest

    async def _smart(self, path: str, body: dict[str, Any]) -> None:
        """POST a smart-charging command; ``success: false`` is ``ActionRejectedError``."""
        await self._rest.call("POST", f"{self._rest.api_url}/{path}", body=body, action=True)

    async def set_delayed_charging(self, evse_id: str, enabled: bool) -> None:
        """Switch delayed charging on or off; on switches price-based charging off."""
        await self._smart("setdelayedcharging", {"evse_id": evse_id, "value": enabled})

    async def set_delayed_charging_schedule(
        self, evse_id: str, days: Iterable[int], start_time: time, end_time: time
    ) -> None:
        """Save the delayed-charging window: charging is allowed from start to end on ``days``.

        ``days`` are ISO weekdays (1 = Monday); ``ValueError`` for none or others.
        """
        body = {
            "evse_id": evse_id,
            "start_time": format_time(start_time),
            "end_time": format_time(end_time),
            # A compact JSON string, as the cloud wants it.
            "days": json.dumps(_days(days), separators=(",", ":")),
        }
        await self._smart("savescheduledelayedcharging", body)

    async def set_price_based_charging(self, evse_id: str, enabled: bool) -> None:
        """Switch price-based charging on or off; on switches delayed charging off."""
        await self._smart("setpricebasedcharging", {"evse_id": evse_id, "value": enabled})

    async def set_price_based_settings(
        self,
        evse_id: str,
        expected_departure_time: time,
        expected_kwh: float,
        minimum_kwh: float,
    ) -> None:
        """Set when the car leaves, the energy it needs by then, and what it charges at any price.

        ``ValueError`` for a negative energy or a minimum above the expected energy.
        """
        expected = _energy("expected_kwh", expected_kwh)
        minimum = _energy("minimum_kwh", minimum_kwh)
        if minimum > expected:
            raise ValueError("minimum_kwh must not exceed expected_kwh")
        body = {
            "evse_id": evse_id,
            "expected_departure_time": format_time(expected_departure_time),
            "expected_kwh": expected,
            "minimum_kwh": minimum,
        }
        await self._smart("setpricebasedsettings", body)

    async def set_capacity_tariff(
        self, evse_id: str, enabled: bool, max_kwh: float | None = None
    ) -> None:
        """Switch the capacity-tariff limit on with ``max_kwh`` (0.01-80), or off (no limit).

        ``ValueError`` for a missing or out-of-range limit when switching on.
        """
        if not enabled:
            await self._smart("setcapacitytariff", {"evse_id": evse_id, "value": False})
            return
        if max_kwh is None or not CAPACITY_MIN_KWH <= max_kwh <= CAPACITY_MAX_KWH:
            raise ValueError("max_kwh must be between 0.01 and 80")
        body = {"evse_id": evse_id, "value": True, "capacitytariffmaxkwh": max_kwh}
        await self._smart("setcapacitytariff", body)

    async def boost_price_based_charging(self, evse_id: str) -> None:
        """Charge the running session now, whatever the prices (price-based charging on)."""
        await self._smart("overridechargingprofiles", {"boost": True, "evse_id": evse_id})

    async def boost_delayed_charging(self, evse_id: str) -> None:
        """Charge the running session now, outside the window (delayed charging on)."""
        await self._smart("overridedelayedchargingtimeout", {"evse_id": evse_id})

    async def get_current_overrides(self) -> list[OverrideSchedule]:
        """Fetch the account's override-current schedules."""
        frame = await self._commands.request(
            {"command": "LIST_OVERRIDE_CURRENT"}, "LIST_OVERRIDE_CURRENT"
        )
        return parse_override_schedules(_checked(frame, "LIST_OVERRIDE_CURRENT"))

    async def set_current_override(
        self,
        evse_ids: Sequence[str],
        value: float,
        *,
        start_time: time,
        start_days: Iterable[int],
        end_time: time,
        end_days: Iterable[int],
    ) -> OverrideSchedule:
        """Limit the current of ``evse_ids`` to ``value`` A every week; return the new schedule.

        The limit holds from each start day at ``start_time`` to the next end day at
        ``end_time``. ``ValueError`` for no charge point, no days or a negative current.
        """
        payload = _override(evse_ids, value, start_time, start_days, end_time, end_days)
        return await self._post_override("POST_SET_OVERRIDE_CURRENT", payload)

    async def edit_current_override(
        self,
        schedule_id: int,
        evse_ids: Sequence[str],
        value: float,
        *,
        start_time: time,
        start_days: Iterable[int],
        end_time: time,
        end_days: Iterable[int],
    ) -> OverrideSchedule:
        """Replace a schedule by the one described (as ``set_current_override``)."""
        payload = _override(evse_ids, value, start_time, start_days, end_time, end_days)
        payload["schedule_id"] = schedule_id
        return await self._post_override("POST_EDIT_OVERRIDE_CURRENT", payload)

    async def clear_current_override(self, schedule_id: int) -> None:
        """Delete a schedule."""
        command = "POST_CLEAR_OVERRIDE_CURRENT"
        frame = await self._commands.request(
            {"command": command, "schedule_id": schedule_id}, command
        )
        _checked(frame, command)

    async def _post_override(self, command: str, payload: dict[str, Any]) -> OverrideSchedule:
        frame = await self._commands.request({"command": command, **payload}, command)
        data = _checked(frame, command).get("data")
        if not isinstance(data, dict):
            raise MalformedFrameError(f"{command}: no schedule in the answer")
        return parse_override_schedule(data)


def _override(  # noqa: PLR0917
    evse_ids: Sequence[str],
    value: float,
    start_time: time,
    start_days: Iterable[int],
    end_time: time,
    end_days: Iterable[int],
) -> dict[str, Any]:
    """Build the fields of POST_SET/POST_EDIT; ``ValueError`` for what the cloud would refuse."""
    if not evse_ids:
        raise ValueError("name at least one charge point")
    if not math.isfinite(value) or value < 0:
        raise ValueError("the override current must be a finite number of amperes, 0 or more")
    return {
        "chargepoints": list(dict.fromkeys(evse_ids)),
        "overridestarttime": format_time(start_time),
        "overridestartdays": day_codes(_days(start_days)),
        "overridestoptime": format_time(end_time),
        "overridestopdays": day_codes(_days(end_days)),
        "overridevalue": float(value),
    }

"""What every entity should show, worked out from the simulator's state alone.

The expectations are derived independently of the integration's code: from the simulator's model
and the JSON it would send right now (``simulator.wire``), with the presentation rules written out
here (mean of the phases in use, power as the sum of current times voltage, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import math
from typing import Any

from homeassistant.config_entries import (
    RELOAD_AFTER_UPDATE_DELAY,
    ConfigEntry,
    ConfigEntryState,
)
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.bluecurrent.const import DOMAIN
from simulator import ChargePointState, Simulator
from simulator.model import TZ
from simulator.overrides import in_force
from simulator.wire import status as wire_status, sustainability

VEHICLE = {"A": "standby", "B": "vehicle_detected", "C": "ready", "D": "ready", "E": "no_power"}
# The cloud's "unavailable" (blocked) is shown as "disabled": "unavailable" is reserved in HA.
ACTIVITY = {a: a for a in ("available", "charging", "error", "offline")} | {
    "unavailable": "disabled"
}
# Where a multi-socket charge point shows a value: per socket, combined at its level, or both.
PER_SOCKET_ONLY = (
    "vehicle_status",
    "session_energy",
    "session_cost",
    "session_start",
    "session_end",
    "max_usage",
    "smart_charging_max_usage",
    "max_offline",
    "remaining_current",
    "latest_transaction_energy",
    "latest_transaction_cost",
    "unlock_connector",
)
BOTH = ("activity", "current", "power", "vehicle_connected", "charging", "boosting")
ACTIVITY_ORDER = ("charging", "error", "available", "disabled", "offline")
# Sums of floats in another order differ in the last bits; totals are rounded to 3 decimals.
TOTAL_TOLERANCE = 2e-3


@dataclass(frozen=True)
class Expect:
    """An expected state: a number (compared with a tolerance), a time, text, or None (unknown)."""

    value: float | datetime | str | bool | None
    tolerance: float = 1e-6

    def check(self, state: str) -> str | None:
        """Return why ``state`` differs, or None when it matches."""
        value = self.value
        if self is UNAVAILABLE:
            return None if state == STATE_UNAVAILABLE else f"{state!r} != unavailable"
        if state == STATE_UNAVAILABLE:
            return "unavailable"
        if value is None:
            return None if state == STATE_UNKNOWN else f"{state!r} != unknown"
        if isinstance(value, bool):
            wanted = "on" if value else "off"
            return None if state == wanted else f"{state!r} != {wanted!r}"
        if isinstance(value, datetime):
            parsed = dt_util.parse_datetime(state)
            return None if parsed == value else f"{state!r} != {value.isoformat()}"
        if isinstance(value, float | int):
            try:
                number = float(state)
            except ValueError:
                return f"{state!r} is not a number ({value})"
            ok = math.isclose(number, value, abs_tol=self.tolerance)
            return None if ok else f"{number} != {value}"
        return None if state == value else f"{state!r} != {value!r}"


ANY_AVAILABLE = Expect("<any>")  # buttons: their state is the time of the last press
UNAVAILABLE = Expect("<unavailable>")  # e.g. price-based settings while it is off
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _mean(values: list[float]) -> float:
    used = [v for v in values if v]
    return round(sum(used) / len(used), 1) if used else 0.0


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.strptime(text, "%Y%m%d %H:%M:%S").replace(tzinfo=TZ)


def _latest(cp: ChargePointState, socket: int) -> Any:
    done = [t for t in cp.transactions if t.socket_id == socket]
    return max(done, key=lambda t: (t.end_time, t.transaction_id), default=None)


def _socket_expectations(cp: ChargePointState, socket: int) -> dict[str, tuple[str, Expect]]:
    """Every value of one socket, from the v2.1 status the simulator would answer.

    The session values are the running session's, else the last one's (its transaction).
    """
    data: dict[str, Any] = wire_status(cp, socket, rest=True)
    currents = [float(data[f"actual_p{n}"]) for n in (1, 2, 3)]
    voltages = [float(data[f"actual_v{n}"]) for n in (1, 2, 3)]
    limit = data["smartcharging_max_usage"] if cp.smart_charging else data["max_usage"]
    latest = _latest(cp, socket)
    session = cp.session if cp.session is not None and cp.session.socket_id == socket else None
    if session is not None:
        energy, cost = float(data["actual_kwh"]), float(data["total_cost"])
    else:
        energy = latest.kwh if latest else None
        cost = latest.total_costs if latest else None
    values: dict[str, tuple[str, Expect]] = {
        "activity": ("sensor", Expect(ACTIVITY.get(data["activity"]))),
        "vehicle_status": ("sensor", Expect(VEHICLE.get(data["vehicle_status"]))),
        "current": ("sensor", Expect(_mean(currents))),
        "voltage": ("sensor", Expect(_mean(voltages))),
        "power": (
            "sensor",
            Expect(round(sum(i * v for i, v in zip(currents, voltages, strict=True)) / 1000, 2)),
        ),
        "session_energy": ("sensor", Expect(energy)),
        "session_cost": ("sensor", Expect(cost)),
        "session_start": ("sensor", Expect(_time(data["start_datetime"]))),
        "session_end": ("sensor", Expect(latest.end_time if latest else None)),
        "offline_since": ("sensor", Expect(_time(data["offline_since"]))),
        "max_usage": ("sensor", Expect(float(data["max_usage"]))),
        "smart_charging_max_usage": ("sensor", Expect(float(data["smartcharging_max_usage"]))),
        "max_offline": ("sensor", Expect(float(data["max_offline"]))),
        "remaining_current": (
            "sensor",
            Expect(round(max(float(limit) - _mean(currents), 0.0), 1)),
        ),
        "latest_transaction_energy": ("sensor", Expect(latest.kwh if latest else None)),
        "latest_transaction_cost": ("sensor", Expect(latest.total_costs if latest else None)),
        "vehicle_connected": ("binary_sensor", Expect(data["vehicle_status"] in "BCD")),
        "charging": ("binary_sensor", Expect(data["activity"] == "charging")),
        "boosting": ("binary_sensor", Expect(bool(data["boosting"]))),
        "unlock_connector": ("button", ANY_AVAILABLE),
    }
    for n in (1, 2, 3):
        values[f"current_phase_{n}"] = ("sensor", Expect(currents[n - 1]))
        values[f"voltage_phase_{n}"] = ("sensor", Expect(voltages[n - 1]))
    return values


def _combined(sockets: list[dict[str, tuple[str, Expect]]]) -> dict[str, tuple[str, Expect]]:
    """A multi-socket charge point's own values: sums, means, "any", the busiest activity."""

    def values(key: str) -> list[Any]:
        return [s[key][1].value for s in sockets if s[key][1].value is not None]

    activities = values("activity")
    combined: dict[str, tuple[str, Expect]] = {
        "activity": ("sensor", Expect(next(a for a in ACTIVITY_ORDER if a in activities))),
        "current": ("sensor", Expect(round(sum(values("current")), 2))),
        "voltage": ("sensor", Expect(_mean(values("voltage")))),
        "power": ("sensor", Expect(round(sum(values("power")), 2))),
        "offline_since": ("sensor", Expect(min(values("offline_since"), default=None))),
        "vehicle_connected": ("binary_sensor", Expect(any(values("vehicle_connected")))),
        "charging": ("binary_sensor", Expect(any(values("charging")))),
        "boosting": ("binary_sensor", Expect(any(values("boosting")))),
    }
    for n in (1, 2, 3):
        combined[f"current_phase_{n}"] = (
            "sensor",
            Expect(round(sum(values(f"current_phase_{n}")), 2)),
        )
        combined[f"voltage_phase_{n}"] = ("sensor", Expect(_mean(values(f"voltage_phase_{n}"))))
    return combined


def _card_label(sim: Simulator, uid: str | None) -> str:
    card = sim.model.card_by_uid(uid)
    return card.name if card is not None else "no_card"


def _charge_point(sim: Simulator, cp: ChargePointState) -> dict[tuple[str, str], Expect]:
    evse = cp.evse_id
    expected: dict[tuple[str, str], Expect] = {}
    sockets = {socket: _socket_expectations(cp, socket) for socket in cp.socket_ids}
    if len(cp.socket_ids) == 1:
        own = sockets[cp.socket_ids[0]]
    else:
        own = _combined(list(sockets.values()))
        for socket, values in sockets.items():
            for key in (*PER_SOCKET_ONLY, *BOTH):
                platform, value = values[key]
                expected[platform, f"{evse}_socket_{socket}_{key}"] = value
    for key, (platform, value) in own.items():
        expected[platform, f"{evse}_{key}"] = value

    # Lifetime totals: every completed transaction plus the running session.
    session = cp.session
    energy = sum(t.kwh for t in cp.transactions) + (round(session.kwh, 3) if session else 0.0)
    cost = sum(t.total_costs for t in cp.transactions) + (session.cost if session else 0.0)
    expected["sensor", f"{evse}_lifetime_energy"] = Expect(round(energy, 3), TOTAL_TOLERANCE)
    expected["sensor", f"{evse}_lifetime_cost"] = Expect(round(cost, 3), TOTAL_TOLERANCE)
    expected["sensor", f"{evse}_tariff_price"] = Expect(cp.tariff.price_in_vat)

    online = [cp.socket_activity(s) for s in cp.socket_ids if cp.socket_activity(s) != "offline"]
    expected["switch", f"{evse}_enabled"] = Expect(
        any(a != "unavailable" for a in online) if online else None
    )
    expected["switch", f"{evse}_plug_and_charge"] = Expect(cp.plug_and_charge)
    expected["switch", f"{evse}_public_charging"] = Expect(cp.public_charging)
    expected["select", f"{evse}_plug_and_charge_card"] = Expect(
        _card_label(sim, cp.plug_and_charge_card_uid)
    )
    for key in ("stop_session", "soft_reset", "reboot"):
        expected["button", f"{evse}_{key}"] = ANY_AVAILABLE
    expected.update(_smart(sim, cp))
    return expected


def _smart(sim: Simulator, cp: ChargePointState) -> dict[tuple[str, str], Expect]:
    """Smart charging: what the simulator's settings say (every permission "write" here)."""
    evse = cp.evse_id
    delayed, price, capacity = cp.delayed_charging, cp.price_based_charging, cp.capacity_tariff
    mode = "price_based" if price.value else "delayed" if delayed.value else "off"

    def clock(hhmm: str | None) -> Expect:
        return UNAVAILABLE if hhmm is None else Expect(f"{hhmm}:00")

    days = "_".join(WEEKDAYS[day - 1] for day in sorted(delayed.days)) or None
    now = dt_util.now().astimezone(TZ)
    overrides = [
        s.override_value
        for s in sim.account.override_schedules
        if evse in s.chargepoints and in_force(s, now)
    ]
    return {
        ("select", f"{evse}_smart_charging_mode"): Expect(mode),
        ("time", f"{evse}_delayed_charging_start"): clock(delayed.start_time),
        ("time", f"{evse}_delayed_charging_end"): clock(delayed.end_time),
        ("sensor", f"{evse}_delayed_charging_days"): Expect(days),
        ("time", f"{evse}_departure_time"): clock(
            price.expected_leave_time if price.value else None
        ),
        ("number", f"{evse}_expected_energy"): (
            Expect(price.expected_kwh) if price.value else UNAVAILABLE
        ),
        ("number", f"{evse}_minimum_energy"): (
            Expect(price.minimum_kwh) if price.value else UNAVAILABLE
        ),
        ("switch", f"{evse}_capacity_tariff"): Expect(capacity.value),
        ("number", f"{evse}_capacity_tariff_limit"): Expect(capacity.max_kwh),
        ("button", f"{evse}_boost"): ANY_AVAILABLE if mode != "off" else UNAVAILABLE,
        ("sensor", f"{evse}_current_override"): Expect(min(overrides) if overrides else None),
    }


def expected_states(sim: Simulator, entry_id: str) -> dict[tuple[str, str], Expect]:
    """Every entity of the account, by (platform, unique id)."""
    expected: dict[tuple[str, str], Expect] = {}
    for cp in sim.account.charge_points.values():
        expected.update(_charge_point(sim, cp))
    grid = sim.grid
    phases = [grid.actual_p1, grid.actual_p2, grid.actual_p3]
    for n, value in enumerate(phases, start=1):
        expected["sensor", f"{grid.id}_grid_current_phase_{n}"] = Expect(value)
    expected["sensor", f"{grid.id}_grid_current"] = Expect(_mean(phases))
    expected["sensor", f"{grid.id}_grid_current_max"] = Expect(max(phases))
    expected["sensor", f"{grid.id}_grid_max_installed"] = Expect(float(grid.grid_max_install))
    expected["sensor", f"{grid.id}_grid_max_reserved"] = Expect(float(grid.grid_max_reserved))
    totals = sustainability(sim.account)
    expected["sensor", f"{entry_id}_trees"] = Expect(float(totals["trees"]))
    expected["sensor", f"{entry_id}_co2"] = Expect(float(totals["co2"]))
    return expected


def mismatches(hass: HomeAssistant, sim: Simulator, entry_id: str) -> list[str]:
    """Every entity of the entry whose state is not the simulator's, and every one missing."""
    expected = expected_states(sim, entry_id)
    registry = er.async_get(hass)
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for entry in er.async_entries_for_config_entry(registry, entry_id):
        key = (entry.domain, entry.unique_id)
        seen.add(key)
        if entry.disabled_by is not None:
            problems.append(f"{entry.entity_id}: disabled")
            continue
        state = hass.states.get(entry.entity_id)
        want = expected.get(key)
        if want is None:
            problems.append(f"{entry.entity_id}: no expectation for {key}")
        elif state is None:
            problems.append(f"{entry.entity_id}: no state")
        elif want is ANY_AVAILABLE:
            if state.state == STATE_UNAVAILABLE:
                problems.append(f"{entry.entity_id}: unavailable")
        elif (why := want.check(state.state)) is not None:
            problems.append(f"{entry.entity_id}: {why}")
    problems.extend(f"{key}: no entity" for key in expected.keys() - seen)
    return problems


async def enable_all(hass: HomeAssistant, entry: ConfigEntry) -> int:
    """Enable the entities the integration disables by default; return how many.

    Home Assistant reloads the entry for them 30 s after the change (a timer, fired here).
    """
    registry = er.async_get(hass)
    count = 0
    for item in er.async_entries_for_config_entry(registry, entry.entry_id):
        if item.disabled_by is not None and item.platform == DOMAIN:
            registry.async_update_entity(item.entity_id, disabled_by=None)
            count += 1
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=RELOAD_AFTER_UPDATE_DELAY))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    return count

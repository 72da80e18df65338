"""Turn model state into the JSON shapes of the recorded cloud replies (fixtures)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .state import (
    HOME_USE,
    Account,
    Card,
    ChargePointState,
    GridState,
    OverrideSchedule,
)

if TYPE_CHECKING:
    from .model import Model

Json = dict[str, Any]


def error(code: int, message: str, flow_id: Any = None) -> Json:
    """Build an ERROR frame; echo a string flow_id so PBC can route it."""
    frame: Json = {"object": "ERROR", "error": code, "message": message}
    if isinstance(flow_id, str):
        frame["flow_id"] = flow_id
    return frame


def ws_time(value: datetime | None) -> str:
    """CH_STATUS timestamps: local "YYYYMMDD HH:MM:SS", "" for none (never null: BCA crashes)."""
    return value.strftime("%Y%m%d %H:%M:%S") if value else ""


def rest_time(value: datetime | None) -> str | None:
    """Format like ws_time, but null for none (the v2.1 status endpoint does)."""
    return value.strftime("%Y%m%d %H:%M:%S") if value else None


def card_ref(card: Card) -> Json:
    """Render a card as embedded in charge-point settings."""
    return {
        "uid": card.uid,
        "id": card.id,
        "name": card.name,
        "customer_name": card.customer_name,
        "valid": int(card.valid),
    }


def card_full(card: Card) -> Json:
    """Render a card as CHARGE_CARDS lists it."""
    return {
        **card_ref(card),
        "date_created": card.date_created.isoformat(),
        "date_modified": card.date_modified.isoformat(),
        "date_became_invalid": card.date_became_invalid.isoformat()
        if card.date_became_invalid
        else None,
    }


def account(acc: Account) -> Json:
    """ACCOUNT: every field sits at the top level."""
    return {
        "object": "ACCOUNT",
        "full_name": acc.full_name,
        "email": acc.email,
        "login": acc.login,
        "should_reset_password": acc.should_reset_password,
        "developer_mode_enabled": acc.developer_mode_enabled,
        "tel": acc.tel,
        "marketing_target": acc.marketing_target,
        "first_login_app": acc.first_login_app,
        "hubspot_user_identity": acc.hubspot_user_identity,
    }


def _setting(cp: ChargePointState, key: str, value: Any) -> Json:
    return {"value": value, "permission": cp.permissions.get(key, "write")}


def charge_point(model: Model, cp: ChargePointState, *, settings: bool = False) -> Json:
    """Render a CHARGE_POINTS item, or with `settings` the CH_SETTINGS data."""
    delayed = _setting(cp, "delayed_charging", cp.delayed_charging.value)
    if cp.delayed_charging.start_time is not None:
        delayed["start_time"] = cp.delayed_charging.start_time
        delayed["end_time"] = cp.delayed_charging.end_time
        delayed["selected_days"] = list(cp.delayed_charging.days)
    price = _setting(cp, "price_based_charging", cp.price_based_charging.value)
    if cp.price_based_charging.value:
        price["expected_leave_time"] = cp.price_based_charging.expected_leave_time
        price["expected_kwh"] = cp.price_based_charging.expected_kwh
        price["minimum_kwh"] = cp.price_based_charging.minimum_kwh
    capacity = _setting(cp, "capacity_tariff", cp.capacity_tariff.value)
    capacity["capacitytariffmaxkwh"] = cp.capacity_tariff.max_kwh
    tariff = cp.tariff
    data: Json = {
        "evse_id": cp.evse_id,
        "model_type": cp.model_type,
        "chargepoint_type": cp.chargepoint_type,
        "is_cable": cp.is_cable,
        "smart_charging": cp.smart_charging,
        "smart_charging_dynamic": cp.smart_charging_dynamic,
        "public_charging": _setting(cp, "public_charging", cp.public_charging),
        "plug_and_charge": _setting(cp, "plug_and_charge", cp.plug_and_charge),
        "plug_and_charge_notification": _setting(
            cp, "plug_and_charge_notification", cp.plug_and_charge_notification
        ),
        "led_interaction": _setting(cp, "led_interaction", cp.led_interaction),
        "publish_location": _setting(cp, "publish_location", cp.publish_location),
        "delayed_charging": delayed,
        "price_based_charging": price,
        "capacity_tariff": capacity,
        "tariff": {
            "tariff_id": tariff.tariff_id,
            "price_ex_vat": tariff.price_ex_vat,
            "start_price_ex_vat": tariff.start_price_ex_vat,
            "price_in_vat": tariff.price_in_vat,
            "start_price_in_vat": tariff.start_price_in_vat,
            "currency": tariff.currency,
            "vat_percentage": tariff.vat_percentage,
        },
        "location": {
            "x_coord": cp.location.x_coord,
            "y_coord": cp.location.y_coord,
            "street": cp.location.street,
            "housenumber": cp.location.housenumber,
            "zipcode": cp.location.zipcode,
            "city": cp.location.city,
            "country": cp.location.country,
        },
    }
    for key, uid in (
        ("default_card", cp.default_card_uid),
        ("preferred_card", cp.preferred_card_uid),
    ):
        card = model.card_by_uid(uid)
        if card is not None:
            data[key] = card_ref(card)
    pnc_card = model.card_by_uid(cp.plug_and_charge_card_uid)
    data["plug_and_charge_charge_card"] = (
        card_ref(pnc_card)
        if pnc_card
        else {"uid": HOME_USE, "id": HOME_USE, "customer_name": model.account.full_name}
    )
    if settings:
        data["chargepoint_name"] = cp.name
        data["led_intensity"] = _setting(cp, "led_intensity", cp.led_intensity)
        data["tariff"]["permission"] = cp.permissions.get("tariff", "write")
    else:
        data["name"] = cp.name
        data["activity"] = cp.activity
        data["socket_id"] = cp.socket_ids[0]
        data["socket_ids"] = list(cp.socket_ids)
    return data


def primary_socket(cp: ChargePointState) -> int:
    """Pick the socket a single CH_STATUS describes: the charging one, else the first."""
    return cp.session.socket_id if cp.session is not None else cp.socket_ids[0]


def status(cp: ChargePointState, socket_id: int | None = None, *, rest: bool = False) -> Json:
    """CH_STATUS data for one socket (`rest`: the v2.1 item with nulls for missing times)."""
    socket = primary_socket(cp) if socket_id is None else socket_id
    session = cp.session if cp.session is not None and cp.session.socket_id == socket else None
    activity = cp.socket_activity(socket)
    live = session is not None and activity == "charging"
    currents = session.currents if session and live else [0, 0, 0]
    voltages = session.voltages if session and live else [0, 0, 0]
    fmt = rest_time if rest else ws_time
    max_usage, smart_max = cp.max_usage, cp.smartcharging_max_usage
    if cp.override_limit is not None:
        # An override current in force caps what the charge point may draw.
        max_usage, smart_max = min(max_usage, cp.override_limit), min(smart_max, cp.override_limit)
    return {
        "evse_id": cp.evse_id,
        "socket_id": socket,
        "activity": activity,
        "actual_p1": currents[0],
        "actual_p2": currents[1],
        "actual_p3": currents[2],
        "actual_v1": voltages[0],
        "actual_v2": voltages[1],
        "actual_v3": voltages[2],
        "actual_kwh": round(session.kwh, 3) if session else 0,
        "max_usage": max_usage,
        "smartcharging_max_usage": smart_max,
        "max_offline": cp.max_offline,
        "offline_since": ws_time(cp.offline_since),
        "start_datetime": fmt(cp.last_start.get(socket)),
        "stop_datetime": fmt(cp.last_stop.get(socket)),
        "total_cost": session.cost if session else cp.last_cost.get(socket, 0),
        "vehicle_status": "C" if live else ("B" if session else "A"),
        "boosting": bool(session and session.boosting),
    }


def ch_status(cp: ChargePointState, socket_id: int | None = None) -> Json:
    """Render the websocket CH_STATUS frame (top-level evse_id, which BCA needs)."""
    return {"object": "CH_STATUS", "evse_id": cp.evse_id, "data": status(cp, socket_id)}


def ch_status_rest(cp: ChargePointState, socket_id: int | None) -> Json:
    """Render the v2.1 chargepointstatus body: one item per socket."""
    sockets = [socket_id] if socket_id is not None else list(cp.socket_ids)
    return {
        "object": "CH_STATUS",
        "evse_id": cp.evse_id,
        "socket_id": socket_id,
        "socket_ids": sockets,
        "items": [status(cp, socket, rest=True) for socket in sockets],
    }


def grid_status(grid: GridState) -> Json:
    """GRID_STATUS data (answer to GET_GRID_STATUS)."""
    return {
        "id": grid.id,
        "grid_actual_p1": grid.actual_p1,
        "grid_actual_p2": grid.actual_p2,
        "grid_actual_p3": grid.actual_p3,
        "grid_max_install": grid.grid_max_install,
        "grid_max_reserved": grid.grid_max_reserved,
    }


def grid_current(grid: GridState) -> Json:
    """Render the flat GRID_CURRENT push (no `data` key)."""
    return {
        "object": "GRID_CURRENT",
        "grid_actual_p1": grid.actual_p1,
        "grid_actual_p2": grid.actual_p2,
        "grid_actual_p3": grid.actual_p3,
    }


def sustainability(acc: Account) -> Json:
    """Derive saved CO2 from the energy charged; a tree per 20 kg."""
    kwh = sum(t.kwh for cp in acc.charge_points.values() for t in cp.transactions)
    co2 = round(kwh * 0.35, 3)
    return {"object": "SUSTAINABILITY_STATUS", "trees": int(co2 // 20), "co2": co2}


def override_schedule(schedule: OverrideSchedule) -> Json:
    """Render a schedule; day lists are comma strings, as BCA splits them."""
    return {
        "schedule_id": schedule.schedule_id,
        "chargepoints": list(schedule.chargepoints),
        "override_start_time": schedule.override_start_time,
        "override_start_days": ",".join(schedule.override_start_days),
        "override_end_time": schedule.override_end_time,
        "override_end_days": ",".join(schedule.override_end_days),
        "override_value": schedule.override_value,
    }

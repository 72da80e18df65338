"""Charge points with their settings, cards, tariff and location (CHARGE_POINTS, CH_SETTINGS)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..const import NO_CARD_UIDS
from ..errors import MalformedFrameError
from .convert import Fields, guard, to_int
from .setting import Setting
from .smart import (
    CapacityTariff,
    DelayedCharging,
    PriceBasedCharging,
    parse_capacity_tariff,
    parse_delayed_charging,
    parse_price_based_charging,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargeCard:
    """A charge card; ``valid`` is None when the cloud did not say."""

    uid: str
    id: str
    name: str | None = None
    customer_name: str | None = None
    valid: bool | None = None
    date_created: date | None = None
    date_modified: date | None = None
    date_became_invalid: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Tariff:
    """The price a charge point charges others."""

    tariff_id: str | None = None
    price_ex_vat: float | None = None
    start_price_ex_vat: float | None = None
    price_in_vat: float | None = None
    start_price_in_vat: float | None = None
    currency: str | None = None
    vat_percentage: float | None = None
    permission: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """Where a charge point is installed."""

    x_coord: float | None = None
    y_coord: float | None = None
    street: str | None = None
    housenumber: str | None = None
    zipcode: str | None = None
    city: str | None = None
    country: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargePoint:
    """A charge point with its settings (from CHARGE_POINTS items and CH_SETTINGS alike).

    Fields a frame does not carry are None (``socket_ids``: empty), so a partial CH_SETTINGS can be
    merged onto a full CHARGE_POINTS item.
    """

    evse_id: str
    name: str | None = None
    model_type: str | None = None
    chargepoint_type: str | None = None
    is_cable: bool | None = None
    activity: str | None = None
    smart_charging: bool | None = None
    smart_charging_dynamic: bool | None = None
    socket_id: int | None = None
    socket_ids: tuple[int, ...] = ()
    public_charging: Setting | None = None
    plug_and_charge: Setting | None = None
    plug_and_charge_notification: Setting | None = None
    led_interaction: Setting | None = None
    led_intensity: Setting | None = None
    publish_location: Setting | None = None
    delayed_charging: DelayedCharging | None = None
    price_based_charging: PriceBasedCharging | None = None
    capacity_tariff: CapacityTariff | None = None
    default_card: ChargeCard | None = None
    preferred_card: ChargeCard | None = None
    plug_and_charge_card: ChargeCard | None = None
    tariff: Tariff | None = None
    location: Location | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@guard
def parse_setting(data: object, what: str = "setting") -> Setting | None:
    """Parse a ``{value, permission}`` wrapper; a bare value (older backends) works too."""
    if data is None:
        return None
    if isinstance(data, bool | int | float | str):
        return Setting(data)
    fields = Fields(data, what)
    value = fields.raw("value")
    if not (value is None or isinstance(value, bool | int | float | str)):
        raise fields.bad("value", "a scalar", value)
    return Setting(value, fields.text("permission"), fields.extra())


@guard
def parse_charge_card(data: object, what: str = "card") -> ChargeCard | None:
    """Parse a card; the cloud's "no card" pseudo cards become None."""
    if data is None:
        return None
    fields = Fields(data, what)
    uid = fields.text("uid")
    card_id = fields.text("id")
    if uid in NO_CARD_UIDS or card_id in NO_CARD_UIDS or (uid is None and card_id is None):
        return None
    return ChargeCard(
        uid=uid or card_id or "",
        id=card_id or uid or "",
        name=fields.text("name"),
        customer_name=fields.text("customer_name"),
        valid=fields.flag("valid"),
        date_created=fields.day("date_created"),
        date_modified=fields.day("date_modified"),
        date_became_invalid=fields.day("date_became_invalid"),
        extra=fields.extra(),
    )


@guard
def parse_charge_cards(frame: object) -> list[ChargeCard]:
    """Parse CHARGE_CARDS: the ``cards`` list, without pseudo cards."""
    fields = Fields(frame, "CHARGE_CARDS")
    cards = (parse_charge_card(item, "CHARGE_CARDS card") for item in fields.items("cards"))
    return [card for card in cards if card is not None]


@guard
def parse_tariff(data: object) -> Tariff | None:
    """Parse a charge point's tariff."""
    if data is None:
        return None
    fields = Fields(data, "tariff")
    return Tariff(
        tariff_id=fields.text("tariff_id"),
        price_ex_vat=fields.number("price_ex_vat"),
        start_price_ex_vat=fields.number("start_price_ex_vat"),
        price_in_vat=fields.number("price_in_vat"),
        start_price_in_vat=fields.number("start_price_in_vat"),
        currency=fields.text("currency"),
        vat_percentage=fields.number("vat_percentage"),
        permission=fields.text("permission"),
        extra=fields.extra(),
    )


@guard
def parse_location(data: object) -> Location | None:
    """Parse a charge point's location."""
    if data is None:
        return None
    fields = Fields(data, "location")
    return Location(
        x_coord=fields.number("x_coord"),
        y_coord=fields.number("y_coord"),
        street=fields.text("street"),
        housenumber=fields.text("housenumber"),
        zipcode=fields.text("zipcode"),
        city=fields.text("city"),
        country=fields.text("country"),
        extra=fields.extra(),
    )


@guard
def parse_charge_point(data: object, evse_id: str | None = None) -> ChargePoint:
    """Parse a CHARGE_POINTS item or CH_SETTINGS data; ``evse_id`` fills in a missing one."""
    fields = Fields(data, "charge point")
    found_id = fields.text("evse_id") or evse_id
    if found_id is None:
        raise MalformedFrameError("charge point: field 'evse_id' is missing")
    name = fields.text("name")
    if not fields.has("name"):
        name = fields.text("chargepoint_name")
    socket_ids = tuple(
        _socket_id(item, fields.what) for item in fields.items("socket_ids") if item is not None
    )

    def setting(key: str) -> Setting | None:
        return parse_setting(fields.raw(key), key)

    card_key = (
        "plug_and_charge_card"
        if fields.has("plug_and_charge_card")
        else "plug_and_charge_charge_card"
    )
    return ChargePoint(
        evse_id=found_id,
        name=name,
        model_type=fields.text("model_type"),
        chargepoint_type=fields.text("chargepoint_type"),
        is_cable=fields.flag("is_cable"),
        activity=fields.text("activity"),
        smart_charging=fields.flag("smart_charging"),
        smart_charging_dynamic=fields.flag("smart_charging_dynamic"),
        socket_id=fields.integer("socket_id"),
        socket_ids=socket_ids,
        default_card=parse_charge_card(fields.raw("default_card"), "default_card"),
        preferred_card=parse_charge_card(fields.raw("preferred_card"), "preferred_card"),
        plug_and_charge_card=parse_charge_card(fields.raw(card_key), card_key),
        tariff=parse_tariff(fields.raw("tariff")),
        location=parse_location(fields.raw("location")),
        public_charging=setting("public_charging"),
        plug_and_charge=setting("plug_and_charge"),
        plug_and_charge_notification=setting("plug_and_charge_notification"),
        led_interaction=setting("led_interaction"),
        led_intensity=setting("led_intensity"),
        publish_location=setting("publish_location"),
        delayed_charging=parse_delayed_charging(fields.raw("delayed_charging")),
        price_based_charging=parse_price_based_charging(fields.raw("price_based_charging")),
        capacity_tariff=parse_capacity_tariff(fields.raw("capacity_tariff")),
        extra=fields.extra(),
    )


def _socket_id(value: object, what: str) -> int:
    try:
        result = to_int(value)
    except (TypeError, ValueError):
        result = None
    if result is None:
        raise MalformedFrameError(f"{what}: socket_ids should hold integers")
    return result


@guard
def parse_charge_points(frame: object) -> list[ChargePoint]:
    """Parse CHARGE_POINTS: the ``data`` list."""
    fields = Fields(frame, "CHARGE_POINTS")
    return [parse_charge_point(item) for item in fields.items("data")]


@guard
def parse_charge_point_settings(frame: object) -> ChargePoint:
    """Parse CH_SETTINGS: ``data`` with the top-level ``evse_id`` as fallback."""
    fields = Fields(frame, "CH_SETTINGS")
    return parse_charge_point(fields.mapping("data") or {}, fields.text("evse_id"))

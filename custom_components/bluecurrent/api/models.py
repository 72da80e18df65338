"""Typed views of the cloud's frames, and the parsers that build them.

The cloud is loose with types: numbers arrive as (space-padded) strings, timestamps come in
three formats, ``""`` and ``null`` both mean "none". Every parser here accepts that, keeps
unknown keys in ``extra`` and turns anything it cannot use into ``MalformedFrameError`` (never
``TypeError``/``KeyError``/``ValueError``), so one bad frame can never take the connection down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
import functools
import math
from typing import Any, Final

from .const import NO_CARD_UIDS, TIMEZONE
from .errors import BlueCurrentError, MalformedFrameError

_DATETIME_FORMATS: Final = (
    "%Y%m%d %H:%M:%S",
    "%Y%m%d %H:%M:%S%z",
    "%d-%m-%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%d-%b-%y",
)

type SettingValue = bool | int | float | str | None


# ---------------------------------------------------------------------------------------------
# Data classes


@dataclass(frozen=True, slots=True)
class Setting:
    """A ``{"value", "permission"}`` setting; the permission says whether it may be changed."""

    value: SettingValue
    permission: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


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
    delayed_charging: Setting | None = None
    price_based_charging: Setting | None = None
    capacity_tariff: Setting | None = None
    default_card: ChargeCard | None = None
    preferred_card: ChargeCard | None = None
    plug_and_charge_card: ChargeCard | None = None
    tariff: Tariff | None = None
    location: Location | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChargePointStatus:
    """Live status of one socket: currents in A, voltages in V, energy in kWh, cost in currency."""

    evse_id: str
    socket_id: int | None = None
    activity: str | None = None
    vehicle_status: str | None = None
    actual_p1: float | None = None
    actual_p2: float | None = None
    actual_p3: float | None = None
    actual_v1: float | None = None
    actual_v2: float | None = None
    actual_v3: float | None = None
    actual_kwh: float | None = None
    max_usage: float | None = None
    smartcharging_max_usage: float | None = None
    max_offline: float | None = None
    offline_since: datetime | None = None
    start_datetime: datetime | None = None
    stop_datetime: datetime | None = None
    total_cost: float | None = None
    boosting: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class GridStatus:
    """Grid connection currents in A; the maxima are None in a GRID_CURRENT push."""

    id: str | None = None
    grid_actual_p1: float | None = None
    grid_actual_p2: float | None = None
    grid_actual_p3: float | None = None
    grid_max_install: float | None = None
    grid_max_reserved: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """The logged-in account; ``login`` is the e-mail address used to log in."""

    login: str
    full_name: str | None = None
    email: str | None = None
    tel: str | None = None
    should_reset_password: bool | None = None
    developer_mode_enabled: bool | None = None
    marketing_target: str | None = None
    first_login_app: datetime | None = None
    hubspot_user_identity: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sustainability:
    """Totals over all charge points: trees saved and CO2 avoided (kg)."""

    trees: float | None = None
    co2: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contract:
    """A subscription contract."""

    contract_id: str | None = None
    contact_email: str | None = None
    subscription_type: str | None = None
    beneficiary_name: str | None = None
    iban_beneficiary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class GridAddress:
    """Address of a grid connection."""

    street: str | None = None
    housenumber: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    region: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Grid:
    """A grid connection the account's charge points share."""

    id: str | None = None
    smart_charging: bool | None = None
    address: GridAddress | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction:
    """A completed charging session."""

    transaction_id: int | None = None
    chargepoint_id: str | None = None
    socket_id: int | None = None
    chargepoint_type: str | None = None
    evse_name: str | None = None
    started_at: datetime | None = None
    end_time: datetime | None = None
    kwh: float | None = None
    card_id: str | None = None
    card_name: str | None = None
    total_costs: float | None = None
    total_costs_ex_vat: float | None = None
    reimbursement_tariff_ex_vat: float | None = None
    vat: float | None = None
    currency: str | None = None
    reason_no_settlement: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransactionPage:
    """One page of transactions; ``next_page`` is None on the last page."""

    current_page: int | None = None
    next_page: int | None = None
    max_per_page: int | None = None
    total_pages: int | None = None
    total_transactions: int | None = None
    transactions: tuple[Transaction, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionResult:
    """An action's acknowledgement or verdict.

    ``command`` is the frame's object name (``RECEIVED_SOFT_RESET``, ``STATUS_SOFT_RESET``, ...)
    so a listener can tell the acknowledgement from the verdict.
    """

    command: str
    evse_id: str | None = None
    success: bool = False
    error: str | None = None
    flow_id: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Events


class Event:
    """Base class of everything ``subscribe`` and ``events()`` deliver."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class StatusEvent(Event):
    """A pushed CH_STATUS."""

    evse_id: str
    status: ChargePointStatus


@dataclass(frozen=True, slots=True)
class GridEvent(Event):
    """A pushed GRID_CURRENT or GRID_STATUS."""

    status: GridStatus


@dataclass(frozen=True, slots=True)
class SettingsEvent(Event):
    """A pushed CH_SETTINGS."""

    evse_id: str
    settings: ChargePoint


@dataclass(frozen=True, slots=True)
class ActionEvent(Event):
    """An action acknowledgement or verdict that no call of this client was waiting for."""

    result: ActionResult


@dataclass(frozen=True, slots=True)
class ConnectionEvent(Event):
    """The websocket went down (``error`` says why) or came back (``error`` None)."""

    connected: bool
    error: BlueCurrentError | None = None


# ---------------------------------------------------------------------------------------------
# Conversions


def _type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


class _Fields:
    """Reads typed fields from one JSON object; the keys it never touched become ``extra``."""

    def __init__(self, data: object, what: str, *, ignore: tuple[str, ...] = ("object",)) -> None:
        if not isinstance(data, Mapping):
            raise MalformedFrameError(f"{what}: expected an object, got {_type_name(data)}")
        self.data: Mapping[str, Any] = data
        self.what = what
        self.used: set[str] = set(ignore)

    def _bad(self, key: str, expected: str, value: object) -> MalformedFrameError:
        # Only names and types: values may be personal data.
        return MalformedFrameError(
            f"{self.what}: field {key!r} should be {expected}, got {_type_name(value)}"
        )

    def raw(self, key: str) -> Any:
        self.used.add(key)
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str) -> str | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise self._bad(key, "a string", value)

    def required_text(self, key: str) -> str:
        value = self.text(key)
        if value is None:
            raise MalformedFrameError(f"{self.what}: field {key!r} is missing")
        return value

    def _converted[T](self, key: str, convert: Callable[[Any], T | None], what: str) -> T | None:
        value = self.raw(key)
        try:
            return convert(value)
        except (TypeError, ValueError):
            raise self._bad(key, what, value) from None

    def number(self, key: str) -> float | None:
        return self._converted(key, to_float, "a number")

    def integer(self, key: str) -> int | None:
        return self._converted(key, to_int, "an integer")

    def flag(self, key: str) -> bool | None:
        return self._converted(key, to_bool, "a boolean")

    def timestamp(self, key: str) -> datetime | None:
        return self._converted(key, to_datetime, "a timestamp")

    def day(self, key: str) -> date | None:
        return self._converted(key, to_date, "a date (YYYY-MM-DD)")

    def mapping(self, key: str) -> Mapping[str, Any] | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, Mapping):
            return value
        raise self._bad(key, "an object", value)

    def items(self, key: str) -> list[Any]:
        value = self.raw(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        raise self._bad(key, "a list", value)

    def extra(self) -> dict[str, Any]:
        return {key: value for key, value in self.data.items() if key not in self.used}


def to_float(value: object) -> float | None:
    """Convert a number or numeric string (even space-padded) to float; ``""``/None to None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("boolean")
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        result = float(text)
    else:
        raise TypeError(_type_name(value))
    if not math.isfinite(result):
        raise ValueError("not finite")
    return result


def to_int(value: object) -> int | None:
    """Convert like ``to_float``, but the number must be whole."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    result = to_float(value)
    if result is None:
        return None
    if not result.is_integer():
        raise ValueError("not whole")
    return int(result)


def to_bool(value: object) -> bool | None:
    """Convert a JSON bool, 0/1 or "true"/"false" to bool."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
    raise TypeError(_type_name(value))


def to_datetime(value: object) -> datetime | None:
    """Convert any of the cloud's timestamp formats to an aware datetime in Europe/Amsterdam.

    Without an offset the cloud means local Dutch time.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(_type_name(value))
    text = value.strip()
    if not text:
        return None
    for fmt in _DATETIME_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=TIMEZONE)
        return parsed.astimezone(TIMEZONE)
    raise ValueError("unknown timestamp format")


def to_date(value: object) -> date | None:
    """Convert ``YYYY-MM-DD`` to a date."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(_type_name(value))
    text = value.strip()
    if not text:
        return None
    return date.fromisoformat(text[:10])


def _guard[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Last line of defence: whatever slips through becomes MalformedFrameError."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except MalformedFrameError:
            raise
        except (TypeError, KeyError, ValueError, AttributeError, IndexError, OverflowError) as err:
            raise MalformedFrameError(f"{func.__name__}: {type(err).__name__}") from None

    return wrapper


# ---------------------------------------------------------------------------------------------
# Parsers


@_guard
def parse_setting(data: object, what: str = "setting") -> Setting | None:
    """Parse a ``{value, permission}`` wrapper; a bare value (older backends) works too."""
    if data is None:
        return None
    if isinstance(data, bool | int | float | str):
        return Setting(data)
    fields = _Fields(data, what)
    value = fields.raw("value")
    if not (value is None or isinstance(value, bool | int | float | str)):
        raise fields._bad("value", "a scalar", value)
    return Setting(value, fields.text("permission"), fields.extra())


@_guard
def parse_charge_card(data: object, what: str = "card") -> ChargeCard | None:
    """Parse a card; the cloud's "no card" pseudo cards become None."""
    if data is None:
        return None
    fields = _Fields(data, what)
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


@_guard
def parse_charge_cards(frame: object) -> list[ChargeCard]:
    """Parse CHARGE_CARDS: the ``cards`` list, without pseudo cards."""
    fields = _Fields(frame, "CHARGE_CARDS")
    cards = (parse_charge_card(item, "CHARGE_CARDS card") for item in fields.items("cards"))
    return [card for card in cards if card is not None]


@_guard
def parse_tariff(data: object) -> Tariff | None:
    """Parse a charge point's tariff."""
    if data is None:
        return None
    fields = _Fields(data, "tariff")
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


@_guard
def parse_location(data: object) -> Location | None:
    """Parse a charge point's location."""
    if data is None:
        return None
    fields = _Fields(data, "location")
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


@_guard
def parse_charge_point(data: object, evse_id: str | None = None) -> ChargePoint:
    """Parse a CHARGE_POINTS item or CH_SETTINGS data; ``evse_id`` fills in a missing one."""
    fields = _Fields(data, "charge point")
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
        delayed_charging=setting("delayed_charging"),
        price_based_charging=setting("price_based_charging"),
        capacity_tariff=setting("capacity_tariff"),
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


@_guard
def parse_charge_points(frame: object) -> list[ChargePoint]:
    """Parse CHARGE_POINTS: the ``data`` list."""
    fields = _Fields(frame, "CHARGE_POINTS")
    return [parse_charge_point(item) for item in fields.items("data")]


@_guard
def parse_charge_point_settings(frame: object) -> ChargePoint:
    """Parse CH_SETTINGS: ``data`` with the top-level ``evse_id`` as fallback."""
    fields = _Fields(frame, "CH_SETTINGS")
    return parse_charge_point(fields.mapping("data") or {}, fields.text("evse_id"))


@_guard
def parse_charge_point_status(data: object, evse_id: str | None = None) -> ChargePointStatus:
    """Parse a CH_STATUS ``data`` dict or a v2.1 status item."""
    fields = _Fields(data, "CH_STATUS")
    found_id = fields.text("evse_id") or evse_id
    if found_id is None:
        raise MalformedFrameError("CH_STATUS: field 'evse_id' is missing")
    return ChargePointStatus(
        evse_id=found_id,
        socket_id=fields.integer("socket_id"),
        activity=fields.text("activity"),
        vehicle_status=fields.text("vehicle_status"),
        actual_p1=fields.number("actual_p1"),
        actual_p2=fields.number("actual_p2"),
        actual_p3=fields.number("actual_p3"),
        actual_v1=fields.number("actual_v1"),
        actual_v2=fields.number("actual_v2"),
        actual_v3=fields.number("actual_v3"),
        actual_kwh=fields.number("actual_kwh"),
        max_usage=fields.number("max_usage"),
        smartcharging_max_usage=fields.number("smartcharging_max_usage"),
        max_offline=fields.number("max_offline"),
        offline_since=fields.timestamp("offline_since"),
        start_datetime=fields.timestamp("start_datetime"),
        stop_datetime=fields.timestamp("stop_datetime"),
        total_cost=fields.number("total_cost"),
        boosting=fields.flag("boosting"),
        extra=fields.extra(),
    )


@_guard
def parse_status_push(frame: object) -> StatusEvent:
    """Parse a CH_STATUS frame: ``data`` plus the top-level ``evse_id``."""
    fields = _Fields(frame, "CH_STATUS")
    status = parse_charge_point_status(fields.mapping("data") or {}, fields.text("evse_id"))
    return StatusEvent(status.evse_id, status)


@_guard
def parse_charge_point_statuses(body: object) -> list[ChargePointStatus]:
    """Parse the v2.1 REST status, one item per socket (or an old v2.0 ``data`` dict)."""
    fields = _Fields(body, "chargepointstatus")
    evse_id = fields.text("evse_id")
    if fields.has("items") or not fields.has("data"):
        return [parse_charge_point_status(item, evse_id) for item in fields.items("items")]
    return [parse_charge_point_status(fields.mapping("data") or {}, evse_id)]


@_guard
def parse_grid_status(data: object) -> GridStatus:
    """Parse GRID_STATUS ``data`` or a flat GRID_CURRENT frame."""
    fields = _Fields(data, "grid status")
    return GridStatus(
        id=fields.text("id"),
        grid_actual_p1=fields.number("grid_actual_p1"),
        grid_actual_p2=fields.number("grid_actual_p2"),
        grid_actual_p3=fields.number("grid_actual_p3"),
        grid_max_install=fields.number("grid_max_install"),
        grid_max_reserved=fields.number("grid_max_reserved"),
        extra=fields.extra(),
    )


@_guard
def parse_grid_frame(frame: object) -> GridStatus:
    """Parse GRID_STATUS (nested in ``data``) or GRID_CURRENT (flat)."""
    fields = _Fields(frame, "GRID")
    if fields.has("data"):
        return parse_grid_status(fields.mapping("data") or {})
    return parse_grid_status(frame)


@_guard
def parse_account(frame: object) -> Account:
    """Parse ACCOUNT: every field at the top level."""
    fields = _Fields(frame, "ACCOUNT")
    return Account(
        login=fields.required_text("login"),
        full_name=fields.text("full_name"),
        email=fields.text("email"),
        tel=fields.text("tel"),
        should_reset_password=fields.flag("should_reset_password"),
        developer_mode_enabled=fields.flag("developer_mode_enabled"),
        marketing_target=fields.text("marketing_target"),
        first_login_app=fields.timestamp("first_login_app"),
        hubspot_user_identity=fields.text("hubspot_user_identity"),
        extra=fields.extra(),
    )


@_guard
def parse_sustainability(frame: object) -> Sustainability:
    """Parse SUSTAINABILITY_STATUS: ``trees`` and ``co2`` at the top level."""
    fields = _Fields(frame, "SUSTAINABILITY_STATUS")
    return Sustainability(
        trees=fields.number("trees"), co2=fields.number("co2"), extra=fields.extra()
    )


@_guard
def parse_contracts(body: object) -> list[Contract]:
    """Parse ``getcontracts``: the ``contracts`` list."""
    result = []
    for item in _Fields(body, "getcontracts").items("contracts"):
        fields = _Fields(item, "contract")
        result.append(
            Contract(
                contract_id=fields.text("contract_id"),
                contact_email=fields.text("contact_email"),
                subscription_type=fields.text("subscription_type"),
                beneficiary_name=fields.text("beneficiary_name"),
                iban_beneficiary=fields.text("iban_beneficiary"),
                extra=fields.extra(),
            )
        )
    return result


@_guard
def _parse_address(data: object) -> GridAddress | None:
    if data is None:
        return None
    fields = _Fields(data, "grid address")
    return GridAddress(
        street=fields.text("street"),
        housenumber=fields.text("housenumber"),
        postal_code=fields.text("postal_code"),
        city=fields.text("city"),
        country=fields.text("country"),
        region=fields.text("region"),
        extra=fields.extra(),
    )


@_guard
def parse_grids(body: object) -> list[Grid]:
    """Parse ``getgrids``: the ``grids`` list."""
    result = []
    for item in _Fields(body, "getgrids").items("grids"):
        fields = _Fields(item, "grid")
        result.append(
            Grid(
                id=fields.text("id"),
                smart_charging=fields.flag("smart_charging"),
                address=_parse_address(fields.raw("address")),
                extra=fields.extra(),
            )
        )
    return result


@_guard
def parse_transaction(data: object) -> Transaction:
    """Parse a transaction; costs and ids may arrive as space-padded strings."""
    fields = _Fields(data, "transaction")
    return Transaction(
        transaction_id=fields.integer("transaction_id"),
        chargepoint_id=fields.text("chargepoint_id"),
        socket_id=fields.integer("socket_id"),
        chargepoint_type=fields.text("chargepoint_type"),
        evse_name=fields.text("evse_name"),
        started_at=fields.timestamp("started_at"),
        end_time=fields.timestamp("end_time"),
        kwh=fields.number("kwh"),
        card_id=fields.text("card_id"),
        card_name=fields.text("card_name"),
        total_costs=fields.number("total_costs"),
        total_costs_ex_vat=fields.number("total_costs_ex_vat"),
        reimbursement_tariff_ex_vat=fields.number("reimbursement_tariff_ex_vat"),
        vat=fields.number("vat"),
        currency=fields.text("currency"),
        reason_no_settlement=fields.text("reason_no_settlement"),
        extra=fields.extra(),
    )


@_guard
def parse_transaction_page(body: object) -> TransactionPage:
    """Parse ``gettransactions``: the page inside ``data``."""
    outer = _Fields(body, "gettransactions")
    fields = _Fields(outer.mapping("data"), "gettransactions data")
    return TransactionPage(
        current_page=fields.integer("current_page"),
        next_page=fields.integer("next_page"),
        max_per_page=fields.integer("max_per_page"),
        total_pages=fields.integer("total_pages"),
        total_transactions=fields.integer("total_transactions"),
        transactions=tuple(parse_transaction(item) for item in fields.items("transactions")),
        extra=fields.extra(),
    )


@_guard
def parse_action_result(frame: object) -> ActionResult:
    """Parse a ``RECEIVED_*`` / ``STATUS_*`` frame."""
    fields = _Fields(frame, "action reply", ignore=())
    result = fields.mapping("result")
    return ActionResult(
        command=fields.required_text("object"),
        evse_id=fields.text("evse_id"),
        success=bool(fields.flag("success")),
        error=fields.text("error"),
        flow_id=fields.text("flow_id"),
        result=dict(result) if result is not None else {},
        extra=fields.extra(),
    )

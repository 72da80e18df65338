"""The simulated account as plain, mutable dataclasses: what the cloud knows, no rules.

Tests read and change these directly; the rules that keep them consistent live in `model.py` and
the modules it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")
NO_CARD = "BCU-APP"
HOME_USE = "BCU_HOME_USE"
DEFAULT_START = datetime(2026, 3, 2, 12, 0, tzinfo=TZ)
FIRST_EVSE_NUMBER = 100001
# The household load of the first grid, amps per phase, when nothing charges.
BASE_LOAD = (0.8, 1.4, 0.6)

# Where generated accounts, charge points and grids are (city, postcode).
CITIES = (
    ("Utrecht", "3526KS"),
    ("Amsterdam", "1011AB"),
    ("Arnhem", "6811AA"),
    ("Delft", "2611AB"),
)


@dataclass
class Card:
    """A charge card; `valid` False models a blocked or expired card."""

    uid: str
    id: str
    name: str
    customer_name: str
    valid: bool = True
    date_created: date = date(2023, 6, 27)
    date_modified: date = date(2023, 7, 11)
    date_became_invalid: date | None = None


@dataclass
class Contract:
    """A subscription contract as `getcontracts` lists it."""

    contract_id: str
    contact_email: str
    subscription_type: str = "BASIS"
    beneficiary_name: str = "Demo User"
    iban_beneficiary: str = "NL00DEMO0123456789"


@dataclass
class Address:
    """Postal address of a grid connection."""

    street: str = "Teststraat"
    housenumber: str = "1"
    postal_code: str = "1234AB"
    city: str = "Utrecht"
    country: str = "NL"
    region: str = ""


@dataclass
class GridConnection:
    """A grid connection as `getgrids` lists it."""

    id: str
    smart_charging: bool = True
    address: Address = field(default_factory=Address)


@dataclass
class GridState:
    """Live grid currents (amps per phase) behind GRID_STATUS and GRID_CURRENT."""

    id: str
    actual_p1: float = 1.0
    actual_p2: float = 2.0
    actual_p3: float = 3.0
    grid_max_install: float = 25
    grid_max_reserved: float = 25
    # Household load without any charging, amps per phase.
    base_load: tuple[float, float, float] = BASE_LOAD


@dataclass
class Location:
    """Where a charge point stands."""

    x_coord: float = 52.0907
    y_coord: float = 5.1214
    street: str = "Teststraat"
    housenumber: str = "1"
    zipcode: str = "1234AB"
    city: str = "Utrecht"
    country: str = "NL"


@dataclass
class Tariff:
    """Price per kWh; sessions cost `start_price_in_vat + kwh * price_in_vat`."""

    tariff_id: str = "NLBCUT58"
    price_ex_vat: float = 0.2
    start_price_ex_vat: float = 0.0
    price_in_vat: float = 0.242
    start_price_in_vat: float = 0.0
    currency: str = "EUR"
    vat_percentage: int = 21


@dataclass
class DelayedCharging:
    """Delayed-charging profile; the schedule fields exist once one was saved."""

    value: bool = False
    start_time: str | None = None
    end_time: str | None = None
    days: list[int] = field(default_factory=list)


@dataclass
class PriceBasedCharging:
    """Price-based profile; its settings are only sent while it is enabled.

    The battery fields are what bluecurrent-api's PATCH sends; the protocol shows no read-back
    for them, so they are kept here only.
    """

    value: bool = False
    expected_leave_time: str = "07:00"
    expected_kwh: float = 25.0
    minimum_kwh: float = 10.0
    battery_size_kwh: float | None = None
    current_battery_pct: float | None = None
    minimum_pct: float | None = None


@dataclass
class CapacityTariff:
    """Capacity-tariff limit in kWh."""

    value: bool = False
    max_kwh: float | None = None


def _default_permissions() -> dict[str, str]:
    return {
        "plug_and_charge": "write",
        "public_charging": "write",
        "plug_and_charge_notification": "write",
        "led_interaction": "read",
        "led_intensity": "none",
        "publish_location": "write",
        "delayed_charging": "write",
        "price_based_charging": "write",
        "capacity_tariff": "write",
        "tariff": "write",
        # Not on the wire (the protocol shows no field for it); guards the override schedules.
        "override_current": "write",
    }


@dataclass
class Session:
    """A running charge session on one socket."""

    socket_id: int
    card: Card | None
    started_at: datetime
    kwh: float = 0.0
    cost: float = 0.0
    currents: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    voltages: list[float] = field(default_factory=lambda: [230.0, 230.0, 230.0])
    boosting: bool = False
    # Which profile the boost overrides ("delayed" or "price"); switching it off ends the boost.
    boosted_profile: str | None = None


@dataclass
class Transaction:
    """A completed session, as `gettransactions` pages through them."""

    transaction_id: int
    chargepoint_id: str
    socket_id: int
    chargepoint_type: str
    evse_name: str | None
    started_at: datetime
    end_time: datetime
    kwh: float
    card_id: str
    card_name: str | None
    total_costs: float
    total_costs_ex_vat: float
    reimbursement_tariff_ex_vat: float = 0.25
    vat: int = 21
    currency: str = "EUR"
    reason_no_settlement: str | None = None


@dataclass
class ChargePointState:
    """One charge point: identity, settings (with permissions), live status and history."""

    evse_id: str
    name: str = ""
    model_type: str = "H:MOVE-C32T2"
    chargepoint_type: str = "HIDDEN"
    is_cable: bool = True
    socket_ids: list[int] = field(default_factory=lambda: [1])
    grid_id: str = ""
    enabled: bool = True
    online: bool = True
    offline_since: datetime | None = None
    plug_and_charge: bool = True
    public_charging: bool = False
    plug_and_charge_notification: bool = False
    led_interaction: bool = False
    led_intensity: int = 0
    publish_location: bool = False
    smart_charging: bool = True
    smart_charging_dynamic: bool = True
    delayed_charging: DelayedCharging = field(default_factory=DelayedCharging)
    price_based_charging: PriceBasedCharging = field(default_factory=PriceBasedCharging)
    capacity_tariff: CapacityTariff = field(default_factory=CapacityTariff)
    plug_and_charge_card_uid: str | None = None
    default_card_uid: str | None = None
    preferred_card_uid: str | None = None
    permissions: dict[str, str] = field(default_factory=_default_permissions)
    tariff: Tariff = field(default_factory=Tariff)
    location: Location = field(default_factory=Location)
    max_usage: float = 20
    smartcharging_max_usage: float = 6
    max_offline: float = 10
    # The override current in force at `sim.now` (amps), kept up to date by the model.
    override_limit: float | None = None
    session: Session | None = None
    last_start: dict[int, datetime] = field(default_factory=dict)
    last_stop: dict[int, datetime] = field(default_factory=dict)
    last_cost: dict[int, float] = field(default_factory=dict)
    transactions: list[Transaction] = field(default_factory=list)
    soft_resets: int = 0
    reboots: int = 0
    unlocks: int = 0

    @property
    def activity(self) -> str:
        """The activity the cloud reports; offline wins over blocked, blocked over charging."""
        if not self.online:
            return "offline"
        if not self.enabled:
            return "unavailable"
        return "charging" if self.session is not None else "available"

    def socket_activity(self, socket_id: int) -> str:
        """Activity of one socket: only the socket with the session is charging."""
        activity = self.activity
        session = self.session
        if activity == "charging" and session is not None and session.socket_id != socket_id:
            return "available"
        return activity


@dataclass
class OverrideSchedule:
    """A user override-current schedule (LIST/POST_*_OVERRIDE_CURRENT), repeating weekly."""

    schedule_id: int
    chargepoints: list[str]
    override_start_time: str
    override_start_days: list[str]
    override_end_time: str
    override_end_days: list[str]
    override_value: float


@dataclass
class Account:
    """The customer: profile, cards, contracts, grids and charge points."""

    customer_id: str
    login: str
    full_name: str = "Demo User"
    email: str | None = None
    tel: str = ""
    should_reset_password: bool = False
    developer_mode_enabled: bool = True
    marketing_target: str = "bluecurrent"
    first_login_app: str = "2020-01-15T13:33:52"
    hubspot_user_identity: str = "simulated-hubspot-identity"
    cards: list[Card] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    grids: list[GridConnection] = field(default_factory=list)
    charge_points: dict[str, ChargePointState] = field(default_factory=dict)
    override_schedules: list[OverrideSchedule] = field(default_factory=list)

"""Stateful model of one Blue Current account: pure data and rules, no I/O.

The server turns this state into wire frames (see `wire.py`); tests read and change the dataclasses
directly, so everything here is plain and mutable.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
import random
from typing import Literal
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Amsterdam")
NO_CARD = "BCU-APP"
HOME_USE = "BCU_HOME_USE"
DEFAULT_START = datetime(2026, 3, 2, 12, 0, tzinfo=TZ)
FIRST_EVSE_NUMBER = 100001

_NAMES = ("Oprit", "Garage", "Carport", "Voordeur", "Achtertuin", "Kantoor", "Schuur", "Werkplaats")
_CITIES = (
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
    """Price-based profile; its settings are only sent while it is enabled."""

    value: bool = False
    expected_leave_time: str = "07:00"
    expected_kwh: float = 25.0
    minimum_kwh: float = 10.0


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
    """A user override-current schedule (LIST/POST_*_OVERRIDE_CURRENT)."""

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


ActionResult = Literal["success", "rejected", "timeout"]


@dataclass
class Faults:
    """Switches the tests flip to make the cloud misbehave (see README.md)."""

    reject_credentials: bool = False
    request_limit: bool = False
    reply_delay: float = 0.0
    silent_commands: set[str] = field(default_factory=set)
    malformed_frames: int = 0
    unknown_frames: int = 0
    rest_errors: int = 0
    action_result: ActionResult = "success"
    forbid_evse: set[str] = field(default_factory=set)
    command_errors: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass
class Stats:
    """Counters so tests can check request budgets (e.g. requests per hour)."""

    ws_commands: Counter[str] = field(default_factory=Counter)
    rest_requests: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    logins: int = 0
    frames_sent: int = 0
    # Websocket pings received (keepalive frames are load on the cloud too).
    pings: int = 0

    def reset(self) -> None:
        """Start counting from zero, e.g. after set-up traffic."""
        self.ws_commands.clear()
        self.rest_requests.clear()
        self.connections = self.logins = self.frames_sent = 0
        self.pings = 0


def _r(value: float, digits: int = 2) -> float:
    return round(value, digits)


class Model:
    """The account plus simulated time; every rule that changes state lives here."""

    def __init__(
        self,
        *,
        charge_points: int,
        username: str,
        seed: int,
        charging: int,
        start: datetime | None = None,
    ) -> None:
        """Build a deterministic account for `seed`."""
        self.rng = random.Random(seed)
        self.now = (start or DEFAULT_START).astimezone(TZ).replace(microsecond=0)
        self._next_transaction_id = 1
        self._next_evse_number = FIRST_EVSE_NUMBER
        rng = self.rng
        customer_id = str(1000000 + rng.randrange(9000000))
        self.account = Account(customer_id=customer_id, login=username, email=username)
        full_name = self.account.full_name
        self.account.cards = [
            Card(self._uid(), self._card_id(), "Demo Card", full_name),
            Card(self._uid(), self._card_id(), "Second Card", full_name, True, date(2024, 2, 1)),
            Card(
                self._uid(),
                self._card_id(),
                "Old Card",
                full_name,
                valid=False,
                date_became_invalid=date(2025, 1, 31),
            ),
        ]
        self.account.contracts = [Contract(f"BCU{rng.randrange(10**7, 10**8)}", username)]
        first = f"BCU{FIRST_EVSE_NUMBER}"
        self.account.grids = [GridConnection(id=f"GRID-{first}")]
        self.grid = GridState(id=f"GRID-{first}")
        for index in range(charge_points):
            two_sockets = charge_points >= 2 and index == charge_points - 1
            cp = self.new_charge_point(
                socket_ids=[1, 2] if two_sockets else [1],
                history=30 if index == 0 else rng.randint(3, 8),
            )
            if index < charging:
                self._start_default_session(cp)
        self.recompute_grid()

    # -- construction -------------------------------------------------------------------------

    def _uid(self) -> str:
        return "".join(self.rng.choice("0123456789ABCDEF") for _ in range(12))

    def _card_id(self) -> str:
        return f"NL-BCU-{self.rng.randrange(100000, 999999)}-{self.rng.randrange(10)}"

    def next_evse_id(self) -> str:
        """Pick the next free evse id in the BCU1000xx series."""
        while f"BCU{self._next_evse_number}" in self.account.charge_points:
            self._next_evse_number += 1
        return f"BCU{self._next_evse_number}"

    def new_charge_point(
        self,
        evse_id: str | None = None,
        *,
        name: str | None = None,
        socket_ids: list[int] | None = None,
        model_type: str | None = None,
        history: int = 0,
    ) -> ChargePointState:
        """Create and register a charge point with `history` past transactions."""
        rng = self.rng
        evse_id = evse_id or self.next_evse_id()
        sockets = list(socket_ids or [1])
        if model_type is None:
            model_type = "H:NANOXL-2X22" if len(sockets) > 1 else "H:MOVE-C32T2"
        city, zipcode = rng.choice(_CITIES)
        valid = [card for card in self.account.cards if card.valid]
        default_uid = valid[0].uid if valid else None
        cp = ChargePointState(
            evse_id=evse_id,
            name=name if name is not None else f"{rng.choice(_NAMES)} {evse_id[-3:]}",
            model_type=model_type,
            socket_ids=sockets,
            location=Location(city=city, zipcode=zipcode, housenumber=str(rng.randint(1, 200))),
            default_card_uid=default_uid,
            preferred_card_uid=default_uid,
            max_usage=rng.choice((16, 20, 25)),
        )
        self.account.charge_points[evse_id] = cp
        self._add_history(cp, history)
        return cp

    def _add_history(self, cp: ChargePointState, count: int) -> None:
        rng = self.rng
        cards: list[Card | None] = [card for card in self.account.cards if card.valid]
        cards.append(None)
        end = self.now - timedelta(hours=rng.randint(2, 20))
        entries = []
        for _ in range(count):
            started = end - timedelta(minutes=rng.randint(30, 300))
            entries.append((started, end, rng.choice(cards), rng.choice(cp.socket_ids)))
            end = started - timedelta(hours=rng.randint(4, 40))
        for started, ended, card, socket_id in reversed(entries):
            kwh = _r(rng.uniform(2.0, 30.0), 3)
            self._record(cp, socket_id=socket_id, card=card, started=started, ended=ended, kwh=kwh)

    def _record(
        self,
        cp: ChargePointState,
        *,
        socket_id: int,
        card: Card | None,
        started: datetime,
        ended: datetime,
        kwh: float,
    ) -> Transaction:
        tariff = cp.tariff
        transaction = Transaction(
            transaction_id=self._next_transaction_id,
            chargepoint_id=cp.evse_id,
            socket_id=socket_id,
            chargepoint_type=cp.chargepoint_type,
            evse_name=cp.name or None,
            started_at=started,
            end_time=ended,
            kwh=kwh,
            card_id=card.id if card else NO_CARD,
            card_name=card.name if card else None,
            total_costs=_r(tariff.start_price_in_vat + kwh * tariff.price_in_vat),
            total_costs_ex_vat=_r(tariff.start_price_ex_vat + kwh * tariff.price_ex_vat),
            vat=tariff.vat_percentage,
            currency=tariff.currency,
        )
        self._next_transaction_id += 1
        cp.transactions.append(transaction)
        cp.last_start[socket_id] = started
        cp.last_stop[socket_id] = ended
        cp.last_cost[socket_id] = transaction.total_costs
        return transaction

    def _start_default_session(self, cp: ChargePointState) -> None:
        valid = [card for card in self.account.cards if card.valid]
        session = self.start_session(cp, valid[0] if valid else None)
        session.started_at = self.now - timedelta(minutes=45)
        cp.last_start[session.socket_id] = session.started_at
        session.kwh = 3.2
        session.cost = _r(cp.tariff.start_price_in_vat + session.kwh * cp.tariff.price_in_vat)

    # -- lookups ------------------------------------------------------------------------------

    def find_card(self, ref: str) -> Card | None:
        """Find a card by uid or id (what START_SESSION's `session_token` may carry)."""
        wanted = ref.strip().upper()
        for card in self.account.cards:
            if wanted in (card.uid.upper(), card.id.upper()):
                return card
        return None

    def card_by_uid(self, uid: str | None) -> Card | None:
        """Resolve a stored uid to its card, if that still exists."""
        return self.find_card(uid) if uid else None

    # -- rules --------------------------------------------------------------------------------

    def start_session(
        self, cp: ChargePointState, card: Card | None, socket_id: int | None = None
    ) -> Session:
        """Start charging on `socket_id` (default: the first socket)."""
        socket = socket_id if socket_id in cp.socket_ids else cp.socket_ids[0]
        phases = [_r(self.rng.uniform(9.5, 10.5), 1) for _ in range(3)]
        session = Session(
            socket_id=socket,
            card=card,
            started_at=self.now,
            cost=cp.tariff.start_price_in_vat,
            currents=phases,
            voltages=[_r(self.rng.uniform(228, 232), 1) for _ in range(3)],
        )
        cp.session = session
        cp.last_start[socket] = self.now
        cp.last_stop.pop(socket, None)
        self.recompute_grid()
        return session

    def stop_session(self, cp: ChargePointState) -> Transaction | None:
        """End the running session and book it as a transaction."""
        session = cp.session
        if session is None:
            return None
        cp.session = None
        transaction = self._record(
            cp,
            socket_id=session.socket_id,
            card=session.card,
            started=session.started_at,
            ended=self.now,
            kwh=_r(session.kwh, 3),
        )
        self.recompute_grid()
        return transaction

    def set_online(self, cp: ChargePointState, online: bool) -> None:
        """Stamp `offline_since` when going offline; clear it when back."""
        cp.online = online
        cp.offline_since = None if online else self.now

    def advance(self, seconds: float) -> list[ChargePointState]:
        """Move time; returns the charge points whose session progressed."""
        self.now += timedelta(seconds=seconds)
        hours = max(seconds, 0.0) / 3600
        changed = []
        for cp in self.account.charge_points.values():
            session = cp.session
            if session is None or cp.activity != "charging":
                continue
            limit = float(cp.max_usage)
            session.currents = [
                _r(min(limit, max(6.0, current + self.rng.uniform(-0.3, 0.3))), 1)
                for current in session.currents
            ]
            session.voltages = [
                _r(min(235.0, max(225.0, volt + self.rng.uniform(-0.5, 0.5))), 1)
                for volt in session.voltages
            ]
            pairs = zip(session.currents, session.voltages, strict=True)
            power_kw = sum(i * v for i, v in pairs) / 1000
            session.kwh += power_kw * hours
            session.cost = _r(cp.tariff.start_price_in_vat + session.kwh * cp.tariff.price_in_vat)
            changed.append(cp)
        self.recompute_grid()
        return changed

    def recompute_grid(self) -> None:
        """Grid load = a small household load plus every charging session."""
        load = [0.8, 1.4, 0.6]
        for cp in self.account.charge_points.values():
            if cp.session is not None and cp.activity == "charging":
                load = [a + b for a, b in zip(load, cp.session.currents, strict=True)]
        self.grid.actual_p1, self.grid.actual_p2, self.grid.actual_p3 = (_r(x, 1) for x in load)

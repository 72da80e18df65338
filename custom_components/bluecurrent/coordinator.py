"""One Blue Current cloud connection per config entry, fed by pushes and a slow poll."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    BlueCurrentClient,
    BlueCurrentError,
    ChargeCard,
    ChargePoint,
    ChargePointStatus,
    ConnectionEvent,
    Event,
    GridEvent,
    GridStatus,
    InvalidCredentialsError,
    RequestLimitReachedError,
    SettingsEvent,
    StatusEvent,
    Sustainability,
    Transaction,
)
from .const import DOMAIN, LOGGER, POLL_INTERVAL, TRANSACTION_INTERVAL
from .helpers import reset_text
from .ledger import Ledger, read_transactions

GRID_CONTEXT = "grid"
ACCOUNT_CONTEXT = "account"
STORAGE_VERSION = 1
# Per-charge-point requests at once, so a large account does not burst the cloud.
MAX_CONCURRENT_REQUESTS = 4


@dataclass(kw_only=True)
class BlueCurrentRuntimeData:
    """What a loaded config entry keeps: the client and the coordinator that uses it."""

    client: BlueCurrentClient
    coordinator: BlueCurrentCoordinator


type BlueCurrentConfigEntry = ConfigEntry[BlueCurrentRuntimeData]


@dataclass(slots=True)
class ChargePointData:
    """Everything known about one charge point; updated in place by pushes."""

    info: ChargePoint
    statuses: dict[int, ChargePointStatus] = field(default_factory=dict)
    ledger: Ledger | None = None

    @property
    def latest_transaction(self) -> Transaction | None:
        """The newest completed transaction."""
        return self.ledger.latest if self.ledger is not None else None

    @property
    def socket_ids(self) -> tuple[int, ...]:
        """Sockets of the charge point; one unless the cloud lists more."""
        if self.info.socket_ids:
            return tuple(self.info.socket_ids)
        return (self.info.socket_id or 1,)

    @property
    def status(self) -> ChargePointStatus | None:
        """Status of the first socket, which the charge point's own entities show."""
        return self.statuses.get(self.socket_ids[0])

    @property
    def currency(self) -> str | None:
        """Currency of the tariff, else of the transactions."""
        if self.info.tariff is not None and self.info.tariff.currency:
            return self.info.tariff.currency
        if self.ledger is not None and self.ledger.currency:
            return self.ledger.currency
        return None

    def _running(self) -> list[ChargePointStatus]:
        """Sessions whose energy is not in the ledger yet."""
        if self.ledger is None:
            return []
        running = []
        for socket, status in self.statuses.items():
            started = status.start_datetime
            if started is None:
                continue
            counted = self.ledger.last_start.get(socket)
            if counted is None or started > counted:
                running.append(status)
        return running

    @property
    def lifetime_energy(self) -> float | None:
        """Completed transactions plus the running session's energy."""
        if self.ledger is None:
            return None
        return self.ledger.energy + sum(s.actual_kwh or 0.0 for s in self._running())

    @property
    def lifetime_cost(self) -> float | None:
        """Completed transactions plus the running session's cost."""
        if self.ledger is None:
            return None
        return self.ledger.cost + sum(s.total_cost or 0.0 for s in self._running())


@dataclass(slots=True)
class BlueCurrentData:
    """The account as the entities see it."""

    charge_points: dict[str, ChargePointData] = field(default_factory=dict)
    cards: list[ChargeCard] = field(default_factory=list)
    grid: GridStatus | None = None
    sustainability: Sustainability | None = None


def merge_known[T](old: T, new: T) -> T:
    """Overlay the fields a partial update carries onto what is known."""
    changes = {
        f.name: value
        for f in fields(new)  # type: ignore[arg-type]
        if (value := getattr(new, f.name)) not in (None, ()) and f.name != "extra"
    }
    return replace(old, **changes)  # type: ignore[type-var]


def session_ended(before: ChargePointStatus | None, after: ChargePointStatus) -> bool:
    """Whether a status change closed a session, so a new transaction exists."""
    if before is None:
        return False
    if before.activity == "charging" and after.activity != "charging":
        return True
    return after.stop_datetime is not None and after.stop_datetime != before.stop_datetime


class BlueCurrentCoordinator(DataUpdateCoordinator[BlueCurrentData]):
    """Keeps the websocket's pushes and a slow poll in one data object.

    Pushes notify only the entities of the charge point they concern (by listener context),
    so a large account does not rewrite every state for each pushed status.
    """

    config_entry: BlueCurrentConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: BlueCurrentConfigEntry, client: BlueCurrentClient
    ) -> None:
        """Prepare the coordinator; nothing is fetched yet."""
        super().__init__(
            hass, LOGGER, config_entry=entry, name=DOMAIN, update_interval=POLL_INTERVAL
        )
        self.client = client
        self.connected = True
        self.data = BlueCurrentData()
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.ledger"
        )
        self._ledgers_loaded = False
        self._save_pending = False
        self._stored_ledgers: dict[str, Ledger] = {}
        self._need_statuses: set[str] = set()
        self._transactions_due: set[str] = set()
        self._transactions_at: datetime | None = None
        self._limit_until: datetime | None = None
        self._fetch_lock = asyncio.Lock()
        self._poll_lock = asyncio.Lock()
        self._context_listeners: dict[object, dict[int, CALLBACK_TYPE]] = {}
        self._listener_seq = 0
        self._transaction_debouncer: Debouncer[Any] = Debouncer(
            hass,
            LOGGER,
            cooldown=5,
            immediate=False,
            function=self._async_fetch_due_transactions,
            background=True,
        )
        self._unsub_events: Callable[[], None] | None = None

    # Listener bookkeeping -------------------------------------------------

    @callback
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for updates, indexed by context for targeted push updates."""
        remove = super().async_add_listener(update_callback, context)
        self._listener_seq += 1
        seq = self._listener_seq
        self._context_listeners.setdefault(context, {})[seq] = update_callback

        @callback
        def _remove() -> None:
            remove()
            listeners = self._context_listeners.get(context)
            if listeners is not None:
                listeners.pop(seq, None)
                if not listeners:
                    del self._context_listeners[context]

        return _remove

    @callback
    def async_update_context(self, context: object) -> None:
        """Update the entities of the grid or the account."""
        for update_callback in list(self._context_listeners.get(context, {}).values()):
            update_callback()

    @callback
    def async_update_point(self, evse_id: str, *, status_only: bool = False) -> None:
        """Update the entities of one charge point; for a status push only those reading it."""
        self.async_update_context((evse_id, True))
        if not status_only:
            self.async_update_context((evse_id, False))

    # Lifecycle -------------------------------------------------------------

    @callback
    def async_start_push(self) -> None:
        """Start taking the client's pushed events."""
        self._unsub_events = self.client.subscribe(self._handle_event)

    async def async_shutdown(self) -> None:
        """Stop pushes, timers and pending saves."""
        if self._unsub_events is not None:
            self._unsub_events()
            self._unsub_events = None
        self._transaction_debouncer.async_shutdown()
        if self._save_pending:
            # A reload reads the store at once; the delayed save would come too late.
            await self._store.async_save(self._ledgers_data())
        await super().async_shutdown()

    # Polling ----------------------------------------------------------------

    async def _async_update_data(self) -> BlueCurrentData:
        """Fetch what the cloud does not push; statuses only when pushes may be missing."""
        if not self.connected:
            # The client is reconnecting and a refresh follows once it is back. A poll now
            # could only wait for it, fail and report the outage a second time.
            return self.data
        if self._limit_until is not None:
            if dt_util.utcnow() < self._limit_until:
                raise UpdateFailed(
                    translation_domain=DOMAIN,
                    translation_key="limit_reached",
                    translation_placeholders={"reset": reset_text(self._limit_until)},
                )
            self._limit_until = None
        try:
            # One fetch at a time: a refresh asked for by a push or a reconnect can meet the
            # scheduled poll, and both would fetch the same statuses.
            async with self._poll_lock:
                return await self._fetch()
        except InvalidCredentialsError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except RequestLimitReachedError as err:
            self._limit_until = err.reset_at
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="limit_reached",
                translation_placeholders={"reset": reset_text(err.reset_at)},
            ) from err
        except BlueCurrentError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": type(err).__name__},
            ) from err

    async def _fetch(self) -> BlueCurrentData:
        if not self._ledgers_loaded:
            await self._load_ledgers()
        data = self.data
        points = await self.client.get_charge_points()
        data.cards = await self.client.get_charge_cards()
        data.sustainability = await self.client.get_sustainability_status()

        current = {point.evse_id: point for point in points}
        removed = set(data.charge_points) - set(current)
        for evse_id in removed:
            del data.charge_points[evse_id]
        for evse_id, point in current.items():
            known = data.charge_points.get(evse_id)
            if known is None:
                data.charge_points[evse_id] = self._new_point(point)
                self._need_statuses.add(evse_id)
                self._transactions_due.add(evse_id)
            else:
                known.info = point
        if removed:
            self._remove_devices(removed)

        if current:
            data.grid = await self.client.get_grid_status(next(iter(current)))
        await self._fetch_statuses(data)

        now = dt_util.utcnow()
        if self._transactions_at is None or now - self._transactions_at >= TRANSACTION_INTERVAL:
            self._transactions_due.update(data.charge_points)
            self._transactions_at = now
        if self._transactions_due:
            # Outside the poll: the history can take several pages, and a failure to read it
            # must not make every entity unavailable.
            self.config_entry.async_create_background_task(
                self.hass, self._async_fetch_due_transactions(), "bluecurrent transactions"
            )
        return data

    async def _fetch_statuses(self, data: BlueCurrentData) -> None:
        """Fetch full statuses of new charge points and, after a reconnect, of all."""
        wanted = [e for e in self._need_statuses if e in data.charge_points]
        semaphore = asyncio.Semaphore(MAX_CONCURRENT_REQUESTS)

        async def fetch(evse_id: str) -> None:
            async with semaphore:
                statuses = await self.client.get_charge_point_statuses(evse_id)
            point = data.charge_points[evse_id]
            for status in statuses:
                point.statuses[status.socket_id or point.socket_ids[0]] = status

        await asyncio.gather(*(fetch(evse_id) for evse_id in wanted))
        self._need_statuses.difference_update(wanted)

    async def _fetch_transactions(self) -> None:
        """Count the new completed transactions of every due charge point, in one stream."""
        async with self._fetch_lock:
            points = self.data.charge_points
            due = self._transactions_due & points.keys()
            if not due:
                return
            self._transactions_due -= due
            try:
                ledgers = await read_transactions(
                    self.client, {evse_id: points[evse_id].ledger for evse_id in due}
                )
            except BlueCurrentError:
                self._transactions_due |= due
                raise
            for evse_id, ledger in ledgers.items():
                if (point := points.get(evse_id)) is not None:
                    point.ledger = ledger
            self._save_ledgers()

    @callback
    def _remove_devices(self, evse_ids: set[str]) -> None:
        """Forget devices of charge points that left the account."""
        wanted = {(DOMAIN, evse_id) for evse_id in evse_ids}
        registry = dr.async_get(self.hass)
        # The entry's own devices, not async_get_device (deprecated in 2026.8: identifiers are
        # unique per config entry only).
        for device in dr.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            if evse_id := next((i for d, i in device.identifiers if (d, i) in wanted), None):
                LOGGER.info("Charge point %s left the account; removing its device", evse_id)
                registry.async_update_device(
                    device.id, remove_config_entry_id=self.config_entry.entry_id
                )

    @callback
    def async_remove_stale_devices(self) -> None:
        """Remove devices of charge points that left while Home Assistant was off."""
        registry = dr.async_get(self.hass)
        # The account and grid devices are not charge points; evse ids need not start with BCU.
        known = {*self.data.charge_points, self.config_entry.entry_id}
        if self.data.grid is not None and self.data.grid.id:
            known.add(self.data.grid.id)
        for device in dr.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            for domain, identifier in device.identifiers:
                if domain == DOMAIN and identifier not in known:
                    self._remove_devices({identifier})

    # Ledger persistence ---------------------------------------------------

    async def _load_ledgers(self) -> None:
        stored = await self._store.async_load() or {}
        self._ledgers_loaded = True
        for evse_id, raw in stored.get("ledgers", {}).items():
            try:
                self._stored_ledgers[evse_id] = Ledger.from_dict(raw)
            except (KeyError, TypeError, ValueError, AttributeError):
                LOGGER.warning("Stored totals of %s are damaged; counting again", evse_id)

    def _new_point(self, info: ChargePoint) -> ChargePointData:
        """Track a newly seen charge point, with its stored totals if any."""
        return ChargePointData(info=info, ledger=self._stored_ledgers.pop(info.evse_id, None))

    @callback
    def _save_ledgers(self) -> None:
        self._save_pending = True
        self._store.async_delay_save(self._ledgers_data, 1)

    def _ledgers_data(self) -> dict[str, Any]:
        self._save_pending = False
        ledgers = {
            evse_id: point.ledger.as_dict()
            for evse_id, point in self.data.charge_points.items()
            if point.ledger is not None
        }
        return {"ledgers": ledgers}

    async def _async_fetch_due_transactions(self) -> None:
        """Fetch transactions in the background: at start-up, after a session, now and then."""
        try:
            await self._fetch_transactions()
        except BlueCurrentError as err:
            LOGGER.debug("Fetching transactions failed (%s); the next poll retries", type(err))
            return
        for evse_id in list(self.data.charge_points):
            self.async_update_point(evse_id)

    # Pushes ---------------------------------------------------------------

    @callback
    def _handle_event(self, event: Event) -> None:
        """Apply a pushed event and update only the entities it concerns."""
        if isinstance(event, StatusEvent):
            self._apply_status(event.evse_id, event.status)
        elif isinstance(event, SettingsEvent):
            point = self.data.charge_points.get(event.evse_id)
            if point is not None:
                # CH_SETTINGS always names the plug-and-charge card, with a pseudo card for
                # none, which the client reads as None: that None clears the card.
                point.info = replace(
                    merge_known(point.info, event.settings),
                    plug_and_charge_card=event.settings.plug_and_charge_card,
                )
                self.async_update_point(event.evse_id)
        elif isinstance(event, GridEvent):
            grid = self.data.grid
            self.data.grid = event.status if grid is None else merge_known(grid, event.status)
            self.async_update_context(GRID_CONTEXT)
        elif isinstance(event, ConnectionEvent):
            self._apply_connection(event)

    @callback
    def _apply_status(self, evse_id: str, status: ChargePointStatus) -> None:
        point = self.data.charge_points.get(evse_id)
        if point is None:
            # A charge point we do not know yet: the poll adds it with its device.
            self.hass.async_create_task(self.async_request_refresh())
            return
        socket = status.socket_id or point.socket_ids[0]
        before = point.statuses.get(socket)
        point.statuses[socket] = status
        if session_ended(before, status):
            self._transactions_due.add(evse_id)
            self._transaction_debouncer.async_schedule_call()
        self.async_update_point(evse_id, status_only=True)

    @callback
    def _apply_connection(self, event: ConnectionEvent) -> None:
        if event.connected:
            if not self.connected:
                LOGGER.info("Connection to the Blue Current cloud is back")
            self.connected = True
            # Pushes were missed while away: fetch every status again, and any session that
            # ended meanwhile.
            self._need_statuses.update(self.data.charge_points)
            self._transactions_due.update(self.data.charge_points)
            self.hass.async_create_task(self.async_request_refresh())
            return
        if self.connected:
            LOGGER.warning(
                "Lost the connection to the Blue Current cloud (%s); reconnecting",
                type(event.error).__name__ if event.error else "closed",
            )
        self.connected = False
        if isinstance(event.error, RequestLimitReachedError):
            self._limit_until = event.error.reset_at
        if isinstance(event.error, InvalidCredentialsError):
            self.config_entry.async_start_reauth(self.hass)
        self.async_update_listeners()

    @callback
    def async_apply_local(self, evse_id: str, **changes: Any) -> None:
        """Reflect a confirmed command at once, until the cloud pushes the new status.

        A blocked or unblocked charge point changes every socket, but the cloud pushes the
        status of one socket only; so "activity" applies to each socket it does not match yet.
        """
        point = self.data.charge_points.get(evse_id)
        if point is None:
            return
        if (activity := changes.pop("activity", None)) is not None:
            blocked = activity == "unavailable"
            for socket, status in point.statuses.items():
                if status.activity != "offline" and (status.activity == "unavailable") != blocked:
                    point.statuses[socket] = replace(status, activity=activity)
        if changes:
            point.info = replace(point.info, **changes)
        self.async_update_point(evse_id)

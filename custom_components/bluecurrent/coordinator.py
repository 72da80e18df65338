"""One Blue Current cloud connection per config entry: pushes live, a slow poll for the rest.

Data flows one way: the client's pushes and the poll's reads go into ``BlueCurrentData``, and
the entities of what changed are told. Reads are isolated (reads.py), pushes applied in push.py,
transactions read in the background (transactions.py), absent devices handled in devices.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api import (
    BlueCurrentClient,
    BlueCurrentError,
    ChargePoint,
    ConnectionEvent,
    Event,
    GridEvent,
    InvalidCredentialsError,
    RequestLimitReachedError,
    SettingsEvent,
    StatusEvent,
)
from .confirm import SettingsConfirmer
from .const import DOMAIN, LOGGER
from .data import BlueCurrentConfigEntry, BlueCurrentData, ChargePointData
from .devices import async_link_grids, async_track_absent
from .errors import error_key
from .limit import RequestLimit
from .listeners import ListenerIndex, grid_context, point_context
from .overrides import OverrideTracker
from .push import PushApplier
from .reads import AccountReader
from .scopes import Scope
from .settings import Settings, get_settings
from .storage import EntryStore, Stored
from .transactions import TransactionSync


class BlueCurrentCoordinator(DataUpdateCoordinator[BlueCurrentData]):
    """Keeps the websocket's pushes and a slow poll in one data object."""

    config_entry: BlueCurrentConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: BlueCurrentConfigEntry,
        client: BlueCurrentClient,
        store: EntryStore,
        stored: Stored,
    ) -> None:
        """Prepare the coordinator from what was stored; nothing is fetched yet."""
        self.settings: Settings = get_settings(hass)
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=DOMAIN,
            update_interval=self.settings.poll_interval,
        )
        self.client = client
        self.connected = client.connected
        self.data = BlueCurrentData(missing_since=dict(stored.missing_since))
        self._store = store
        self._stored_ledgers = dict(stored.ledgers)
        self._index = ListenerIndex()
        self._reader = AccountReader(client, self._new_point, self.settings.slow_interval)
        self.transactions = TransactionSync(
            hass,
            entry=entry,
            client=client,
            settings=self.settings,
            data=self.data,
            on_change=self._totals_changed,
            on_error=self.async_note_error,
        )
        self._push = PushApplier(
            self.data,
            settings=self.settings,
            update_point=self.async_update_point,
            update_grid=lambda grid_id: self._index.notify(grid_context(grid_id)),
            session_ended=self.transactions.async_session_ended,
            unknown_point=self._refresh_soon,
        )
        self.confirm = SettingsConfirmer(
            client, self._push, self.async_note_error, self._refresh_soon
        )
        self.overrides = OverrideTracker(hass, client, self.data, self.async_update_point)
        self.limit = RequestLimit(
            hass,
            entry_id=entry.entry_id,
            account=entry.title,
            until=stored.limited_until,
            on_change=self._save,
            on_reset=self._refresh_soon,
        )
        self._unsub_events: Callable[[], None] | None = None
        self._read_lock = asyncio.Lock()
        self._device_infos: dict[str, DeviceInfo] = {}

    # Listeners and devices ---------------------------------------------------

    def device_info(self, scope: Scope) -> DeviceInfo:
        """Describe a scope's device: one object for all of a device's entities, not one each."""
        key = scope.device_key
        if (info := self._device_infos.get(key)) is None:
            info = self._device_infos[key] = scope.device_info(self.data)
        return info

    @callback
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen for updates, indexed by context for targeted push updates."""
        remove = super().async_add_listener(update_callback, context)
        forget = self._index.add(context, update_callback)

        @callback
        def _remove() -> None:
            remove()
            forget()

        return _remove

    @callback
    def async_update_point(self, evse_id: str, status_only: bool = False) -> None:
        """Update a charge point's entities; for a status push only those reading it."""
        self._index.notify(point_context(evse_id, True))
        if not status_only:
            self._index.notify(point_context(evse_id, False))

    # Lifecycle -------------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Start taking the client's pushed events."""
        self._unsub_events = self.client.subscribe(self._handle_event)

    async def async_shutdown(self) -> None:
        """Stop pushes, timers and pending saves."""
        if self._unsub_events is not None:
            self._unsub_events()
            self._unsub_events = None
        self.transactions.async_shutdown()
        self.overrides.async_shutdown()
        self.limit.async_shutdown()
        await self._store.async_flush()
        await super().async_shutdown()

    # Polling ---------------------------------------------------------------

    async def _async_update_data(self) -> BlueCurrentData:
        """Read what the cloud does not push; a failed read blanks only what depends on it."""
        if not self.connected or self.limit.active:
            # Reconnecting (a refresh follows once back), or the cloud refuses requests until
            # the reset: nothing to send now.
            return self.data
        first = not self.data.charge_points
        now = dt_util.utcnow()
        # One round at a time: a refresh after a reconnect can meet the scheduled poll.
        async with self._read_lock:
            report = await self._reader.read(self.data, now)
        for err in report.errors:
            self.async_note_error(err)
        if any(isinstance(err, InvalidCredentialsError) for err in report.errors):
            raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="invalid_auth")
        if report.listed is None and first and not self.limit.active:
            # Nothing to show yet, and no reason to wait for a reset: let setup retry.
            key, placeholders = error_key(report.errors[0])
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders=placeholders,
            )
        if report.listed is not None and not any(
            isinstance(err, RequestLimitReachedError) for err in report.errors
        ):
            self.limit.async_clear()
        if (
            async_track_absent(
                self.hass,
                self.config_entry,
                self.data,
                now,
                self.settings.stale_after,
                points_read=report.listed,
                grids_read=report.grids_listed,
            )
            or report.new
        ):
            self._save()
        async_link_grids(self.hass, self.config_entry, self.data)
        self.overrides.async_schedule()
        self.transactions.async_due(report.new)
        self.transactions.async_start(now)
        return self.data

    @callback
    def _refresh_soon(self) -> None:
        self.hass.async_create_task(self.async_request_refresh())

    def _new_point(self, info: ChargePoint) -> ChargePointData:
        """Track a newly seen charge point, with its stored totals if any."""
        return ChargePointData(info=info, ledger=self._stored_ledgers.pop(info.evse_id, None))

    @callback
    def async_note_error(self, err: BlueCurrentError) -> None:
        """Learn from a failed request: the request limit, or credentials the cloud rejects."""
        if isinstance(err, RequestLimitReachedError):
            self.limit.async_seen(err.reset_at)

    # Persistence -----------------------------------------------------------

    @callback
    def _save(self) -> None:
        self._store.async_schedule_save(self._stored)

    def _stored(self) -> Stored:
        ledgers = dict(self._stored_ledgers)
        for evse_id, point in self.data.charge_points.items():
            if point.ledger is not None:
                ledgers[evse_id] = point.ledger
        return Stored(
            ledgers=ledgers,
            missing_since=dict(self.data.missing_since),
            limited_until=self.limit.until,
        )

    @callback
    def _totals_changed(self, evse_ids: set[str]) -> None:
        self._save()
        for evse_id in evse_ids:
            self.async_update_point(evse_id)

    # Pushes ----------------------------------------------------------------

    @callback
    def _handle_event(self, event: Event) -> None:
        """Apply a pushed event and update only the entities it concerns."""
        if isinstance(event, StatusEvent):
            self._push.status(event.evse_id, event.status)
        elif isinstance(event, SettingsEvent):
            self._push.settings(event.evse_id, event.settings)
        elif isinstance(event, GridEvent):
            self._push.grid(event.status)
        elif isinstance(event, ConnectionEvent):
            self._apply_connection(event)

    @callback
    def _apply_connection(self, event: ConnectionEvent) -> None:
        if event.connected:
            if not self.connected:
                LOGGER.info("Connection to the Blue Current cloud is back")
            self.connected = True
            self.limit.async_clear()
            # Pushes were missed while away: read every status again, and any session that
            # ended meanwhile.
            self._reader.need_statuses.update(self.data.charge_points)
            self.transactions.async_due(list(self.data.charge_points))
            # At once, not debounced: everything shown waits for this refresh.
            self.config_entry.async_create_background_task(
                self.hass, self.async_refresh(), "bluecurrent refresh after reconnect"
            )
            return
        if self.connected:
            LOGGER.warning(
                "Lost the connection to the Blue Current cloud (%s); reconnecting",
                type(event.error).__name__ if event.error else "closed",
            )
        self.connected = False
        if event.error is not None:
            self.async_note_error(event.error)
        if isinstance(event.error, InvalidCredentialsError):
            self.config_entry.async_start_reauth(self.hass)
        self.async_update_listeners()

    @callback
    def async_apply_confirmed(self, evse_id: str, **changes: Any) -> None:
        """Show a command's result once the cloud confirmed it, before its push arrives.

        Blocking or unblocking changes every socket, so "activity" applies to each socket that
        does not show it yet.
        """
        point = self.data.charge_points.get(evse_id)
        if point is None:
            return
        if (activity := changes.pop("activity", None)) is not None:
            blocked = activity == "unavailable"
            for socket in point.sockets.values():
                status = socket.status
                if status is None or status.activity == "offline":
                    continue
                if (status.activity == "unavailable") != blocked:
                    socket.status = replace(status, activity=activity)
        if changes:
            point.update_info(replace(point.info, **changes))
        self.async_update_point(evse_id)

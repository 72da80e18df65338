"""The daily request limit, as the user learns of it: a repair issue until it is over.

The client refuses to send anything before the reset; this keeps the reset time across reloads
and restarts (through the entry's store) and tells the user once, in Settings → Repairs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import DOMAIN, LOGGER
from .errors import reset_text

# Clocks differ: look again this long after the announced reset.
RESET_GRACE = timedelta(seconds=30)


def issue_id(entry_id: str) -> str:
    """Name the repair issue of one entry's request limit."""
    return f"request_limit_{entry_id}"


class RequestLimit:
    """Knows until when the cloud refuses this account's requests, and shows it."""

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        account: str,
        until: datetime | None,
        on_change: Callable[[], None],
        on_reset: Callable[[], None],
    ) -> None:
        """Start from what the store remembered; ``on_reset`` runs when the limit is over."""
        self._hass = hass
        self._entry_id = entry_id
        self._account = account
        self._on_change = on_change
        self._on_reset = on_reset
        self._unsub_reset: CALLBACK_TYPE | None = None
        self.until: datetime | None = None
        if until is not None and dt_util.utcnow() < until:
            self.async_seen(until)

    @property
    def active(self) -> bool:
        """Whether the cloud still refuses requests of this account."""
        return self.until is not None and dt_util.utcnow() < self.until

    @callback
    def async_seen(self, until: datetime) -> None:
        """Remember the reset of a refused request, tell the user, and wake up after it."""
        if self.until == until:
            return
        if self.until is None:
            LOGGER.warning("The Blue Current request limit is reached; waiting until %s", until)
        self.until = until
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            issue_id(self._entry_id),
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="request_limit",
            translation_placeholders={"account": self._account, "reset": reset_text(until)},
        )
        self._cancel_timer()
        self._unsub_reset = async_track_point_in_utc_time(
            self._hass, self._reset_due, until + RESET_GRACE
        )
        self._on_change()

    @callback
    def async_clear(self) -> None:
        """Forget the limit and remove the repair issue: requests go through again."""
        if self.until is None:
            return
        LOGGER.info("The Blue Current request limit is over")
        self.until = None
        self._cancel_timer()
        ir.async_delete_issue(self._hass, DOMAIN, issue_id(self._entry_id))
        self._on_change()

    @callback
    def async_shutdown(self) -> None:
        """Stop the reset timer; the issue stays until requests succeed again."""
        self._cancel_timer()

    @callback
    def _reset_due(self, _now: datetime) -> None:
        self._unsub_reset = None
        self._on_reset()

    def _cancel_timer(self) -> None:
        if self._unsub_reset is not None:
            self._unsub_reset()
            self._unsub_reset = None

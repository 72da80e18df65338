"""The daily request limit: once the cloud says it is reached, nothing is sent until it resets.

Each request made while the budget is spent would only be refused again and may delay the
cloud's patience further, so the gate refuses locally until ``limited_until``.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from .errors import RequestLimitReachedError, next_limit_reset
from .settings import ClientSettings


class LimitActiveError(RequestLimitReachedError):
    """Refused here, before sending: the limit met earlier has not reset yet."""


class LimitGate:
    """Remembers until when the budget is spent; raises at once for anything before that."""

    def __init__(self, settings: ClientSettings, limited_until: datetime | None) -> None:
        """Start from what an earlier client instance knew (None: not limited)."""
        if limited_until is not None and limited_until.utcoffset() is None:
            raise ValueError("limited_until must be timezone-aware")
        self._settings = settings
        self._until = limited_until

    @property
    def until(self) -> datetime | None:
        """When the budget resets, or None once that time has passed."""
        if self._until is not None and self._settings.now() >= self._until:
            self._until = None
        return self._until

    def check(self) -> None:
        """Raise ``RequestLimitReachedError`` while the budget is spent; send nothing."""
        until = self.until
        if until is not None:
            raise LimitActiveError(reset_at=until)

    def note(self, error: RequestLimitReachedError) -> None:
        """Take the cloud's word: blocked until the reset, by this client's clock.

        Met within ``limit_retry`` after midnight, the cloud's clock is likely behind ours, so
        it blocks only for ``limit_recheck``. The error's ``reset_at`` is made to agree. The
        gate's own refusals say nothing new and are ignored.
        """
        if isinstance(error, LimitActiveError):
            return
        settings = self._settings
        now = settings.now()
        reset = next_limit_reset(now)
        if now - (reset - timedelta(days=1)) < timedelta(seconds=settings.limit_retry):
            reset = now + timedelta(seconds=settings.limit_recheck)
        error.reset_at = reset
        self._until = reset

    async def wait(self, until: datetime) -> None:
        """Sleep until ``until`` plus the grace period, by the wall clock in short steps."""
        settings = self._settings
        when = until + timedelta(seconds=settings.limit_reset_grace)
        while True:
            remaining = (when - settings.now()).total_seconds()
            if remaining <= 0:
                return
            await asyncio.sleep(min(remaining, settings.limit_sleep_step))

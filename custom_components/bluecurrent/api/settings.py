"""Every tunable of the client in one immutable object: callers and tests inject, never patch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .const import (
    ACTION_TIMEOUT,
    API_URL,
    BACKOFF_INITIAL,
    BACKOFF_MAX,
    BCE_URL,
    EVENT_QUEUE_SIZE,
    HEARTBEAT,
    LIMIT_RECHECK,
    LIMIT_RESET_GRACE,
    LIMIT_RETRY,
    LIMIT_SLEEP_STEP,
    MAX_RELOGINS,
    RELOGIN_WINDOW,
    REQUEST_TIMEOUT,
    STABLE_PERIOD,
    TIMEZONE,
    WS_URL,
)


def amsterdam_now() -> datetime:
    """Read the wall clock in the cloud's time zone (the daily request limit resets by it)."""
    return datetime.now(TIMEZONE)


@dataclass(frozen=True, kw_only=True, slots=True)
class ClientSettings:
    """Where the cloud is and how patient, persistent and polite the client is. Times in seconds."""

    ws_url: str = WS_URL
    api_url: str = API_URL
    bce_url: str = BCE_URL
    #: Longest wait for a reply, and for a dropped connection to come back before a call fails.
    request_timeout: float = REQUEST_TIMEOUT
    #: Longest wait for a charge point's verdict on an action.
    action_timeout: float = ACTION_TIMEOUT
    #: Reconnect delay: doubles from ``backoff_initial`` up to ``backoff_max`` (with jitter).
    backoff_initial: float = BACKOFF_INITIAL
    backoff_max: float = BACKOFF_MAX
    #: Websocket ping interval; None sends no pings.
    heartbeat: float | None = HEARTBEAT
    #: Uptime after which the reconnect backoff starts over.
    stable_period: float = STABLE_PERIOD
    #: At most ``max_relogins`` re-logins per ``relogin_window``, if the cloud refuses tokens.
    max_relogins: int = MAX_RELOGINS
    relogin_window: float = RELOGIN_WINDOW
    #: Reconnect this long after the daily limit's reset (the cloud's clock may be behind).
    limit_reset_grace: float = LIMIT_RESET_GRACE
    #: A limit met this soon after midnight blocks for ``limit_recheck`` only, not a whole day.
    limit_retry: float = LIMIT_RETRY
    limit_recheck: float = LIMIT_RECHECK
    #: Longest single sleep while waiting for the reset, so a suspended host still wakes on time.
    limit_sleep_step: float = LIMIT_SLEEP_STEP
    #: Events an ``events()`` reader may fall behind before the oldest are dropped.
    event_queue_size: int = EVENT_QUEUE_SIZE
    #: The wall clock, aware; the daily limit is reckoned by it.
    now: Callable[[], datetime] = amsterdam_now


DEFAULT_SETTINGS = ClientSettings()

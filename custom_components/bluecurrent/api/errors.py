"""Typed errors, so callers can react to each failure without parsing messages.

No message built here ever contains a password, API token or session token.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from .const import TIMEZONE


class BlueCurrentError(Exception):
    """Base class of every error the client raises."""


class InvalidCredentialsError(BlueCurrentError):
    """The cloud rejected the username/password or the API token; retrying will not help."""


class InvalidSessionTokenError(BlueCurrentError):
    """The session token is invalid or expired and logging in again did not help."""


class ForbiddenError(BlueCurrentError):
    """The account may not do this, e.g. act on someone else's charge point."""


class CannotConnectError(BlueCurrentError):
    """The cloud could not be reached, dropped the connection or answered with a server error."""


class MalformedFrameError(BlueCurrentError):
    """A frame or response body did not have the expected shape."""


class RequestTimeoutError(BlueCurrentError, TimeoutError):
    """No reply arrived in time."""


def next_limit_reset(now: datetime | None = None) -> datetime:
    """Return the next midnight in Amsterdam, when the daily request budget resets."""
    current = (now or datetime.now(TIMEZONE)).astimezone(TIMEZONE)
    midnight = datetime.combine(current.date() + timedelta(days=1), datetime.min.time())
    return midnight.replace(tzinfo=TIMEZONE)


class RequestLimitReachedError(BlueCurrentError):
    """The daily request budget is used up; it resets at ``reset_at``."""

    def __init__(self, message: str = "Request limit reached", reset_at: datetime | None = None):
        super().__init__(message)
        self.reset_at: datetime = reset_at or next_limit_reset()


class ApiError(BlueCurrentError):
    """An ERROR frame or error response that no more specific class covers."""

    def __init__(self, code: int | None, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"Error {self.code}: {self.message}" if self.code is not None else self.message


class Verdict(Protocol):
    """What an error needs of an ``ActionResult``; a Protocol, so errors never import models."""

    @property
    def command(self) -> str:
        """The frame's object name, e.g. ``STATUS_SOFT_RESET``."""
        ...

    @property
    def error(self) -> str | None:
        """The cloud's reason for a failure."""
        ...


class ActionRejectedError(BlueCurrentError):
    """The cloud or the charge point answered an action with ``success: false``."""

    def __init__(self, message: str, result: Verdict | None = None, reason: str | None = None):
        super().__init__(message)
        #: The ``ActionResult`` of a websocket verdict; None for a REST rejection.
        self.result = result
        #: The cloud's own words, e.g. "REJECTED" or "TIMEOUT"; None if it gave none.
        self.reason = reason if reason is not None else (result.error if result else None)

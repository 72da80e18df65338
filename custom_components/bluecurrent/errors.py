"""Every client error turned into what Home Assistant shows, in one place.

Actions and entity commands raise translated ``HomeAssistantError``; setup raises
``ConfigEntryAuthFailed``/``ConfigEntryNotReady``; the config flow shows a form error key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
import functools
from typing import Any

from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.util import dt as dt_util

from .api import (
    ActionRejectedError,
    BlueCurrentError,
    CannotConnectError,
    ForbiddenError,
    InvalidCredentialsError,
    RequestLimitReachedError,
    RequestTimeoutError,
)
from .const import DOMAIN


def reset_text(when: datetime) -> str:
    """When the request limit resets, in local time, as messages show it."""
    return dt_util.as_local(when).strftime("%Y-%m-%d %H:%M")


def error_key(err: BlueCurrentError) -> tuple[str, dict[str, str]]:
    """Return the translation key and placeholders that explain a client error."""
    if isinstance(err, ActionRejectedError):
        return "command_rejected", {"error": err.reason or "rejected"}
    if isinstance(err, RequestLimitReachedError):
        return "limit_reached", {"reset": reset_text(err.reset_at)}
    if isinstance(err, InvalidCredentialsError):
        return "invalid_auth", {}
    if isinstance(err, ForbiddenError):
        return "forbidden", {}
    if isinstance(err, RequestTimeoutError):
        return "timeout", {}
    if isinstance(err, CannotConnectError):
        return "communication_error", {"error": type(err).__name__}
    return "unknown_error", {"error": type(err).__name__}


def translate_error(err: BlueCurrentError) -> HomeAssistantError:
    """Make the translated error of an action or entity command."""
    key, placeholders = error_key(err)
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def setup_error(err: BlueCurrentError) -> ConfigEntryAuthFailed | ConfigEntryNotReady:
    """Make what setup raises: reauthentication for rejected credentials, else a retry."""
    key, placeholders = error_key(err)
    if isinstance(err, InvalidCredentialsError):
        return ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key=key)
    if isinstance(err, CannotConnectError | RequestTimeoutError):
        key, placeholders = "cannot_connect", {"error": type(err).__name__}
    return ConfigEntryNotReady(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def flow_error(err: BaseException) -> tuple[str, dict[str, str]]:
    """Return the config flow's form error and placeholders for a failed login."""
    if isinstance(err, InvalidCredentialsError):
        return "invalid_auth", {}
    if isinstance(err, RequestLimitReachedError):
        return "limit_reached", {"reset": dt_util.as_local(err.reset_at).strftime("%H:%M")}
    if isinstance(err, CannotConnectError | RequestTimeoutError):
        return "cannot_connect", {}
    return "unknown", {}


def invalid(key: str, **placeholders: str) -> ServiceValidationError:
    """Make the translated error for input that is wrong before anything is sent."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


async def cloud_call[T](note_error: Callable[[BlueCurrentError], None], call: Awaitable[T]) -> T:
    """Await a client call for an action; its error is noted, then raised translated.

    The coordinator notes it first (``note_error``), so a request limit met by an action is
    shown (repair issue) and respected at once, as for entity commands.
    """
    try:
        return await call
    except BlueCurrentError as err:
        note_error(err)
        raise translate_error(err) from err


def bluecurrent_command[F: Callable[..., Coroutine[Any, Any, Any]]](func: F) -> F:
    """Run an entity command; a client error becomes a translated error.

    The entity's coordinator hears of the error first, so a request limit met by a command is
    shown (repair issue) and respected at once.
    """

    @functools.wraps(func)
    async def handler(entity: Any, *args: Any, **kwargs: Any) -> None:
        await cloud_call(entity.coordinator.async_note_error, func(entity, *args, **kwargs))

    return handler  # type: ignore[return-value]

"""Readers for the cloud's loose JSON: typed fields, numbers in strings, three timestamp formats.

The cloud is loose with types: numbers arrive as (space-padded) strings, timestamps come in
three formats, ``""`` and ``null`` both mean "none". Everything here accepts that and turns anything
it cannot use into ``MalformedFrameError`` (never ``TypeError``/``KeyError``/``ValueError``), so one
bad frame can never take the connection down.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
import functools
import math
from typing import Any, Final

from ..const import TIMEZONE
from ..errors import MalformedFrameError

_DATETIME_FORMATS: Final = (
    "%Y%m%d %H:%M:%S",
    "%Y%m%d %H:%M:%S%z",
    "%d-%m-%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S",
    "%d-%b-%y",
)


def type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


class Fields:
    """Reads typed fields from one JSON object; the keys it never touched become ``extra``."""

    def __init__(self, data: object, what: str, *, ignore: tuple[str, ...] = ("object",)) -> None:
        if not isinstance(data, Mapping):
            raise MalformedFrameError(f"{what}: expected an object, got {type_name(data)}")
        self.data: Mapping[str, Any] = data
        self.what = what
        self.used: set[str] = set(ignore)

    def bad(self, key: str, expected: str, value: object) -> MalformedFrameError:
        # Only names and types: values may be personal data.
        return MalformedFrameError(
            f"{self.what}: field {key!r} should be {expected}, got {type_name(value)}"
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
        raise self.bad(key, "a string", value)

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
            raise self.bad(key, what, value) from None

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
        raise self.bad(key, "an object", value)

    def items(self, key: str) -> list[Any]:
        value = self.raw(key)
        if value is None:
            return []
        if isinstance(value, list):
            return value
        raise self.bad(key, "a list", value)

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
        raise TypeError(type_name(value))
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
    raise TypeError(type_name(value))


def to_datetime(value: object) -> datetime | None:
    """Convert any of the cloud's timestamp formats to an aware datetime in Europe/Amsterdam.

    Without an offset the cloud means local Dutch time.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(type_name(value))
    text = value.strip()
    if not text:
        return None
    return _parse_datetime(text)


@functools.lru_cache(maxsize=512)
def _parse_datetime(text: str) -> datetime:
    """Parse one timestamp text; cached, as every pushed status repeats its session's times."""
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
        raise TypeError(type_name(value))
    text = value.strip()
    if not text:
        return None
    return date.fromisoformat(text[:10])


def guard[**P, R](func: Callable[P, R]) -> Callable[P, R]:
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

"""Reading what the cloud sends, over websocket and REST alike: JSON bodies and ERROR frames."""

from __future__ import annotations

from collections.abc import Collection, Mapping
import copy
import json
from typing import Any

from .const import LIMIT_REASON, MAX_JSON_DEPTH
from .errors import (
    ActionRejectedError,
    ApiError,
    BlueCurrentError,
    ForbiddenError,
    InvalidSessionTokenError,
    RequestLimitReachedError,
)

type Frame = dict[str, Any]


NO_REASON = "no reason given"


def refusal_reason(body: Mapping[str, Any]) -> str:
    """Return the cloud's reason in a ``success: false`` answer, or that it gave none."""
    error = body.get("error")
    return error if isinstance(error, str) and error else NO_REASON


def rejection(what: str, body: Mapping[str, Any]) -> ActionRejectedError:
    """Make the error for a refused action (``success: false``), with the cloud's reason."""
    reason = refusal_reason(body)
    return ActionRejectedError(f"{what} failed: {reason}", reason=reason)


def decode_json(text: str) -> Any:
    """Decode a frame or body; anything that is not JSON, or nested too deep, is a ValueError.

    ``json.loads`` raises RecursionError (not ValueError) on very deep nesting, and a merely deep
    document would make the recursive code after it (redaction, parsers, diagnostics) fail.
    """
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("nested too deep") from None
    # Counting brackets is cheap and bounds the depth, so most frames skip the walk.
    if text.count("{") + text.count("[") > MAX_JSON_DEPTH and _depth_exceeds(value, MAX_JSON_DEPTH):
        raise ValueError("nested too deep")
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Tell whether containers nest deeper than ``limit``, without recursing."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Collection[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def clone(error: BlueCurrentError) -> BlueCurrentError:
    """Copy an error, so one failure raised in many calls does not share a traceback."""
    return copy.copy(error)


def error_from_frame(frame: Mapping[str, Any]) -> BlueCurrentError:
    """Map an ERROR frame (websocket, or the same body over REST) to a typed error."""
    code = frame.get("error")
    message = frame.get("message")
    text = message if isinstance(message, str) else ""
    if code == 1:
        return InvalidSessionTokenError(text or "Invalid Auth Token")
    if code == 2:
        return ForbiddenError(text or "forbidden")
    if code == 42:
        return RequestLimitReachedError(text or LIMIT_REASON)
    return ApiError(code if isinstance(code, int) and not isinstance(code, bool) else None, text)

"""The acknowledgement (``RECEIVED_*``) and verdict (``STATUS_*``) of an action."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .convert import Fields, guard


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionResult:
    """An action's acknowledgement or verdict.

    ``command`` is the frame's object name (``RECEIVED_SOFT_RESET``, ``STATUS_SOFT_RESET``, ...)
    so a listener can tell the acknowledgement from the verdict.
    """

    command: str
    evse_id: str | None = None
    success: bool = False
    error: str | None = None
    flow_id: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@guard
def parse_action_result(frame: object) -> ActionResult:
    """Parse a ``RECEIVED_*`` / ``STATUS_*`` frame."""
    fields = Fields(frame, "action reply", ignore=())
    result = fields.mapping("result")
    return ActionResult(
        command=fields.required_text("object"),
        evse_id=fields.text("evse_id"),
        success=bool(fields.flag("success")),
        error=fields.text("error"),
        flow_id=fields.text("flow_id"),
        result=dict(result) if result is not None else {},
        extra=fields.extra(),
    )

"""What ``subscribe`` and ``events()`` deliver: pushes, unclaimed verdicts, connection changes."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BlueCurrentError
from .charge_points import ChargePoint
from .convert import Fields, guard
from .results import ActionResult
from .status import ChargePointStatus, GridStatus, parse_charge_point_status


class Event:
    """Base class of everything ``subscribe`` and ``events()`` deliver."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class StatusEvent(Event):
    """A pushed CH_STATUS."""

    evse_id: str
    status: ChargePointStatus


@dataclass(frozen=True, slots=True)
class GridEvent(Event):
    """A pushed GRID_CURRENT or GRID_STATUS."""

    status: GridStatus


@dataclass(frozen=True, slots=True)
class SettingsEvent(Event):
    """A pushed CH_SETTINGS."""

    evse_id: str
    settings: ChargePoint


@dataclass(frozen=True, slots=True)
class ActionEvent(Event):
    """An action acknowledgement or verdict that no call of this client was waiting for."""

    result: ActionResult


@dataclass(frozen=True, slots=True)
class ConnectionEvent(Event):
    """The websocket went down (``error`` says why) or came back (``error`` None)."""

    connected: bool
    error: BlueCurrentError | None = None


@guard
def parse_status_push(frame: object) -> StatusEvent:
    """Parse a CH_STATUS frame: ``data`` plus the top-level ``evse_id``."""
    fields = Fields(frame, "CH_STATUS")
    status = parse_charge_point_status(fields.mapping("data") or {}, fields.text("evse_id"))
    return StatusEvent(status.evse_id, status)

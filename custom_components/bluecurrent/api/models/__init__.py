"""Typed views of the cloud's frames and the parsers that build them, one module per subject.

Every parser keeps unknown keys in ``extra`` and raises only ``MalformedFrameError``.
"""

from .account import (
    Account,
    Contract,
    Grid,
    GridAddress,
    Sustainability,
    parse_account,
    parse_contracts,
    parse_grids,
    parse_sustainability,
)
from .charge_points import (
    ChargeCard,
    ChargePoint,
    Location,
    Setting,
    SettingValue,
    Tariff,
    parse_charge_card,
    parse_charge_cards,
    parse_charge_point,
    parse_charge_point_settings,
    parse_charge_points,
    parse_setting,
)
from .convert import to_bool, to_date, to_datetime, to_float, to_int
from .events import (
    ActionEvent,
    ConnectionEvent,
    Event,
    GridEvent,
    SettingsEvent,
    StatusEvent,
    parse_status_push,
)
from .results import ActionResult, parse_action_result
from .status import (
    ChargePointStatus,
    GridStatus,
    parse_charge_point_status,
    parse_charge_point_statuses,
    parse_grid_frame,
)
from .transactions import Transaction, TransactionPage, parse_transaction, parse_transaction_page

__all__ = [
    "Account",
    "ActionEvent",
    "ActionResult",
    "ChargeCard",
    "ChargePoint",
    "ChargePointStatus",
    "ConnectionEvent",
    "Contract",
    "Event",
    "Grid",
    "GridAddress",
    "GridEvent",
    "GridStatus",
    "Location",
    "Setting",
    "SettingValue",
    "SettingsEvent",
    "StatusEvent",
    "Sustainability",
    "Tariff",
    "Transaction",
    "TransactionPage",
    "parse_account",
    "parse_action_result",
    "parse_charge_card",
    "parse_charge_cards",
    "parse_charge_point",
    "parse_charge_point_settings",
    "parse_charge_point_status",
    "parse_charge_point_statuses",
    "parse_charge_points",
    "parse_contracts",
    "parse_grid_frame",
    "parse_grids",
    "parse_setting",
    "parse_status_push",
    "parse_sustainability",
    "parse_transaction",
    "parse_transaction_page",
    "to_bool",
    "to_date",
    "to_datetime",
    "to_float",
    "to_int",
]

"""A fake Blue Current cloud (websocket + REST) for tests and local development."""

from .model import (
    Account,
    Address,
    CapacityTariff,
    Card,
    ChargePointState,
    Contract,
    DelayedCharging,
    Faults,
    GridConnection,
    GridState,
    Location,
    OverrideSchedule,
    PriceBasedCharging,
    Session,
    Stats,
    Tariff,
    Transaction,
)
from .server import Simulator

__all__ = [
    "Account",
    "Address",
    "CapacityTariff",
    "Card",
    "ChargePointState",
    "Contract",
    "DelayedCharging",
    "Faults",
    "GridConnection",
    "GridState",
    "Location",
    "OverrideSchedule",
    "PriceBasedCharging",
    "Session",
    "Simulator",
    "Stats",
    "Tariff",
    "Transaction",
]

"""Completed charging sessions and the pages the REST API serves them in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .convert import Fields, guard


@dataclass(frozen=True, slots=True, kw_only=True)
class Transaction:
    """A completed charging session."""

    transaction_id: int | None = None
    chargepoint_id: str | None = None
    socket_id: int | None = None
    chargepoint_type: str | None = None
    evse_name: str | None = None
    started_at: datetime | None = None
    end_time: datetime | None = None
    kwh: float | None = None
    card_id: str | None = None
    card_name: str | None = None
    total_costs: float | None = None
    total_costs_ex_vat: float | None = None
    reimbursement_tariff_ex_vat: float | None = None
    vat: float | None = None
    currency: str | None = None
    reason_no_settlement: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class TransactionPage:
    """One page of transactions; ``next_page`` is None on the last page."""

    current_page: int | None = None
    next_page: int | None = None
    max_per_page: int | None = None
    total_pages: int | None = None
    total_transactions: int | None = None
    transactions: tuple[Transaction, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@guard
def parse_transaction(data: object) -> Transaction:
    """Parse a transaction; costs and ids may arrive as space-padded strings."""
    fields = Fields(data, "transaction")
    return Transaction(
        transaction_id=fields.integer("transaction_id"),
        chargepoint_id=fields.text("chargepoint_id"),
        socket_id=fields.integer("socket_id"),
        chargepoint_type=fields.text("chargepoint_type"),
        evse_name=fields.text("evse_name"),
        started_at=fields.timestamp("started_at"),
        end_time=fields.timestamp("end_time"),
        kwh=fields.number("kwh"),
        card_id=fields.text("card_id"),
        card_name=fields.text("card_name"),
        total_costs=fields.number("total_costs"),
        total_costs_ex_vat=fields.number("total_costs_ex_vat"),
        reimbursement_tariff_ex_vat=fields.number("reimbursement_tariff_ex_vat"),
        vat=fields.number("vat"),
        currency=fields.text("currency"),
        reason_no_settlement=fields.text("reason_no_settlement"),
        extra=fields.extra(),
    )


@guard
def parse_transaction_page(body: object) -> TransactionPage:
    """Parse ``gettransactions``: the page inside ``data``."""
    outer = Fields(body, "gettransactions")
    fields = Fields(outer.mapping("data"), "gettransactions data")
    return TransactionPage(
        current_page=fields.integer("current_page"),
        next_page=fields.integer("next_page"),
        max_per_page=fields.integer("max_per_page"),
        total_pages=fields.integer("total_pages"),
        total_transactions=fields.integer("total_transactions"),
        transactions=tuple(parse_transaction(item) for item in fields.items("transactions")),
        extra=fields.extra(),
    )

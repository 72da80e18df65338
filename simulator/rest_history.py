"""`gettransactions`: completed sessions, filtered by stop day, sorted on stop time, 25 a page.

Each request filters and sorts once (O(n log n)), so paging through thousands stays fast.
"""

from __future__ import annotations

from datetime import date, datetime
import math
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .rest_common import authorize, body_json, charge_point

if TYPE_CHECKING:
    from .state import Transaction

PAGE_SIZE = 25
Json = dict[str, Any]


def _date(value: str | None) -> date | None:
    """D-M-YYYY, padded or not (pybluecurrent sends "1-7-2026")."""
    return datetime.strptime(value, "%d-%m-%Y").date() if value else None


async def get_transactions(request: web.Request) -> web.Response:
    """Pages of 25 completed sessions of the named charge points (none named: all of them)."""
    sim = authorize(request)
    query = request.query
    page = int(query.get("page", "1"))
    order = query.get("sort_field_order", "DESC").upper()
    if page < 1 or order not in ("ASC", "DESC"):
        raise ValueError("bad paging")
    start, end = _date(query.get("start_date")), _date(query.get("end_date"))
    wanted = (await body_json(request)).get("chargepoints") or [
        {"chargepoint_id": evse_id} for evse_id in sim.account.charge_points
    ]
    evse_ids = list(dict.fromkeys(entry["chargepoint_id"] for entry in wanted))
    items: list[Transaction] = []
    for evse_id in evse_ids:
        cp = charge_point(sim, evse_id)
        if start is None and end is None:
            items.extend(cp.transactions)
            continue
        items.extend(
            t
            for t in cp.transactions
            if (start is None or t.end_time.date() >= start)
            and (end is None or t.end_time.date() <= end)
        )
    return web.json_response(transactions_page(items, page, newest_first=order == "DESC"))


def transaction(item: Transaction) -> Json:
    """Render a gettransactions item with "DD-MM-YYYY HH:MM:SS" times."""
    data: Json = {
        "transaction_id": item.transaction_id,
        "chargepoint_id": item.chargepoint_id,
        "socket_id": item.socket_id,
        "chargepoint_type": item.chargepoint_type,
        "evse_name": item.evse_name,
        "started_at": item.started_at.strftime("%d-%m-%Y %H:%M:%S"),
        "end_time": item.end_time.strftime("%d-%m-%Y %H:%M:%S"),
        "kwh": item.kwh,
        "card_id": item.card_id,
        "card_name": item.card_name,
        "total_costs": item.total_costs,
        "total_costs_ex_vat": item.total_costs_ex_vat,
        "reimbursement_tariff_ex_vat": item.reimbursement_tariff_ex_vat,
        "vat": item.vat,
        "currency": item.currency,
    }
    if item.reason_no_settlement is not None:
        data["reason_no_settlement"] = item.reason_no_settlement
    return data


def transactions_page(items: list[Transaction], page: int, *, newest_first: bool) -> Json:
    """One page of 25, sorted by stop time like `sort_field=stoppedtimestamp`."""
    ordered = sorted(items, key=lambda t: (t.end_time, t.transaction_id), reverse=newest_first)
    total_pages = max(1, math.ceil(len(ordered) / PAGE_SIZE))
    chunk = ordered[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "data": {
            "current_page": page,
            "next_page": page + 1 if page < total_pages else None,
            "max_per_page": PAGE_SIZE,
            "total_pages": total_pages,
            "total_transactions": len(ordered),
            "transactions": [transaction(t) for t in chunk],
        }
    }

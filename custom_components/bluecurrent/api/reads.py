"""The read calls of ``BlueCurrentClient``: account, cards, charge points, statuses, history."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence
from datetime import date

from .commands import Commands
from .errors import ApiError
from .models import (
    Account,
    ChargeCard,
    ChargePoint,
    ChargePointStatus,
    Contract,
    Grid,
    GridStatus,
    Sustainability,
    Transaction,
    TransactionPage,
    parse_account,
    parse_charge_cards,
    parse_charge_point_settings,
    parse_charge_point_statuses,
    parse_charge_points,
    parse_contracts,
    parse_grid_frame,
    parse_grids,
    parse_sustainability,
    parse_transaction_page,
)
from .rest import Rest


async def read_statuses(rest: Rest, evse_id: str) -> list[ChargePointStatus]:
    """Fetch the status of every socket of a charge point (REST v2.1)."""
    body = await rest.json(
        "GET", f"{rest.status_url}/chargepointstatus", params={"evse_id": evse_id}
    )
    return parse_charge_point_statuses(body)


class Reads:
    """Mixin: every call that only reads. Websocket commands first, then the REST endpoints."""

    _commands: Commands
    _rest: Rest

    async def get_account(self) -> Account:
        """Fetch the account's details."""
        return parse_account(await self._commands.request({"command": "GET_ACCOUNT"}, "ACCOUNT"))

    async def get_charge_cards(self) -> list[ChargeCard]:
        """Fetch the account's charge cards."""
        return parse_charge_cards(
            await self._commands.request({"command": "GET_CHARGE_CARDS"}, "CHARGE_CARDS")
        )

    async def get_charge_points(self) -> list[ChargePoint]:
        """Fetch the account's charge points with their settings."""
        return parse_charge_points(
            await self._commands.request({"command": "GET_CHARGE_POINTS"}, "CHARGE_POINTS")
        )

    async def get_charge_point_settings(self, evse_id: str) -> ChargePoint:
        """Fetch one charge point's settings (the same data as its get_charge_points item)."""
        return parse_charge_point_settings(
            await self._commands.request(
                {"command": "GET_CH_SETTINGS", "evse_id": evse_id}, "CH_SETTINGS"
            )
        )

    async def get_grid_status(self, evse_id: str) -> GridStatus:
        """Fetch the currents of the grid connection this charge point is on."""
        return parse_grid_frame(
            await self._commands.request(
                {"command": "GET_GRID_STATUS", "evse_id": evse_id}, "GRID_STATUS"
            )
        )

    async def get_sustainability_status(self) -> Sustainability:
        """Fetch the trees and CO2 saved over all charge points."""
        return parse_sustainability(
            await self._commands.request(
                {"command": "GET_SUSTAINABILITY_STATUS"}, "SUSTAINABILITY_STATUS"
            )
        )

    async def get_charge_point_statuses(self, evse_id: str) -> list[ChargePointStatus]:
        """Fetch the status of every socket of a charge point (REST v2.1)."""
        return await read_statuses(self._rest, evse_id)

    async def get_charge_point_status(
        self, evse_id: str, socket_id: int | None = None
    ) -> ChargePointStatus:
        """Fetch the status of one socket; without ``socket_id`` the first one."""
        for status in await read_statuses(self._rest, evse_id):
            if socket_id is None or status.socket_id == socket_id:
                return status
        what = f"socket {socket_id} of {evse_id}" if socket_id is not None else evse_id
        raise ApiError(None, f"No status for {what}")

    async def get_contracts(self) -> list[Contract]:
        """Fetch the account's subscription contracts."""
        return parse_contracts(await self._rest.json("GET", f"{self._rest.api_url}/getcontracts"))

    async def get_grids(self) -> list[Grid]:
        """Fetch the account's grid connections."""
        return parse_grids(await self._rest.json("GET", f"{self._rest.api_url}/getgrids"))

    async def get_transactions(
        self,
        evse_id: str | Sequence[str],
        newest_first: bool = True,
        page: int = 1,
        *,
        start: date | None = None,
        end: date | None = None,
    ) -> TransactionPage:
        """Fetch one page (25 items) of completed sessions, sorted by their end.

        ``evse_id`` may name several charge points: one stream for all of them costs one request
        per page instead of one per charge point. ``start``/``end`` keep the sessions that ended
        on those days (the cloud's days, Europe/Amsterdam), both included.
        """
        evse_ids = [evse_id] if isinstance(evse_id, str) else list(evse_id)
        params = {
            "page": str(page),
            "sort_field_order": "DESC" if newest_first else "ASC",
            "sort_field": "stoppedtimestamp",
        }
        # The cloud takes unpadded day-month-year.
        if start is not None:
            params["start_date"] = f"{start.day}-{start.month}-{start.year}"
        if end is not None:
            params["end_date"] = f"{end.day}-{end.month}-{end.year}"
        body = await self._rest.json(
            "POST",
            f"{self._rest.api_url}/gettransactions",
            params=params,
            body={"chargepoints": [{"chargepoint_id": e} for e in evse_ids]},
        )
        return parse_transaction_page(body)

    async def iterate_transactions(
        self,
        evse_id: str | Sequence[str],
        newest_first: bool = True,
        *,
        start: date | None = None,
        end: date | None = None,
    ) -> AsyncGenerator[Transaction]:
        """Yield every completed session of one or several charge points, page by page.

        A page is read only when the one before it is used up, so a caller that stops early
        reads no more.
        """
        page: int | None = 1
        seen: set[int] = set()
        while page is not None and page not in seen:
            seen.add(page)
            result = await self.get_transactions(evse_id, newest_first, page, start=start, end=end)
            for transaction in result.transactions:
                yield transaction
            page = result.next_page

"""The action calls of ``BlueCurrentClient``: sessions, resets, settings, socket status, unlock."""

from __future__ import annotations

from collections.abc import Sequence
import uuid

from .commands import Commands, verdict
from .const import APP_CARD, NO_CARD_UIDS
from .link import Link
from .models import ActionResult
from .reads import read_statuses
from .rest import Rest
from .settings import ClientSettings


class Actions:
    """Mixin: every call that changes something. Websocket actions first, then the bce_api ones."""

    _settings: ClientSettings
    _link: Link
    _commands: Commands
    _rest: Rest

    async def set_plug_and_charge_charge_card(self, evse_id: str, uid: str | None) -> None:
        """Pick the card plug-and-charge sessions are billed to; None for no card."""
        token_uid = APP_CARD if uid is None or uid in NO_CARD_UIDS else uid
        await self._commands.action("SET_PLUG_AND_CHARGE_CHARGE_CARD", evse_id, token_uid=token_uid)

    async def set_plug_and_charge(self, evse_id: str, enabled: bool) -> ActionResult:
        """Start charging as soon as a car is plugged in, without a card."""
        return await self._commands.action("SET_PLUG_AND_CHARGE", evse_id, value=enabled)

    async def set_public_charging(self, evse_id: str, enabled: bool) -> ActionResult:
        """Let anyone charge (True) or only the account's linked cards (False)."""
        return await self._commands.action("SET_PUBLIC_CHARGING", evse_id, value=enabled)

    async def start_session(self, evse_id: str, card: str | None = None) -> ActionResult:
        """Start charging, billed to ``card`` (its id or uid); None charges without a card."""
        return await self._commands.action("START_SESSION", evse_id, session_token=card or APP_CARD)

    async def stop_session(self, evse_id: str) -> ActionResult:
        """Stop the running session."""
        return await self._commands.action("STOP_SESSION", evse_id)

    async def soft_reset(self, evse_id: str) -> ActionResult:
        """Restart the charge point's software."""
        return await self._commands.action("SOFT_RESET", evse_id)

    async def reboot(self, evse_id: str) -> ActionResult:
        """Power-cycle the charge point."""
        return await self._commands.action("REBOOT", evse_id)

    async def set_status(
        self,
        evse_id: str,
        enabled: bool,
        socket_id: int | None = None,
        *,
        socket_ids: Sequence[int] | None = None,
    ) -> None:
        """Enable or block one socket (``socket_id``) or every socket of the charge point.

        Pass the ``socket_ids`` the caller already knows (``ChargePoint.socket_ids``) to spare a
        status read; without either it reads them. The request goes over REST; the verdict comes
        back as a websocket push.
        """
        if socket_id is not None and socket_ids is not None:
            raise ValueError("Give socket_id or socket_ids, not both")
        if socket_id is not None:
            sockets: Sequence[int] = [socket_id]
        elif socket_ids:
            sockets = socket_ids
        else:
            sockets = await self._socket_ids(evse_id)
        for socket in sockets:
            await self._set_operative(evse_id, enabled, socket)

    async def _set_operative(self, evse_id: str, enabled: bool, socket_id: int) -> None:
        action, name = (
            ("setoperative", "STATUS_SET_OPERATIVE")
            if enabled
            else ("setinoperative", "STATUS_SET_INOPERATIVE")
        )
        flow_id = str(uuid.uuid4())
        conn = await self._link.ready()
        # Listen before posting: the push can beat the HTTP answer.
        waiter = conn.register((name,), evse_id=evse_id, flow_id=flow_id, takes_errors=False)
        try:
            await self._rest.call(
                "POST",
                f"{self._rest.bce_url}/chargepoints/actions/{action}",
                body={"chargepoint_id": evse_id, "socket_id": socket_id, "flow_id": flow_id},
                bare_token=True,
                action=True,
            )
            frame = await waiter.get(self._settings.action_timeout)
        finally:
            conn.unregister(waiter)
        verdict(frame)

    async def unlock_connector(self, evse_id: str, socket_id: int | None = None) -> None:
        """Release the cable lock of ``socket_id``; without it the first socket, read first.

        The cloud sends no verdict.
        """
        if socket_id is None:
            socket_id = (await self._socket_ids(evse_id))[0]
        await self._rest.call(
            "POST",
            f"{self._rest.bce_url}/chargepoints/actions/unlockconnector",
            body={"chargepoint_id": evse_id, "socket_id": socket_id, "flow_id": "flow"},
            bare_token=True,
            action=True,
        )

    async def _socket_ids(self, evse_id: str) -> list[int]:
        """Read the sockets of a charge point, for callers that did not say which."""
        statuses = await read_statuses(self._rest, evse_id)
        return [s.socket_id for s in statuses if s.socket_id is not None] or [1]

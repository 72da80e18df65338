"""Websocket request plumbing: a read command and its reply, an action and its verdict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
import uuid

from .errors import ActionRejectedError
from .frames import NO_REASON, Frame
from .link import Link
from .login import Login
from .models import ActionResult, parse_action_result
from .settings import ClientSettings


def is_verdict(frame: Frame) -> bool:
    """Tell the last frame of an action: its STATUS_, or a RECEIVED_ that already failed."""
    name = frame.get("object")
    return (isinstance(name, str) and name.startswith("STATUS_")) or frame.get(
        "success"
    ) is not True


def verdict(frame: Frame) -> ActionResult:
    """Parse an action's last frame; raise ``ActionRejectedError`` if it failed."""
    result = parse_action_result(frame)
    if not result.success:
        raise ActionRejectedError(f"{result.command} failed: {result.error or NO_REASON}", result)
    return result


class Commands:
    """Sends websocket commands over the link and waits for what answers them."""

    def __init__(self, settings: ClientSettings, link: Link, login: Login) -> None:
        """Use the link's connection and the login's session token."""
        self._settings = settings
        self._link = link
        self._login = login

    async def request(self, payload: Mapping[str, Any], name: str) -> Frame:
        """Send a read command and return its ``name`` reply."""
        evse_id = payload.get("evse_id") if isinstance(payload.get("evse_id"), str) else None

        async def call() -> Frame:
            conn = await self._link.ready()
            return await self._login.command(conn, payload, (name,), evse_id)

        return await self._link.authorized(call)

    async def action(self, command: str, evse_id: str, **fields: Any) -> ActionResult:
        """Send an action; wait for RECEIVED_ (request timeout) then STATUS_ (action timeout)."""
        flow_id = str(uuid.uuid4())

        async def call() -> ActionResult:
            conn = await self._link.ready()
            waiter = conn.register(
                (f"RECEIVED_{command}", f"STATUS_{command}"),
                evse_id=evse_id,
                flow_id=flow_id,
                is_final=is_verdict,
            )
            try:
                await conn.send(
                    {
                        "command": command,
                        "evse_id": evse_id,
                        **fields,
                        "flow_id": flow_id,
                        "Authorization": f"Token {self._login.token}",
                    }
                )
                timeout = self._settings.request_timeout
                while True:
                    frame = await waiter.get(timeout)
                    if is_verdict(frame):
                        return verdict(frame)
                    timeout = self._settings.action_timeout
            finally:
                conn.unregister(waiter)

        return await self._link.authorized(call)

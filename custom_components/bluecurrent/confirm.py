"""Settings commands whose result Home Assistant shows only as the cloud then reports it.

Nothing is shown optimistically: after the cloud accepted a change, the entities show the
settings it pushes (CH_SETTINGS). When no push came by the time the command returned (some
clouds send none), the charge point's settings are read once instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from homeassistant.core import callback

from .api import BlueCurrentClient, BlueCurrentError
from .const import LOGGER
from .push import PushApplier


class SettingsConfirmer:
    """Sends a settings command, then makes sure what the cloud says afterwards is shown."""

    def __init__(
        self,
        client: BlueCurrentClient,
        applier: PushApplier,
        note_error: Callable[[BlueCurrentError], None],
        refresh: Callable[[], None],
    ) -> None:
        """Apply re-read settings like pushed ones; a failed re-read leaves it to the poll."""
        self._client = client
        self._applier = applier
        self._note_error = note_error
        self._refresh = refresh

    @callback
    def _seen(self, evse_id: str) -> int:
        return self._applier.settings_seen.get(evse_id, 0)

    async def send(self, evse_id: str, *commands: Callable[[], Awaitable[object]]) -> None:
        """Send the commands in turn (a refusal stops there and raises); then show the result."""
        seen = 0
        for command in commands:
            seen = self._seen(evse_id)
            await command()
        if self._seen(evse_id) != seen:
            return
        try:
            settings = await self._client.get_charge_point_settings(evse_id)
        except BlueCurrentError as err:
            # The change was made: no error for it, the poll shows it.
            LOGGER.debug(
                "Reading %s's settings after a change failed: %s", evse_id, type(err).__name__
            )
            self._note_error(err)
            self._refresh()
            return
        self._applier.settings(evse_id, settings)

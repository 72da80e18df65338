"""Entity listeners indexed by what they show, so a push updates only the entities it concerns.

A pushed status of one charge point must not make every entity of a large account rebuild its
state; each entity listens with a context (its charge point and whether it reads statuses, its
grid, or the account) and a push calls only that context's listeners.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from homeassistant.core import CALLBACK_TYPE, callback

ACCOUNT_CONTEXT = "account"


def point_context(evse_id: str, reads_status: bool) -> tuple[str, bool]:
    """Name the context of a charge point's entities; status readers apart."""
    return (evse_id, reads_status)


def grid_context(grid_id: str) -> tuple[str, str]:
    """Name the context of one grid's entities."""
    return ("grid", grid_id)


class ListenerIndex:
    """Listeners by context, next to the coordinator's own list of all listeners."""

    def __init__(self) -> None:
        """Start empty."""
        self._by_context: dict[Hashable, dict[int, CALLBACK_TYPE]] = {}
        self._seq = 0

    def add(self, context: Hashable, update: CALLBACK_TYPE) -> Callable[[], None]:
        """Index a listener; returns what forgets it again."""
        self._seq += 1
        seq = self._seq
        self._by_context.setdefault(context, {})[seq] = update

        def remove() -> None:
            listeners = self._by_context.get(context)
            if listeners is not None:
                listeners.pop(seq, None)
                if not listeners:
                    del self._by_context[context]

        return remove

    @callback
    def notify(self, context: Hashable) -> None:
        """Call the listeners of one context."""
        for update in list(self._by_context.get(context, {}).values()):
            update()

"""The base of every entity: its scope, its description, availability and cheap updates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .coordinator import BlueCurrentCoordinator
from .data import BlueCurrentConfigEntry, ChargePointData
from .scopes import AccountScope, ChargePointScope, GridScope, Scope


@dataclass(frozen=True, kw_only=True)
class BlueCurrentDescription[T]:
    """What every description adds: where the value comes from and when the entity exists.

    ``T`` is what the scope hands the description: a ``PointView`` for charge points, a
    ``GridData`` for grids, ``BlueCurrentData`` for the account.
    """

    value_fn: Callable[[T], Any]
    # Whether the subject has what the value needs; the entity is unavailable otherwise.
    available_fn: Callable[[T], bool] = lambda _: True
    # A read (data.SOURCE_*) whose failure makes the entity unavailable.
    source: str | None = None
    # Whether the value follows status pushes (only those entities are updated by them).
    reads_status: bool = False
    # On multi-socket charge points: an entity per socket, and one combining them.
    per_socket: bool = False
    combined: bool = True
    # Whether a charge point has this entity at all (e.g. a setting it may not see).
    exists_fn: Callable[[ChargePointData], bool] = lambda _: True
    # State attributes (e.g. the schedules behind a value), while the entity is available.
    attributes_fn: Callable[[T], dict[str, Any] | None] | None = None


# Entities added in one step of the event loop at setup; a large account is added in several.
ENTITIES_PER_STEP = 400


class BlueCurrentEntity[T](CoordinatorEntity[BlueCurrentCoordinator]):
    """An entity of a charge point, socket, grid or the account.

    Unavailable while the cloud connection is down, while the read it depends on failed, and
    while its subject lacks what it shows, so no state goes stale.
    """

    _attr_has_entity_name = True
    _last_shown: tuple[object, ...] | None = None
    _subject: Any = None
    entity_description: Any

    def __init__(
        self,
        coordinator: BlueCurrentCoordinator,
        scope: Scope,
        description: EntityDescription,
    ) -> None:
        """Attach the entity to its scope's device."""
        self.entity_description = description
        self.scope = scope
        super().__init__(coordinator, context=scope.context(self.entity_description.reads_status))
        self._attr_unique_id = scope.unique_id(description.key)
        key, placeholders = scope.translation(description.translation_key)
        if placeholders:
            self._attr_translation_key = key
            self._attr_translation_placeholders = placeholders
        self._attr_device_info = coordinator.device_info(scope)

    @property
    def subject(self) -> T | None:
        """What the description reads, as it is now (the same view while the data lives)."""
        subject: T | None = self.scope.subject(self.coordinator.data, self._subject)  # type: ignore[assignment]
        self._subject = subject
        return subject

    @property
    def available(self) -> bool:
        """Connected, the read it depends on fresh, and what it shows known."""
        data = self.coordinator.data
        description = self.entity_description
        if not (self.coordinator.connected and super().available and self.scope.present(data)):
            return False
        if description.source is not None and not data.ok(description.source):
            return False
        subject = self.subject
        return subject is not None and bool(description.available_fn(subject))

    @property
    def described_value(self) -> Any:
        """Return the description's value, or None when there is nothing to read."""
        subject = self.subject
        description = self.entity_description
        if subject is None or not description.available_fn(subject):
            return None
        return description.value_fn(subject)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return what the description adds to the state, if anything."""
        attributes_fn = self.entity_description.attributes_fn
        if attributes_fn is None or (subject := self.subject) is None:
            return None
        if not self.entity_description.available_fn(subject):
            return None
        result: dict[str, Any] | None = attributes_fn(subject)
        return result

    def _shown(self) -> tuple[object, ...]:
        """Return what a state write would show; equal tuples write equal states.

        Every platform's state is its description's value as Home Assistant formats it, so
        the value stands for the state: computing the state itself (a sensor's rounding and
        unit conversion) would cost about as much as the write it is meant to save.
        """
        if not self.available:
            return (False,)
        return (
            True,
            self.described_value,
            self.unit_of_measurement,
            self.capability_attributes,
            self.extra_state_attributes,
        )

    @callback
    def async_write_ha_state(self) -> None:
        """Write the state, remembering what it shows (the first write at add too)."""
        self._last_shown = self._shown()
        super().async_write_ha_state()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed.

        A push changes a few values of one charge point; writing full states for all its other
        entities is most of the CPU a push would cost. Right after setup nothing changed since
        the first write, so a refresh that follows it writes nothing either.
        """
        shown = self._shown()
        if shown != self._last_shown:
            self._last_shown = shown
            super().async_write_ha_state()


def charge_point_scopes(
    point: ChargePointData, description: BlueCurrentDescription[Any]
) -> Iterable[ChargePointScope]:
    """Yield the scopes a description makes entities for on a charge point."""
    if not description.exists_fn(point):
        return
    evse_id = point.info.evse_id
    if not point.multi_socket:
        yield ChargePointScope(evse_id)
        return
    if description.combined:
        yield ChargePointScope(evse_id)
    if description.per_socket:
        for socket_id in point.socket_ids:
            yield ChargePointScope(evse_id, socket_id)


def point_entities[D: BlueCurrentDescription[Any]](
    coordinator: BlueCurrentCoordinator,
    make: Callable[[BlueCurrentCoordinator, ChargePointScope, D], Entity],
    descriptions: Iterable[D],
) -> Callable[[ChargePointData], list[Entity]]:
    """Make the entities of a charge point: each description on each of its scopes."""
    return lambda point: [
        make(coordinator, scope, description)
        for description in descriptions
        for scope in charge_point_scopes(point, description)
    ]


async def async_track_entities(
    entry: BlueCurrentConfigEntry,
    add_entities: AddConfigEntryEntitiesCallback,
    *,
    points: Callable[[ChargePointData], Iterable[Entity]] | None = None,
    grids: Callable[[GridScope], Iterable[Entity]] | None = None,
    account: Callable[[AccountScope], Iterable[Entity]] | None = None,
) -> None:
    """Add entities for the account, every grid and charge point, now and as they join.

    At setup each grid and charge point is added on its own, with a pause for the event loop in
    between: adding a large account's entities in one go would hold the loop for seconds.
    """
    coordinator = entry.runtime_data.coordinator
    known_points: set[str] = set()
    known_grids: set[str] = set()
    if account is not None:
        add_entities(account(AccountScope(entry.entry_id)))

    def new_batches() -> list[list[Entity]]:
        data = coordinator.data
        batches: list[list[Entity]] = []
        if grids is not None:
            known_grids.intersection_update(data.grids)
            numbered = len(data.grids) > 1
            for grid_id in data.grids.keys() - known_grids:
                known_grids.add(grid_id)
                batches.append(list(grids(GridScope(grid_id, numbered))))
        if points is not None:
            known_points.intersection_update(data.charge_points)
            for evse_id, point in data.charge_points.items():
                if evse_id not in known_points:
                    known_points.add(evse_id)
                    batches.append(list(points(point)))
        return batches

    batch: list[Entity] = []
    for part in new_batches():
        batch.extend(part)
        if len(batch) >= ENTITIES_PER_STEP:
            add_entities(batch)
            batch = []
            await asyncio.sleep(0)
    if batch:
        add_entities(batch)

    @callback
    def _add_new() -> None:
        for batch in new_batches():
            add_entities(batch)

    entry.async_on_unload(coordinator.async_add_listener(_add_new))

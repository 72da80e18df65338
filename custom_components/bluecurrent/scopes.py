"""Whose entity it is: a charge point (or one socket), a grid connection, or the account.

A scope gives an entity its device, unique id, listener context, name placeholders and the
object its description reads, so one entity class per platform serves all of them.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo

from .const import CONFIGURATION_URL, DOMAIN, GRID_PREFIX, MANUFACTURER
from .data import BlueCurrentData, GridData, grid_source
from .listeners import ACCOUNT_CONTEXT, grid_context, point_context
from .views import PointView

# Friendly names of the model codes the cloud is known to send; the code stays in model_id.
MODEL_NAMES = {
    "H:MOVE-C32T2": "Move (Type 2 cable, 32 A)",
    "U:MOVE22": "UMove (portable, 22 kW)",
}


@dataclass(frozen=True, slots=True)
class ChargePointScope:
    """A charge point's entity, or (``socket_id``) one of a multi-socket charge point's socket."""

    evse_id: str
    socket_id: int | None = None

    @property
    def device_key(self) -> str:
        """Identify the device: every socket's entity is on the charge point's."""
        return self.evse_id

    def context(self, reads_status: bool) -> Hashable:
        """Status readers hear status pushes; the others only settings and polls."""
        return point_context(self.evse_id, reads_status)

    def unique_id(self, key: str) -> str:
        """Make the unique id; one-socket charge points have no socket part (as in 0.1)."""
        if self.socket_id is None:
            return f"{self.evse_id}_{key}"
        return f"{self.evse_id}_socket_{self.socket_id}_{key}"

    def translation(self, key: str | None) -> tuple[str | None, dict[str, str]]:
        """Name a socket's entity after its socket."""
        if self.socket_id is None or key is None:
            return key, {}
        return f"socket_{key}", {"socket": str(self.socket_id)}

    def device_info(self, data: BlueCurrentData) -> DeviceInfo:
        """Describe the charge point's device (devices.py links it to its grid's)."""
        point = data.charge_points[self.evse_id]
        code = point.info.model_type
        return DeviceInfo(
            identifiers={(DOMAIN, self.evse_id)},
            manufacturer=MANUFACTURER,
            model=MODEL_NAMES.get(code or "", code),
            model_id=code,
            name=point.info.name or self.evse_id,
            serial_number=self.evse_id,
            configuration_url=CONFIGURATION_URL,
        )

    def subject(self, data: BlueCurrentData, last: Any = None) -> PointView | None:
        """Return the charge point (or socket) now; None once it left the account.

        ``last`` is the view handed out before: kept while it shows the same data objects.
        """
        point = data.charge_points.get(self.evse_id)
        if point is None:
            return None
        if isinstance(last, PointView) and last.point is point and last.data is data:
            return last
        return PointView(data, point, self.socket_id)

    def present(self, data: BlueCurrentData) -> bool:
        """Not while the cloud leaves the charge point out of its answers."""
        return self.evse_id not in data.missing_since


@dataclass(frozen=True, slots=True)
class GridScope:
    """A grid connection's entity."""

    grid_id: str
    numbered: bool = False

    @property
    def device_key(self) -> str:
        """Identify the device."""
        return self.grid_id

    def context(self, reads_status: bool) -> Hashable:
        """Grid entities hear grid pushes and polls."""
        return grid_context(self.grid_id)

    def unique_id(self, key: str) -> str:
        """Make the unique id from the grid id."""
        return f"{self.grid_id}_{key}"

    def translation(self, key: str | None) -> tuple[str | None, dict[str, str]]:
        """Grid entities are named by their device."""
        return key, {}

    def device_info(self, data: BlueCurrentData) -> DeviceInfo:
        """Describe the grid connection's device; with several grids, named by its id."""
        return DeviceInfo(
            identifiers={(DOMAIN, self.grid_id)},
            manufacturer=MANUFACTURER,
            model="Grid connection",
            translation_key="grid_numbered" if self.numbered else "grid",
            translation_placeholders={"grid": self.grid_id.removeprefix(GRID_PREFIX)},
            configuration_url=CONFIGURATION_URL,
        )

    def subject(self, data: BlueCurrentData, last: Any = None) -> GridData | None:
        """Return the grid as it is now."""
        return data.grids.get(self.grid_id)

    def present(self, data: BlueCurrentData) -> bool:
        """Not while the cloud leaves the grid out, nor while reading its currents fails."""
        return self.grid_id not in data.missing_since and data.ok(grid_source(self.grid_id))


@dataclass(frozen=True, slots=True)
class AccountScope:
    """An entity of the account as a whole."""

    entry_id: str

    @property
    def device_key(self) -> str:
        """Identify the device."""
        return self.entry_id

    def context(self, reads_status: bool) -> Hashable:
        """Account entities hear polls."""
        return ACCOUNT_CONTEXT

    def unique_id(self, key: str) -> str:
        """Make the unique id from the config entry."""
        return f"{self.entry_id}_{key}"

    def translation(self, key: str | None) -> tuple[str | None, dict[str, str]]:
        """Account entities are named by their device."""
        return key, {}

    def device_info(self, data: BlueCurrentData) -> DeviceInfo:
        """Describe the account's service device."""
        return DeviceInfo(
            identifiers={(DOMAIN, self.entry_id)},
            manufacturer=MANUFACTURER,
            model="Account",
            translation_key="account",
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=CONFIGURATION_URL,
        )

    def subject(self, data: BlueCurrentData, last: Any = None) -> BlueCurrentData:
        """Return the whole account."""
        return data

    def present(self, data: BlueCurrentData) -> bool:
        """Say yes: the account is always there."""
        return True


type Scope = ChargePointScope | GridScope | AccountScope

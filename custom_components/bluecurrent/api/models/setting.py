"""The ``{"value", "permission"}`` wrapper every charge-point setting comes in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

type SettingValue = bool | int | float | str | None


@dataclass(frozen=True, slots=True)
class Setting:
    """A ``{"value", "permission"}`` setting; the permission says whether it may be changed."""

    value: SettingValue
    permission: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

"""What a charge point setting's ``permission`` allows: change it, only see it, or nothing."""

from __future__ import annotations

from .api import Setting
from .errors import invalid

WRITE = "write"
NONE = "none"


def visible(setting: Setting | None) -> bool:
    """Tell whether the account may see a setting (its entity exists)."""
    return setting is not None and setting.permission != NONE


def check_writable(setting: Setting | None, name: str) -> None:
    """Refuse a change the account may not make, before anything is sent."""
    if setting is None or setting.permission not in (WRITE, None):
        raise invalid("read_only", setting=name)

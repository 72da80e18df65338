"""Fault switches and request counters: how tests make the cloud misbehave and measure load."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

ActionResult = Literal["success", "rejected", "timeout"]


@dataclass
class Faults:
    """Switches the tests flip to make the cloud misbehave (see README.md)."""

    reject_credentials: bool = False
    request_limit: bool = False
    reply_delay: float = 0.0
    silent_commands: set[str] = field(default_factory=set)
    # REST endpoints that never answer: a last path segment ("setdelayedcharging") or a full path.
    silent_paths: set[str] = field(default_factory=set)
    malformed_frames: int = 0
    unknown_frames: int = 0
    rest_errors: int = 0
    action_result: ActionResult = "success"
    forbid_evse: set[str] = field(default_factory=set)
    command_errors: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Accepted setting changes are not followed by a CH_SETTINGS push (clients must re-read).
    no_settings_push: bool = False


@dataclass
class Stats:
    """Counters so tests can check request budgets (e.g. requests per hour)."""

    ws_commands: Counter[str] = field(default_factory=Counter)
    rest_requests: Counter[str] = field(default_factory=Counter)
    connections: int = 0
    logins: int = 0
    frames_sent: int = 0
    # Websocket pings received (keepalive frames are load on the cloud too).
    pings: int = 0

    def reset(self) -> None:
        """Start counting from zero, e.g. after set-up traffic."""
        self.ws_commands.clear()
        self.rest_requests.clear()
        self.connections = self.logins = self.frames_sent = 0
        self.pings = 0

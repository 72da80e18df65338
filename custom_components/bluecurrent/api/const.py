"""Defaults for the Blue Current cloud; kept apart so tests and callers can point elsewhere."""

from __future__ import annotations

from typing import Final
from zoneinfo import ZoneInfo

__version__: Final = "0.1.0"

USER_AGENT: Final = f"bluecurrent-ha/{__version__}"

WS_URL: Final = "wss://motown.bluecurrent.nl/appserver/2.0"
API_URL: Final = "https://api.bluecurrent.nl/app/bc_api/api/v2.0"
BCE_URL: Final = "https://api.bluecurrent.nl/app/bce_api/api/v1"

# The app's pre-shared SJCL passphrase: not a secret, every app build ships it.
PASSPHRASE: Final = "d9ab2352a935be4ade182ce4921044f8"  # noqa: S105

REQUEST_TIMEOUT: Final = 10.0
ACTION_TIMEOUT: Final = 60.0
BACKOFF_INITIAL: Final = 1.0
BACKOFF_MAX: Final = 60.0
# Uptime after which a connection counts as healthy and the backoff starts over.
STABLE_PERIOD: Final = 30.0
# Websocket ping interval; without it a silently dead TCP link is never noticed.
HEARTBEAT: Final = 20.0
# A stale session token is renewed by itself, but never more often than this.
MAX_RELOGINS: Final = 3
RELOGIN_WINDOW: Final = 300.0
# Reconnect this long after the daily reset (clocks differ). A limit met within LIMIT_RETRY after
# midnight is taken for a cloud whose clock is behind: it blocks for LIMIT_RECHECK, not a whole day.
LIMIT_RESET_GRACE: Final = 30.0
LIMIT_RETRY: Final = 3600.0
LIMIT_RECHECK: Final = 60.0
# Longest single sleep while waiting for the daily request budget to reset.
LIMIT_SLEEP_STEP: Final = 30.0
# Events queued for an events() reader that does not keep up, before the oldest are dropped.
EVENT_QUEUE_SIZE: Final = 1000

TIMEZONE: Final = ZoneInfo("Europe/Amsterdam")

# The cloud's "no card" pseudo cards.
NO_CARD_UIDS: Final = frozenset({"BCU_HOME_USE", "BCU-APP"})
APP_CARD: Final = "BCU-APP"

# Deepest nesting accepted in a frame or REST body; the cloud nests five levels at most, and a
# deeper (hostile) document would exhaust the recursion limit of whatever walks it later.
MAX_JSON_DEPTH: Final = 32

LIMIT_REASON: Final = "Request limit reached"
LIMIT_CLOSE_CODE: Final = 4001

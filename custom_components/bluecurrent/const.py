"""Constants for the Blue Current integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "bluecurrent"
LOGGER = logging.getLogger(__package__)

# Developer setting (configuration.yaml, never in the UI): a Blue Current cloud at another
# address, such as the project's simulator. See README "Developer settings".
CONF_CLOUD_URL: Final = "cloud_url"

# The cloud pushes charge point status, settings and grid currents; the poll only catches what
# it does not push, so it can be slow and keep the daily request budget intact.
POLL_INTERVAL: Final = timedelta(minutes=10)
# Completed transactions feed the lifetime sensors; they are fetched at start-up, after a
# session ends, and at most this often otherwise.
TRANSACTION_INTERVAL: Final = timedelta(hours=6)

MANUFACTURER: Final = "Blue Current"
CONFIGURATION_URL: Final = "https://my.bluecurrent.nl"

ATTR_CHARGE_CARD: Final = "charge_card"
SERVICE_START_SESSION: Final = "start_session"

NO_CARD_OPTION: Final = "no_card"

"""Constants for the Blue Current integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "bluecurrent"
LOGGER = logging.getLogger(__package__)

# Entry data: the cloud's base address. Set only in the config flow's advanced mode (the
# project's simulator); entries without it use the real cloud.
CONF_CLOUD_URL: Final = "cloud_url"
DEFAULT_CLOUD_URL: Final = "https://api.bluecurrent.nl"

MANUFACTURER: Final = "Blue Current"
CONFIGURATION_URL: Final = "https://my.bluecurrent.nl"

ATTR_CHARGE_CARD: Final = "charge_card"
SERVICE_START_SESSION: Final = "start_session"

NO_CARD_OPTION: Final = "no_card"

# Device identifiers: charge points by evse id, grids by grid id, the account by entry id.
GRID_PREFIX: Final = "GRID-"

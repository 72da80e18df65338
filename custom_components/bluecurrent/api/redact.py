"""The keys that hold secrets or personal data, and the masking every client log line goes through.

The integration's diagnostics redact with the same set, so one list says what is personal.
Evse ids (``evse_id``, ``chargepoint_id``) are serial numbers, not personal, and stay readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

MASK: Final = "***"

#: Lower-case key names whose values are secrets or personal data; matched case-insensitively.
SENSITIVE_KEYS: Final = frozenset(
    {
        # secrets
        "authorization",
        "token",
        "password",
        "api_token",
        "session_token",  # START_SESSION's card reference
        "token_uid",
        # who
        "username",
        "login",
        "email",
        "contact_email",
        "full_name",
        "first_name",
        "last_name",
        "customer_name",
        "beneficiary_name",
        "tel",
        "phone",
        "customer_id",
        "hubspot_user_identity",
        # money
        "iban",
        "iban_beneficiary",
        "contract_id",
        # where
        "address",
        "street",
        "housenumber",
        "zipcode",
        "postal_code",
        "city",
        "x_coord",
        "y_coord",
        "latitude",
        "longitude",
        # names and cards
        "name",
        "evse_name",
        "chargepoint_name",
        "card_name",
        "uid",
        "id",
        "card_id",
    }
)

# Any key containing one of these is a credential, whatever the cloud calls it next.
_SECRET_PARTS: Final = ("token", "password", "authorization", "secret")


def is_sensitive(key: object) -> bool:
    """Tell whether a key's value must not be shown."""
    if not isinstance(key, str):
        return False
    lowered = key.lower()
    return lowered in SENSITIVE_KEYS or any(part in lowered for part in _SECRET_PARTS)


def _names_a_card(frame: Mapping[Any, Any]) -> bool:
    """Tell a frame about a card, whose ``result`` echoes the card under a neutral key."""
    return any(
        isinstance(name := frame.get(key), str) and "CARD" in name.upper()
        for key in ("object", "command")
    )


def redact(value: Any) -> Any:
    """Copy a decoded frame or body with every sensitive value masked, for logs and diagnostics.

    Besides the keys of ``SENSITIVE_KEYS``, the ``result`` of a card action (its verdict carries
    ``{"setting": <card uid>}``) is masked.
    """
    if isinstance(value, Mapping):
        card_frame = _names_a_card(value)
        return {
            key: MASK if is_sensitive(key) or (card_frame and key == "result") else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value

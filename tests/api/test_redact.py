"""The one list of sensitive keys, and the masking that every client log line goes through."""

from __future__ import annotations

from custom_components.bluecurrent.api import SENSITIVE_KEYS, redact

BRIEF_KEYS = {
    "authorization", "token", "password", "api_token", "username", "login", "email",
    "contact_email", "full_name", "customer_name", "beneficiary_name", "evse_name", "name",
    "chargepoint_name", "card_name", "tel", "phone", "iban", "iban_beneficiary", "address",
    "street", "housenumber", "zipcode", "postal_code", "city", "x_coord", "y_coord", "latitude",
    "longitude", "uid", "id", "card_id", "customer_id", "hubspot_user_identity", "contract_id",
    "token_uid", "session_token",
}  # fmt: skip


def test_sensitive_keys_cover_personal_data_and_secrets() -> None:
    assert BRIEF_KEYS <= SENSITIVE_KEYS
    assert all(key == key.lower() for key in SENSITIVE_KEYS)
    assert not {"evse_id", "chargepoint_id", "socket_id"} & SENSITIVE_KEYS


def test_redact_masks_by_key_case_insensitively() -> None:
    frame = {
        "object": "CH_SETTINGS",
        "evse_id": "BCU100001",
        "data": {
            "Name": "Schuur",
            "location": {"street": "Dorpsstraat", "CITY": "Utrecht", "country": "NL"},
            "plug_and_charge_card": {"uid": "A1B2", "id": "NL-ABC", "valid": 1},
            "socket_ids": [1, 2],
        },
        "cards": [{"card_name": "Mine", "customer_name": "Jan"}, "plain"],
        "Authorization": "Token t",
        "x_session_Token_hash": "h",
        "my_secret": "s",
        7: "non-string key",
    }
    assert redact(frame) == {
        "object": "CH_SETTINGS",
        "evse_id": "BCU100001",
        "data": {
            "Name": "***",
            "location": {"street": "***", "CITY": "***", "country": "NL"},
            "plug_and_charge_card": {"uid": "***", "id": "***", "valid": 1},
            "socket_ids": [1, 2],
        },
        "cards": [{"card_name": "***", "customer_name": "***"}, "plain"],
        "Authorization": "***",
        "x_session_Token_hash": "***",  # any key naming a token is a credential
        "my_secret": "***",
        7: "non-string key",
    }
    assert frame["data"]["Name"] == "Schuur"  # type: ignore[index]  # a copy, not in place


def test_redact_leaves_scalars_alone() -> None:
    assert redact("text") == "text"
    assert redact(None) is None
    assert redact([1, {"email": "a@b"}]) == [1, {"email": "***"}]


def test_redact_masks_the_result_of_card_actions() -> None:
    verdict = {"object": "STATUS_SET_PLUG_AND_CHARGE_CHARGE_CARD", "result": {"setting": "A1B2"}}
    assert redact(verdict)["result"] == "***"
    other = {"object": "STATUS_SET_PLUG_AND_CHARGE", "result": {"setting": "set true"}}
    assert redact(other) == other

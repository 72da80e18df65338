"""The account and what belongs to it: sustainability totals, contracts and grid connections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .convert import Fields, guard


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """The logged-in account; ``login`` is the e-mail address used to log in."""

    login: str
    full_name: str | None = None
    email: str | None = None
    tel: str | None = None
    should_reset_password: bool | None = None
    developer_mode_enabled: bool | None = None
    marketing_target: str | None = None
    first_login_app: datetime | None = None
    hubspot_user_identity: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sustainability:
    """Totals over all charge points: trees saved and CO2 avoided (kg)."""

    trees: float | None = None
    co2: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Contract:
    """A subscription contract."""

    contract_id: str | None = None
    contact_email: str | None = None
    subscription_type: str | None = None
    beneficiary_name: str | None = None
    iban_beneficiary: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class GridAddress:
    """Address of a grid connection."""

    street: str | None = None
    housenumber: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None
    region: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Grid:
    """A grid connection the account's charge points share."""

    id: str | None = None
    smart_charging: bool | None = None
    address: GridAddress | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@guard
def parse_account(frame: object) -> Account:
    """Parse ACCOUNT: every field at the top level."""
    fields = Fields(frame, "ACCOUNT")
    return Account(
        login=fields.required_text("login"),
        full_name=fields.text("full_name"),
        email=fields.text("email"),
        tel=fields.text("tel"),
        should_reset_password=fields.flag("should_reset_password"),
        developer_mode_enabled=fields.flag("developer_mode_enabled"),
        marketing_target=fields.text("marketing_target"),
        first_login_app=fields.timestamp("first_login_app"),
        hubspot_user_identity=fields.text("hubspot_user_identity"),
        extra=fields.extra(),
    )


@guard
def parse_sustainability(frame: object) -> Sustainability:
    """Parse SUSTAINABILITY_STATUS: ``trees`` and ``co2`` at the top level."""
    fields = Fields(frame, "SUSTAINABILITY_STATUS")
    return Sustainability(
        trees=fields.number("trees"), co2=fields.number("co2"), extra=fields.extra()
    )


@guard
def parse_contracts(body: object) -> list[Contract]:
    """Parse ``getcontracts``: the ``contracts`` list."""
    result = []
    for item in Fields(body, "getcontracts").items("contracts"):
        fields = Fields(item, "contract")
        result.append(
            Contract(
                contract_id=fields.text("contract_id"),
                contact_email=fields.text("contact_email"),
                subscription_type=fields.text("subscription_type"),
                beneficiary_name=fields.text("beneficiary_name"),
                iban_beneficiary=fields.text("iban_beneficiary"),
                extra=fields.extra(),
            )
        )
    return result


@guard
def _parse_address(data: object) -> GridAddress | None:
    if data is None:
        return None
    fields = Fields(data, "grid address")
    return GridAddress(
        street=fields.text("street"),
        housenumber=fields.text("housenumber"),
        postal_code=fields.text("postal_code"),
        city=fields.text("city"),
        country=fields.text("country"),
        region=fields.text("region"),
        extra=fields.extra(),
    )


@guard
def parse_grids(body: object) -> list[Grid]:
    """Parse ``getgrids``: the ``grids`` list."""
    result = []
    for item in Fields(body, "getgrids").items("grids"):
        fields = Fields(item, "grid")
        result.append(
            Grid(
                id=fields.text("id"),
                smart_charging=fields.flag("smart_charging"),
                address=_parse_address(fields.raw("address")),
                extra=fields.extra(),
            )
        )
    return result

"""What must stay out of logs and diagnostics, taken from a simulator account.

Shared by the client's log test (tests/api/test_privacy.py) and the full-run test of the
integration (tests/reliability/test_secrets.py), so both look for the same values.
"""

from __future__ import annotations

from simulator import Simulator


def secret_values(sim: Simulator, *credentials: str) -> dict[str, str]:
    """The given credentials, every session token the simulator issued, and the IBAN."""
    found = {f"credential {index}": value for index, value in enumerate(credentials)}
    for index, token in enumerate(sim.issued_tokens):
        found[f"session token {index}"] = token
    for contract in sim.account.contracts:
        found["IBAN"] = contract.iban_beneficiary
    return {what: value for what, value in found.items() if value}


def personal_values(sim: Simulator) -> dict[str, str]:
    """The account's personal data: who, cards, contracts, addresses and charge-point names."""
    account = sim.account
    found = {
        "login": account.login,
        "e-mail": account.email,
        "full name": account.full_name,
        "telephone": account.tel,
        "customer id": account.customer_id,
        "hubspot identity": account.hubspot_user_identity,
    }
    for card in account.cards:
        found[f"uid of {card.name}"] = card.uid
        found[f"id of {card.name}"] = card.id
        found[f"card name {card.id}"] = card.name
    for contract in account.contracts:
        found["contract id"] = contract.contract_id
        found["beneficiary"] = contract.beneficiary_name
    for grid in account.grids:
        found[f"street of {grid.id}"] = grid.address.street
    for cp in account.charge_points.values():
        found[f"name of {cp.evse_id}"] = cp.name
        found[f"street of {cp.evse_id}"] = cp.location.street
        found[f"postcode of {cp.evse_id}"] = cp.location.zipcode
    return {what: value for what, value in found.items() if value}

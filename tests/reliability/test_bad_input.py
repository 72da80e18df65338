"""Bad input to the action and the card select: a translated validation error, nothing sent.

For every case the simulator's account is compared before and after (as plain data), and no
action command or REST action reached it: a refused call changes nothing in the cloud.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import RELOAD_AFTER_UPDATE_DELAY
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.bluecurrent.const import DOMAIN
from simulator import Simulator

FOREIGN_CARD = "NL-XYZ-000000-0"  # a card id of someone else's account


class CloudUnchanged:
    """Remembers the simulator's account and counters; tells whether a call changed anything."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.account = asdict(sim.account)
        self.commands = sim.stats.ws_commands.copy()
        self.rest = sim.stats.rest_requests.copy()

    def check(self) -> None:
        assert asdict(self.sim.account) == self.account
        sent = self.sim.stats.ws_commands - self.commands
        actions = {name for name in sent if not name.startswith(("GET_", "VALIDATE_", "HELLO"))}
        assert not actions, f"commands reached the cloud: {actions}"
        posted = self.sim.stats.rest_requests - self.rest
        assert not [path for path in posted if path.startswith("POST /app/bce_api")]


async def _refused(
    hass: HomeAssistant,
    sim: Simulator,
    call: Callable[[], Awaitable[Any]],
    *,
    domain: str,
    key: str,
) -> ServiceValidationError:
    """Run a call that must fail validation with a translated message and change nothing."""
    before = CloudUnchanged(sim)
    with pytest.raises(ServiceValidationError) as info:
        await call()
    await hass.async_block_till_done(wait_background_tasks=True)
    err = info.value
    assert (err.translation_domain, err.translation_key) == (domain, key)
    message = str(err)
    assert message
    assert key not in message  # the translation was found and filled in
    before.check()
    return err


def _device_id(hass: HomeAssistant, identifier: str) -> str:
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, identifier)})
    assert device is not None, identifier
    return device.id


def _start_session(hass: HomeAssistant, device_id: str, card: str | None = None) -> Any:
    data = {"device_id": device_id} | ({"charge_card": card} if card else {})
    return lambda: hass.services.async_call(DOMAIN, "start_session", data, blocking=True)


def _select(hass: HomeAssistant, entity_id: str, option: str) -> Any:
    data = {"entity_id": entity_id, "option": option}
    return lambda: hass.services.async_call("select", "select_option", data, blocking=True)


def _card_select(hass: HomeAssistant, evse_id: str) -> str:
    found = er.async_get(hass).async_get_entity_id(
        "select", DOMAIN, f"{evse_id}_plug_and_charge_card"
    )
    assert found is not None
    return found


IDLE = "BCU100002"  # no session: a start would be accepted if it reached the cloud


async def test_start_session_unknown_device(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A device id that does not exist."""
    err = await _refused(
        hass, cloud, _start_session(hass, "no-such-device"), domain=DOMAIN, key="unknown_device"
    )
    assert "no-such-device" in str(err)


async def test_start_session_not_a_charge_point(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The account's grid device, and a device of another integration."""
    grid = _device_id(hass, cloud.grid.id)
    await _refused(hass, cloud, _start_session(hass, grid), domain=DOMAIN, key="not_a_charge_point")
    other = MockConfigEntry(domain="other_integration")
    other.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other_integration", IDLE)}, name="Lamp"
    )
    await _refused(
        hass, cloud, _start_session(hass, device.id), domain=DOMAIN, key="not_a_charge_point"
    )


async def test_start_session_foreign_card(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A card that is not one of the account's."""
    err = await _refused(
        hass,
        cloud,
        _start_session(hass, _device_id(hass, IDLE), FOREIGN_CARD),
        domain=DOMAIN,
        key="unknown_card",
    )
    assert FOREIGN_CARD in str(err)


@pytest.mark.parametrize("field", ["name", "id", "uid"])
async def test_start_session_invalid_card(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, field: str
) -> None:
    """The account's blocked card, by name, id or uid."""
    (invalid,) = [card for card in cloud.account.cards if not card.valid]
    await _refused(
        hass,
        cloud,
        _start_session(hass, _device_id(hass, IDLE), getattr(invalid, field)),
        domain=DOMAIN,
        key="invalid_card",
    )


async def test_start_session_entry_not_loaded(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A charge point of an account that is not loaded."""
    device_id = _device_id(hass, IDLE)
    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await _refused(
        hass, cloud, _start_session(hass, device_id), domain=DOMAIN, key="entry_not_loaded"
    )


async def test_start_session_disabled_device(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A charge point whose device the user disabled is not controlled."""
    device_id = _device_id(hass, IDLE)
    dr.async_get(hass).async_update_device(device_id, disabled_by=dr.DeviceEntryDisabler.USER)
    await hass.async_block_till_done(wait_background_tasks=True)
    before = CloudUnchanged(cloud)
    with pytest.raises(ServiceValidationError) as info:
        await _start_session(hass, device_id)()
    assert info.value.translation_domain == DOMAIN
    before.check()


async def test_start_session_valid_input_reaches_the_cloud(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Control: the same call with good input does start a session (so the checks can fail)."""
    (valid, *_) = [card for card in cloud.account.cards if card.valid]
    await _start_session(hass, _device_id(hass, IDLE), valid.name)()
    assert cloud.charge_point(IDLE).session is not None
    assert cloud.stats.ws_commands["START_SESSION"] == 1


@pytest.mark.parametrize("option", [FOREIGN_CARD, "Old Card", "", "no card"])
async def test_select_option_not_offered(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, option: str
) -> None:
    """Someone else's card, the blocked card, nonsense: Home Assistant's select refuses them."""
    await _refused(
        hass,
        cloud,
        _select(hass, _card_select(hass, IDLE), option),
        domain="select",
        key="not_valid_option",
    )


async def test_select_on_a_disabled_entity(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The card select disabled in the registry: choosing a card sends nothing."""
    entity_id = _card_select(hass, IDLE)
    er.async_get(hass).async_update_entity(entity_id, disabled_by=er.RegistryEntryDisabler.USER)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=RELOAD_AFTER_UPDATE_DELAY))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get(entity_id) is None
    before = CloudUnchanged(cloud)
    (valid, *_) = [card for card in cloud.account.cards if card.valid]
    await _select(hass, entity_id, valid.name)()  # Home Assistant skips a missing entity
    await hass.async_block_till_done(wait_background_tasks=True)
    before.check()


async def test_select_valid_option_reaches_the_cloud(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Control: a valid card does reach the cloud."""
    (valid, *_) = [card for card in cloud.account.cards if card.valid]
    await _select(hass, _card_select(hass, IDLE), valid.name)()
    assert cloud.charge_point(IDLE).plug_and_charge_card_uid == valid.uid

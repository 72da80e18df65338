"""The start_session action: the session and its transaction carry the chosen card."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.bluecurrent.const import ATTR_CHARGE_CARD, DOMAIN, SERVICE_START_SESSION
from simulator import Simulator
from simulator.model import Card

from ..conftest import find_device
from .conftest import WaitFor, state_of

EVSE_ID = "BCU100002"  # not charging at the start
COMPONENT = Path(__file__).resolve().parents[2] / "custom_components" / "bluecurrent"


async def _start_session(hass: HomeAssistant, card: str | None = None) -> None:
    device = find_device(hass, EVSE_ID)
    assert device is not None
    data = {ATTR_DEVICE_ID: device.id}
    if card is not None:
        data[ATTR_CHARGE_CARD] = card
    await hass.services.async_call(DOMAIN, SERVICE_START_SESSION, data, blocking=True)


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param(lambda card: card.name, id="name"),
        pytest.param(lambda card: card.id, id="id"),
        pytest.param(lambda card: card.uid, id="uid"),
        pytest.param(lambda card: f"  {card.name.upper()} ", id="name-any-case"),
        pytest.param(lambda card: card.id.lower(), id="id-any-case"),
    ],
)
async def test_start_session_with_card(
    hass: HomeAssistant,
    cloud: Simulator,
    loaded_entry: MockConfigEntry,
    wait_for: WaitFor,
    reference: Callable[[Card], str],
) -> None:
    """A card named by name, id or uid is the session's card, and then the transaction's."""
    card = cloud.account.cards[1]
    point = cloud.account.charge_points[EVSE_ID]
    await _start_session(hass, reference(card))
    assert point.session is not None
    assert point.session.card is card
    await wait_for(lambda: state_of(hass, "sensor", f"{EVSE_ID}_activity") == "charging", 5)

    transaction = await cloud.stop_charging(EVSE_ID)
    assert transaction is not None
    assert (transaction.card_id, transaction.card_name) == (card.id, card.name)


async def test_start_session_without_card(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """Without a card the session is the app's own, and so is the transaction."""
    point = cloud.account.charge_points[EVSE_ID]
    await _start_session(hass)
    assert point.session is not None
    assert point.session.card is None
    transaction = await cloud.stop_charging(EVSE_ID)
    assert transaction is not None
    assert (transaction.card_id, transaction.card_name) == ("BCU-APP", None)


async def test_start_session_refused_by_the_cloud(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The cloud's refusal reaches the caller as a translated error; no session starts."""
    cloud.faults.action_result = "rejected"
    with pytest.raises(HomeAssistantError) as err:
        await _start_session(hass, cloud.account.cards[0].name)
    assert err.value.translation_key == "command_rejected"
    assert cloud.account.charge_points[EVSE_ID].session is None


async def test_start_session_while_charging(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A charge point that is already charging refuses, and says why."""
    await cloud.start_charging(EVSE_ID)
    with pytest.raises(HomeAssistantError) as err:
        await _start_session(hass)
    assert err.value.translation_key == "command_rejected"
    assert "session already active" in str(err.value)


@pytest.mark.parametrize(
    ("card", "key"),
    [("Nobody's card", "unknown_card"), ("Old card", "invalid_card")],
)
async def test_refused_card_lists_the_valid_ones(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry, card: str, key: str
) -> None:
    """A card that cannot pay is refused before anything is sent, naming the cards that can."""
    cloud.stats.reset()
    with pytest.raises(ServiceValidationError) as err:
        await _start_session(hass, card)
    assert err.value.translation_key == key
    assert err.value.translation_placeholders == {
        "card": card,
        "cards": "Company card, Private card",
    }
    assert not cloud.stats.ws_commands


async def test_device_picker_offers_only_charge_points(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """The action's device selector keeps devices with a button: the charge points only."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    selector = services[SERVICE_START_SESSION]["fields"][ATTR_DEVICE_ID]["selector"]["device"]
    assert selector == {"integration": DOMAIN, "entity": [{"domain": "button"}]}
    registry = er.async_get(hass)
    with_buttons = {
        entry.device_id
        for entry in er.async_entries_for_config_entry(registry, loaded_entry.entry_id)
        if entry.domain == "button"
    }
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), loaded_entry.entry_id)
    charge_points = {d.id for d in devices if d.serial_number in cloud.account.charge_points}
    assert with_buttons == charge_points
    assert len(devices) == len(charge_points) + 2  # the grid and the account


async def _start_session_on(hass: HomeAssistant, device_id: str) -> None:
    await hass.services.async_call(
        DOMAIN, SERVICE_START_SESSION, {ATTR_DEVICE_ID: device_id}, blocking=True
    )


async def test_refused_devices(
    hass: HomeAssistant, cloud: Simulator, loaded_entry: MockConfigEntry
) -> None:
    """A device that is not a loaded, enabled charge point is refused before anything is sent."""
    cloud.stats.reset()
    registry = dr.async_get(hass)
    with pytest.raises(ServiceValidationError) as err:
        await _start_session_on(hass, "no-such-device")
    assert err.value.translation_key == "unknown_device"
    for identifier in ("GRID-BCU100001", loaded_entry.entry_id):
        device = find_device(hass, identifier)
        assert device is not None
        with pytest.raises(ServiceValidationError) as err:
            await _start_session_on(hass, device.id)
        assert err.value.translation_key == "not_a_charge_point"

    point = find_device(hass, EVSE_ID)
    assert point is not None
    registry.async_update_device(point.id, disabled_by=dr.DeviceEntryDisabler.USER)
    with pytest.raises(ServiceValidationError) as err:
        await _start_session_on(hass, point.id)
    assert err.value.translation_key == "device_disabled"
    registry.async_update_device(point.id, disabled_by=None)

    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _start_session_on(hass, point.id)
    assert err.value.translation_key == "entry_not_loaded"
    assert not cloud.stats.ws_commands
    assert cloud.account.charge_points[EVSE_ID].session is None

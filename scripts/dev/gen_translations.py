"""Write strings.json, translations/en.json and translations/nl.json from one table.

Keeping both languages side by side in one place stops them drifting apart; the test suite
checks that the files on disk match what this script writes.
"""

from __future__ import annotations

import json
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parents[2] / "custom_components" / "bluecurrent"

# key: (English, Dutch)
T = dict[str, tuple[str, str]]

ACTIVITY: T = {
    "available": ("Available", "Beschikbaar"),
    "charging": ("Charging", "Laden"),
    "disabled": ("Disabled", "Uitgeschakeld"),
    "error": ("Error", "Fout"),
    "offline": ("Offline", "Offline"),
}
VEHICLE: T = {
    "standby": ("Standby", "Stand-by"),
    "vehicle_detected": ("Vehicle detected", "Voertuig gedetecteerd"),
    "ready": ("Ready", "Gereed"),
    "no_power": ("No power", "Geen stroom"),
    "vehicle_error": ("Vehicle error", "Voertuigfout"),
}
SENSORS: T = {
    "activity": ("Activity", "Activiteit"),
    "vehicle_status": ("Vehicle status", "Voertuigstatus"),
    "current_phase": ("Current phase {phase}", "Stroom fase {phase}"),
    "current": ("Average current", "Gemiddelde stroom"),
    "voltage_phase": ("Voltage phase {phase}", "Spanning fase {phase}"),
    "voltage": ("Average voltage", "Gemiddelde spanning"),
    "power": ("Power", "Vermogen"),
    "session_energy": ("Session energy", "Energie sessie"),
    "session_cost": ("Session cost", "Kosten sessie"),
    "session_start": ("Session started", "Sessie gestart"),
    "session_end": ("Session ended", "Sessie gestopt"),
    "offline_since": ("Offline since", "Offline sinds"),
    "max_usage": ("Max usage", "Maximaal verbruik"),
    "smart_charging_max_usage": ("Smart charging max usage", "Maximaal verbruik slim laden"),
    "max_offline": ("Max offline current", "Maximale stroom offline"),
    "remaining_current": ("Remaining current", "Resterende stroom"),
    "lifetime_energy": ("Lifetime energy", "Totale energie"),
    "lifetime_cost": ("Lifetime cost", "Totale kosten"),
    "latest_transaction_energy": ("Latest session energy", "Energie laatste sessie"),
    "latest_transaction_cost": ("Latest session cost", "Kosten laatste sessie"),
    "tariff_price": ("Tariff", "Tarief"),
    "socket_activity": ("Socket {socket} activity", "Activiteit aansluiting {socket}"),
    "socket_vehicle_status": (
        "Socket {socket} vehicle status",
        "Voertuigstatus aansluiting {socket}",
    ),
    "socket_current": ("Socket {socket} current", "Stroom aansluiting {socket}"),
    "socket_power": ("Socket {socket} power", "Vermogen aansluiting {socket}"),
    "socket_session_energy": (
        "Socket {socket} session energy",
        "Energie sessie aansluiting {socket}",
    ),
    "socket_session_cost": ("Socket {socket} session cost", "Kosten sessie aansluiting {socket}"),
    "grid_current_phase": ("Grid current phase {phase}", "Netstroom fase {phase}"),
    "grid_current": ("Average grid current", "Gemiddelde netstroom"),
    "grid_current_max": ("Max grid current", "Maximale netstroom"),
    "grid_max_installed": ("Installed grid capacity", "Geïnstalleerde netcapaciteit"),
    "grid_max_reserved": ("Reserved grid capacity", "Gereserveerde netcapaciteit"),
    "trees": ("Trees planted", "Geplante bomen"),
    "co2": ("CO2 saved", "Bespaarde CO2"),
}
SWITCHES: T = {
    "enabled": ("Charging enabled", "Laden ingeschakeld"),
    "plug_and_charge": ("Plug and charge", "Plug and charge"),
    "public_charging": ("Public charging", "Openbaar laden"),
}
BUTTONS: T = {
    "stop_session": ("Stop charging session", "Laadsessie stoppen"),
    "soft_reset": ("Soft reset", "Zachte reset"),
    "reboot": ("Reboot", "Herstarten"),
    "unlock_connector": ("Unlock connector", "Connector ontgrendelen"),
}
EXCEPTIONS: T = {
    "invalid_auth": (
        "The Blue Current cloud rejected the credentials.",
        "De Blue Current-cloud heeft de inloggegevens geweigerd.",
    ),
    "limit_reached": (
        "The Blue Current request limit is reached; it resets at {reset}.",
        "De limiet voor verzoeken aan Blue Current is bereikt; die wordt om {reset} hersteld.",
    ),
    "cannot_connect": (
        "Cannot connect to the Blue Current cloud ({error}).",
        "Kan geen verbinding maken met de Blue Current-cloud ({error}).",
    ),
    "communication_error": (
        "Communication with the Blue Current cloud failed ({error}).",
        "Communicatie met de Blue Current-cloud is mislukt ({error}).",
    ),
    "unknown_error": (
        "Unexpected answer from the Blue Current cloud ({error}).",
        "Onverwacht antwoord van de Blue Current-cloud ({error}).",
    ),
    "command_rejected": (
        "The charge point rejected the command ({error}).",
        "Het laadpunt heeft de opdracht geweigerd ({error}).",
    ),
    "forbidden": (
        "This account may not control this charge point.",
        "Dit account mag dit laadpunt niet bedienen.",
    ),
    "timeout": (
        "The Blue Current cloud did not answer in time.",
        "De Blue Current-cloud antwoordde niet op tijd.",
    ),
    "unknown_card": (
        "Charge card {card} is not one of this account's cards.",
        "Laadpas {card} is geen laadpas van dit account.",
    ),
    "invalid_card": (
        "Charge card {card} is no longer valid.",
        "Laadpas {card} is niet meer geldig.",
    ),
    "unknown_device": ("Device {device} does not exist.", "Apparaat {device} bestaat niet."),
    "device_disabled": (
        "{device} is disabled; enable the device to control it.",
        "{device} is uitgeschakeld; schakel het apparaat in om het te bedienen.",
    ),
    "entry_not_loaded": (
        "The Blue Current account of {device} is not loaded.",
        "Het Blue Current-account van {device} is niet geladen.",
    ),
    "not_a_charge_point": (
        "{device} is not a Blue Current charge point.",
        "{device} is geen laadpunt van Blue Current.",
    ),
}


def build(lang: int) -> dict[str, object]:
    """Build the translation file for one language (0 = English, 1 = Dutch)."""

    def pick(table: T) -> dict[str, dict[str, str]]:
        return {key: {"name": names[lang]} for key, names in table.items()}

    def states(table: T) -> dict[str, str]:
        return {key: names[lang] for key, names in table.items()}

    sensors = pick(SENSORS)
    for key in ("activity", "socket_activity"):
        sensors[key]["state"] = states(ACTIVITY)  # type: ignore[assignment]
    for key in ("vehicle_status", "socket_vehicle_status"):
        sensors[key]["state"] = states(VEHICLE)  # type: ignore[assignment]
    en = lang == 0
    username = ("E-mail address", "E-mailadres")[lang]
    password = ("Password", "Wachtwoord")[lang]
    token = ("API token", "API-token")[lang]
    token_help = (
        "The home automation key from my.bluecurrent.nl (developer mode, Advanced settings).",
        "De domoticasleutel van my.bluecurrent.nl (ontwikkelaarsmodus, Geavanceerde instellingen).",
    )[lang]
    password_help = (
        "The e-mail address you log in to the Blue Current app with.",
        "Het e-mailadres waarmee u inlogt in de Blue Current-app.",
    )[lang]
    password_form = {
        "data": {"username": username, "password": password},
        "data_description": {"username": password_help},
    }
    token_form = {"data": {"api_token": token}, "data_description": {"api_token": token_help}}
    return {
        "config": {
            "step": {
                "user": {
                    "title": "Blue Current",
                    "description": ("How do you want to log in?" if en else "Hoe wilt u inloggen?"),
                    "menu_options": {
                        "password": (
                            "E-mail address and password" if en else "E-mailadres en wachtwoord"
                        ),
                        "api_token": (
                            "API token (home automation key)"
                            if en
                            else "API-token (domoticasleutel)"
                        ),
                    },
                },
                "password": {
                    "title": "Log in" if en else "Inloggen",
                    **password_form,
                },
                "api_token": {"title": token, **token_form},
                "reauth_confirm": {
                    "title": "Log in again" if en else "Opnieuw inloggen",
                    "description": (
                        "The Blue Current cloud no longer accepts the credentials of {account}."
                        if en
                        else "De Blue Current-cloud accepteert de inloggegevens van {account} "
                        "niet meer."
                    ),
                    "data": {"username": username, "password": password, "api_token": token},
                    "data_description": {"username": password_help, "api_token": token_help},
                },
                "reconfigure": {
                    "title": "Change credentials" if en else "Inloggegevens wijzigen",
                    "description": (
                        "New credentials for {account}."
                        if en
                        else "Nieuwe inloggegevens voor {account}."
                    ),
                    "data": {"username": username, "password": password, "api_token": token},
                    "data_description": {"username": password_help, "api_token": token_help},
                },
            },
            "error": {
                "invalid_auth": ("Invalid credentials." if en else "Ongeldige inloggegevens."),
                "cannot_connect": (
                    "Cannot connect to the Blue Current cloud."
                    if en
                    else "Kan geen verbinding maken met de Blue Current-cloud."
                ),
                "limit_reached": (
                    "The Blue Current request limit is reached; try again after {reset}."
                    if en
                    else "De limiet voor verzoeken aan Blue Current is bereikt; "
                    "probeer het na {reset} opnieuw."
                ),
                "unknown": ("Unexpected error." if en else "Onverwachte fout."),
            },
            "abort": {
                "already_configured": (
                    "This account is already configured." if en else "Dit account is al ingesteld."
                ),
                "reauth_successful": ("Logged in again." if en else "Opnieuw ingelogd."),
                "reconfigure_successful": (
                    "The credentials were changed." if en else "De inloggegevens zijn gewijzigd."
                ),
                "wrong_account": (
                    "These credentials are of another account; log in as {account}."
                    if en
                    else "Deze inloggegevens zijn van een ander account; log in als {account}."
                ),
            },
        },
        "device": {
            "grid": {"name": "Grid connection" if en else "Netaansluiting"},
            "account": {"name": "Blue Current account"},
        },
        "entity": {
            "sensor": sensors,
            "switch": pick(SWITCHES),
            "select": {
                "plug_and_charge_card": {
                    "name": "Plug and charge card" if en else "Plug and charge-laadpas",
                    "state": {"no_card": "No card" if en else "Geen laadpas"},
                }
            },
            "button": pick(BUTTONS),
        },
        "exceptions": {key: {"message": text[lang]} for key, text in EXCEPTIONS.items()},
        "services": {
            "start_session": {
                "name": "Start charging session" if en else "Laadsessie starten",
                "description": (
                    "Starts a session on a charge point, paid with the chosen charge card."
                    if en
                    else "Start een laadsessie op een laadpunt, betaald met de gekozen laadpas."
                ),
                "fields": {
                    "device_id": {
                        "name": "Charge point" if en else "Laadpunt",
                        "description": (
                            "The charge point to start charging on."
                            if en
                            else "Het laadpunt waarop het laden moet starten."
                        ),
                    },
                    "charge_card": {
                        "name": "Charge card" if en else "Laadpas",
                        "description": (
                            "Name, id or uid of one of the account's valid cards; "
                            "empty for no card."
                            if en
                            else "Naam, id of uid van een geldige laadpas van het account; "
                            "leeg voor geen laadpas."
                        ),
                    },
                },
            }
        },
    }


def render(lang: int) -> str:
    """JSON text as written to disk."""
    return json.dumps(build(lang), indent=2, ensure_ascii=False) + "\n"


def targets() -> dict[Path, str]:
    """Each translation file with the text it must hold."""
    return {
        ROOT / "strings.json": render(0),
        ROOT / "translations" / "en.json": render(0),
        ROOT / "translations" / "nl.json": render(1),
    }


if __name__ == "__main__":
    stale = [
        path for path, text in targets().items() if not path.exists() or path.read_text() != text
    ]
    if "--check" in sys.argv:
        sys.exit(1 if stale else 0)
    for path, text in targets().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")

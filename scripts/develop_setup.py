"""Helpers for scripts/develop: onboarding done offline, and the config entry made over REST.

``prepare``  runs before Home Assistant starts (it writes ``config/.storage`` directly): it
             creates the local owner user (or resets its password), marks every onboarding step
             done, and prints a short-lived access token for ``entry``.
``entry``    runs once Home Assistant answers: it creates the Blue Current config entry through
             the same config flow the UI uses (so the credentials are really checked), unless
             an entry of the same kind (simulator or real cloud) exists already.

Run with the project's .venv: ``.venv/bin/python scripts/develop_setup.py prepare -c config``.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import timedelta
import json
import os
from pathlib import Path
import sys
import time
from typing import Any
import urllib.error
import urllib.request

DOMAIN = "bluecurrent"
TOKEN_CLIENT = "scripts/develop"  # noqa: S105 (a token name, not a secret)
MODE_FILE = ".develop_mode"


# --------------------------------------------------------------------------------------------
# prepare: offline, before Home Assistant starts
# --------------------------------------------------------------------------------------------


async def _prepare(config_dir: Path, username: str, password: str, name: str) -> str:
    from homeassistant.auth import auth_manager_from_config  # noqa: PLC0415
    from homeassistant.auth.const import GROUP_ID_ADMIN  # noqa: PLC0415
    from homeassistant.auth.models import TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN  # noqa: PLC0415
    from homeassistant.auth.providers.homeassistant import (  # noqa: PLC0415
        HassAuthProvider,
        InvalidUser,
    )
    from homeassistant.components.onboarding import (  # noqa: PLC0415
        STORAGE_KEY as ONBOARDING_KEY,
        STORAGE_VERSION as ONBOARDING_VERSION,
    )
    from homeassistant.components.onboarding.const import STEPS  # noqa: PLC0415
    from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE  # noqa: PLC0415
    from homeassistant.core import HomeAssistant  # noqa: PLC0415
    from homeassistant.helpers.storage import Store  # noqa: PLC0415

    hass = HomeAssistant(str(config_dir))
    hass.auth = await auth_manager_from_config(hass, [{"type": "homeassistant"}], [])
    provider = hass.auth.auth_providers[0]
    assert isinstance(provider, HassAuthProvider)
    await provider.async_initialize()
    assert provider.data is not None

    try:
        # Keep the printed password true even if someone changed it in the UI.
        await provider.async_change_password(username, password)
    except InvalidUser:
        await provider.async_add_auth(username, password)
    credentials = await provider.async_get_or_create_credentials({"username": username})
    user = (
        None if credentials.is_new else await hass.auth.async_get_user_by_credentials(credentials)
    )
    if user is None:
        user = await hass.auth.async_create_user(name, group_ids=[GROUP_ID_ADMIN])
        await hass.auth.async_link_user(user, credentials)

    refresh = next(
        (
            token
            for token in user.refresh_tokens.values()
            if token.client_name == TOKEN_CLIENT
            and token.token_type == TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN
        ),
        None,
    )
    if refresh is None:
        refresh = await hass.auth.async_create_refresh_token(
            user,
            client_name=TOKEN_CLIENT,
            token_type=TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN,
            access_token_expiration=timedelta(hours=12),
        )
    access_token = hass.auth.async_create_access_token(refresh)

    onboarding: Store[dict[str, Any]] = Store(hass, ONBOARDING_VERSION, ONBOARDING_KEY)
    await onboarding.async_save({"done": list(STEPS)})

    # The auth store saves with a delay; the final-write event flushes it, as at shutdown.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    return access_token


def cmd_prepare(args: argparse.Namespace) -> int:
    """Create the owner user and finish onboarding; print an access token."""
    from homeassistant import runner  # noqa: PLC0415

    asyncio.set_event_loop_policy(runner.HassEventLoopPolicy(False))
    token = asyncio.run(
        _prepare(Path(args.config).resolve(), args.username, args.password, args.name)
    )
    print(token)
    return 0


# --------------------------------------------------------------------------------------------
# entry: over Home Assistant's REST API, once it runs
# --------------------------------------------------------------------------------------------


# Home Assistant runs on this machine: never through a proxy from the environment.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Api:
    """A tiny Home Assistant REST client (stdlib only)."""

    def __init__(self, base_url: str, token: str) -> None:
        """Talk to base_url with a bearer token."""
        self.base_url = base_url.rstrip("/")
        self.token = token

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send one request and return the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(  # noqa: S310 (the URL is Home Assistant on localhost)
            f"{self.base_url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )
        with _LOCAL.open(req, timeout=30) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_running(api: Api, timeout: float, hass_pid: int | None, config_dir: str) -> None:
    """Wait until Home Assistant has finished starting (state RUNNING)."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if not _alive(hass_pid):
            raise SystemExit(
                f"Home Assistant stopped while starting; see {config_dir}/home-assistant.log"
            )
        try:
            config = api.request("GET", "/api/config")
            if config.get("state") == "RUNNING":
                return
            last = f"state {config.get('state')}"
        except (urllib.error.URLError, OSError, ValueError) as err:
            last = str(err)
        time.sleep(1)
    raise SystemExit(f"Home Assistant did not finish starting in {timeout:.0f} s ({last})")


def _entries(api: Api) -> list[dict[str, Any]]:
    entries = api.request("GET", f"/api/config/config_entries/entry?domain={DOMAIN}")
    return [e for e in entries if e.get("domain") == DOMAIN]


def _credentials(mode: str) -> tuple[str, dict[str, Any]]:
    """Return the login method and its form data for this mode."""
    if mode == "simulator":
        return "password", {
            "username": os.environ.get("SIMULATOR_USERNAME", "demo@example.com"),
            "password": os.environ.get("SIMULATOR_PASSWORD", "demo"),
        }
    if token := os.environ.get("BLUECURRENT_API_TOKEN"):
        return "api_token", {"api_token": token}
    return "password", {
        "username": os.environ["BLUECURRENT_USERNAME"],
        "password": os.environ["BLUECURRENT_PASSWORD"],
    }


def _create_entry(api: Api, mode: str, cloud_url: str | None) -> dict[str, Any]:
    method, form = _credentials(mode)
    # Another cloud (the simulator) is the "Cloud address" in the form's advanced section.
    if cloud_url:
        form["advanced"] = {"cloud_url": cloud_url}
    result = api.request("POST", "/api/config/config_entries/flow", {"handler": DOMAIN})
    flow_id = result["flow_id"]
    if result.get("type") == "menu":
        result = api.request(
            "POST", f"/api/config/config_entries/flow/{flow_id}", {"next_step_id": method}
        )
    if result.get("type") != "form":
        raise SystemExit(
            f"Unexpected config flow step: {result.get('type')} {result.get('reason')}"
        )
    result = api.request("POST", f"/api/config/config_entries/flow/{flow_id}", form)
    if result.get("type") != "create_entry":
        errors = result.get("errors") or result.get("reason")
        api.request("DELETE", f"/api/config/config_entries/flow/{flow_id}")
        raise SystemExit(f"The Blue Current config flow did not create an entry: {errors}")
    entry: dict[str, Any] = result["result"]
    return entry


def _wait_loaded(api: Api, entry_id: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    entry: dict[str, Any] = {}
    while time.monotonic() < deadline:
        entry = next((e for e in _entries(api) if e["entry_id"] == entry_id), {})
        if entry.get("state") in ("loaded", "setup_error", "migration_error", "failed_unload"):
            return entry
        time.sleep(0.5)
    return entry


def cmd_entry(args: argparse.Namespace) -> int:
    """Create the Blue Current config entry if there is none of this mode yet."""
    token = os.environ["DEVELOP_HA_TOKEN"]
    api = Api(args.url, token)
    _wait_running(api, args.timeout, args.hass_pid, args.config)

    # The entry remembers the cloud it was made for (cloud_url in its data): when the script
    # switches between the simulator and the real cloud (or accounts), the old entry goes.
    key = args.key or args.mode
    key_file = Path(args.config) / MODE_FILE
    previous_key = key_file.read_text().strip() if key_file.exists() else None
    entries = _entries(api)
    if entries and previous_key is not None and previous_key != key:
        for entry in entries:
            print(f"Removing the entry {entry['title']} ({previous_key})", file=sys.stderr)
            api.request("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")
        entries = []

    if entries:
        entry = entries[0]
        if entry.get("state") not in ("loaded", "setup_error"):
            entry = _wait_loaded(api, entry["entry_id"], 60)
    else:
        entry = _create_entry(api, args.mode, args.cloud_url)
        key_file.write_text(key + "\n")
        entry = _wait_loaded(api, entry["entry_id"], 60)

    state = entry.get("state")
    print(f"Blue Current entry '{entry.get('title')}': {state}", file=sys.stderr)
    if state != "loaded":
        reason = entry.get("reason") or ""
        print(f"warning: the entry is not loaded {reason}".rstrip(), file=sys.stderr)
        return 3
    return 0


def main() -> int:
    """Parse the command line and run one subcommand."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)

    prepare = sub.add_parser("prepare", help="owner user + onboarding; prints an access token")
    prepare.add_argument("-c", "--config", default="config")
    prepare.add_argument("--username", default="demo")
    prepare.add_argument("--password", default="demo1234")
    prepare.add_argument("--name", default="Demo")
    prepare.set_defaults(func=cmd_prepare)

    entry = sub.add_parser("entry", help="create the config entry (token in DEVELOP_HA_TOKEN)")
    entry.add_argument("-c", "--config", default="config")
    entry.add_argument("--url", default="http://127.0.0.1:8123")
    entry.add_argument("--mode", choices=["simulator", "cloud"], required=True)
    entry.add_argument("--key", default=None, help="which cloud and account (default: mode)")
    entry.add_argument("--cloud-url", default=None, help="another cloud's address (simulator)")
    entry.add_argument("--timeout", type=float, default=300)
    entry.add_argument("--hass-pid", type=int, default=None)
    entry.set_defaults(func=cmd_entry)

    args = parser.parse_args()
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())

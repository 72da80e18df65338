"""The browser test: the demo Home Assistant, driven through Chromium like a person would.

Run by ``scripts/e2e`` (not collected by pytest: this file is a plain script). It

1. starts ``scripts/develop`` (simulator mode) in the background with a fresh, temporary config
   directory (the developer's ``config/`` stays untouched) and waits until it is ready;
2. logs in through Home Assistant's real login page with the demo user;
3. opens the first charge point's device page from Settings > Devices (the first charge point is
   the one the simulator starts charging) and checks that the activity, energy and current
   sensors, the "Charging enabled" switch and the "Plug and charge card" select show what the
   simulator says (asked over the simulator's own websocket API, not through the integration);
4. chooses price-based charging in the "Smart charging" select, checks the departure time shown
   and presses "Boost", each against the simulator, and switches smart charging off again;
5. turns charging off by clicking the switch and checks that the simulator's charge point is
   disabled, then picks another plug-and-charge card and checks the simulator again;
6. saves screenshots of the device page in ``artifacts/e2e/`` (``readme.png`` is the README's
   picture; ``--update-readme-screenshot`` copies it to ``docs/screenshot-device.png``), copies
   the logs there, and always stops the demo it started.

Exit code 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from playwright.sync_api import Locator, Page, ViewportSize, sync_playwright
from websockets.sync.client import connect as ws_connect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "e2e"
README_SCREENSHOT = ARTIFACTS / "readme.png"
DOCS_SCREENSHOT = ROOT / "docs" / "screenshot-device.png"

HA_URL = "http://127.0.0.1:8123"
HA_USERNAME = "demo"
HA_PASSWORD = "demo1234"
SIMULATOR_PORT = int(os.environ.get("SIMULATOR_PORT", "8765"))
SIMULATOR_WS = f"ws://127.0.0.1:{SIMULATOR_PORT}/appserver/2.0"
SIMULATOR_API_TOKEN = "demo-api-token"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",  # Home Assistant is on 127.0.0.1, whatever the environment says
]
# Tall enough for the whole device page (it scrolls inside the app, so full_page cannot).
VIEWPORT: ViewportSize = {"width": 1280, "height": 2200}
UI_TIMEOUT_MS = 30_000


def log(message: str) -> None:
    print(f"e2e: {message}", flush=True)


class CheckFailed(AssertionError):
    """A check of the test failed."""


# --------------------------------------------------------------------------------------------
# The simulator's truth, asked over its websocket API like any client of the cloud would
# --------------------------------------------------------------------------------------------


class SimulatorProbe:
    """A minimal raw client of the simulated cloud: one websocket per question."""

    def __init__(self, url: str, api_token: str) -> None:
        self.url = url
        self.api_token = api_token

    def _ask(self, *commands: dict[str, Any]) -> list[dict[str, Any]]:
        """Log in, send each command and return each reply (matched by the object name)."""
        with ws_connect(self.url, open_timeout=10, close_timeout=2, proxy=None) as ws:
            ws.send(json.dumps({"command": "VALIDATE_API_TOKEN", "token": self.api_token}))
            login = self._reply(ws, {"STATUS_API_TOKEN"})
            if not login.get("success"):
                raise CheckFailed(f"the simulator refused the API token: {login}")
            auth = f"Token {login['token']}"
            replies = []
            for command in commands:
                ws.send(json.dumps({**command, "Authorization": auth}))
                replies.append(self._reply(ws, REPLIES[command["command"]]))
            return replies

    @staticmethod
    def _reply(ws: Any, objects: set[str]) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = json.loads(ws.recv(timeout=left))
            except ValueError:
                continue
            if not isinstance(frame, dict):
                continue
            if frame.get("object") == "ERROR":
                raise CheckFailed(f"the simulator answered an error: {frame}")
            if frame.get("object") in objects:
                return frame
        raise CheckFailed(f"no {objects} from the simulator within 10 s")

    def charge_points(self) -> list[dict[str, Any]]:
        (reply,) = self._ask({"command": "GET_CHARGE_POINTS"})
        data: list[dict[str, Any]] = reply["data"]
        return data

    def status(self, evse_id: str) -> dict[str, Any]:
        (reply,) = self._ask({"command": "GET_CH_STATUS", "evse_id": evse_id})
        data: dict[str, Any] = reply["data"]
        return data

    def settings(self, evse_id: str) -> dict[str, Any]:
        (reply,) = self._ask({"command": "GET_CH_SETTINGS", "evse_id": evse_id})
        data: dict[str, Any] = reply["data"]
        return data

    def cards(self) -> list[dict[str, Any]]:
        (reply,) = self._ask({"command": "GET_CHARGE_CARDS"})
        cards: list[dict[str, Any]] = reply["cards"]
        return cards


REPLIES = {
    "GET_CHARGE_POINTS": {"CHARGE_POINTS"},
    "GET_CH_STATUS": {"CH_STATUS"},
    "GET_CH_SETTINGS": {"CH_SETTINGS"},
    "GET_CHARGE_CARDS": {"CHARGE_CARDS"},
}

NO_CARD_UIDS = {None, "", "BCU_HOME_USE", "BCU-APP"}


def power_kw(status: dict[str, Any]) -> float:
    """Power as the simulator's currents and voltages give it: the sum of current times voltage."""
    pairs = [(status.get(f"actual_p{n}") or 0, status.get(f"actual_v{n}") or 0) for n in (1, 2, 3)]
    return sum(float(i) * float(v) for i, v in pairs) / 1000


def card_uid(settings: dict[str, Any]) -> str | None:
    card = settings.get("plug_and_charge_charge_card") or {}
    uid = card.get("uid")
    return None if uid in NO_CARD_UIDS else uid


# --------------------------------------------------------------------------------------------
# The demo: scripts/develop in the background
# --------------------------------------------------------------------------------------------


@dataclass
class Demo:
    """scripts/develop started by this test, with its output kept for the report."""

    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)
    ready_after: float | None = None

    def pump(self, sink: Path) -> None:
        assert self.proc.stdout is not None
        with sink.open("w") as out:
            for line in self.proc.stdout:
                self.lines.append(line)
                out.write(line)
                out.flush()
                print(f"  develop| {line}", end="", flush=True)
                if "Home Assistant is ready" in line and not self.ready.is_set():
                    self.ready_after = time.monotonic() - self.started
                    self.ready.set()
        self.ready.set()  # the script ended: stop waiting


@contextmanager
def running_demo(timeout: float, config_dir: Path) -> Iterator[Demo]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"BLUECURRENT_USERNAME", "BLUECURRENT_PASSWORD", "BLUECURRENT_API_TOKEN"}
    }
    env |= {"HA_USERNAME": HA_USERNAME, "HA_PASSWORD": HA_PASSWORD}
    log(f"starting scripts/develop (simulator mode) with a fresh config dir {config_dir}")
    proc = subprocess.Popen(  # noqa: S603 (our own script)
        [str(ROOT / "scripts" / "develop"), "--config", str(config_dir)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, so nothing it started can outlive us
    )
    demo = Demo(proc)
    pump = threading.Thread(target=demo.pump, args=(ARTIFACTS / "develop.log",), daemon=True)
    pump.start()
    try:
        if not demo.ready.wait(timeout) or proc.poll() is not None:
            raise CheckFailed(
                f"scripts/develop was not ready in {timeout:.0f} s (exit code {proc.poll()})"
            )
        log(f"the demo is ready after {demo.ready_after:.1f} s")
        yield demo
    finally:
        stop_demo(proc, config_dir)
        pump.join(timeout=5)


def stop_demo(proc: subprocess.Popen[str], config_dir: Path) -> None:
    """SIGTERM to scripts/develop (it stops Home Assistant and the simulator), then make sure."""
    if proc.poll() is None:
        log("stopping the demo")
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            log("scripts/develop did not stop in 60 s; killing its process group")
    # Whatever is left in the process group that this test created (normally nothing).
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    # Home Assistant and the simulator run in sessions of their own (so that a terminal's
    # Ctrl-C reaches only scripts/develop); if it could not stop them, its pid file names them.
    for name, pid in leftover_processes(config_dir):
        log(f"the {name} (pid {pid}) outlived scripts/develop; killing it")
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def leftover_processes(config_dir: Path) -> list[tuple[str, int]]:
    """The processes in scripts/develop's pid file that still run as what it started."""
    pids_file = config_dir / ".develop.pids"
    if not pids_file.exists():
        return []
    found = []
    for line in pids_file.read_text().splitlines():
        name, _, pid_text = line.partition(" ")
        if not pid_text.strip().isdigit():
            continue
        pid = int(pid_text)
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(config_dir) in cmdline or "-m simulator" in cmdline:
            found.append((name, pid))
    return found


def port_open(port: int) -> bool:
    with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


# --------------------------------------------------------------------------------------------
# The browser side
# --------------------------------------------------------------------------------------------


def wait_until[T](what: str, probe: Callable[[], T | None], timeout: float = 30) -> T:
    """Poll probe() until it returns something truthy."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            result = probe()
        except CheckFailed as err:
            last = err
        else:
            if result:
                return result
            last = result
        time.sleep(0.5)
    raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


def login(page: Page) -> None:
    page.goto(HA_URL + "/")
    page.wait_for_url(re.compile(r"/auth/authorize"), timeout=UI_TIMEOUT_MS)
    page.locator("input[name=username]").fill(HA_USERNAME)
    page.locator("input[name=password]").fill(HA_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/lovelace"), timeout=UI_TIMEOUT_MS)
    log("logged in through the login page")


def call_ws(page: Page, message: dict[str, Any]) -> Any:
    """A websocket command through the frontend's own connection (as the logged-in user)."""
    return page.evaluate(
        "(msg) => document.querySelector('home-assistant').hass.callWS(msg)", message
    )


def find_charge_point_device(page: Page, evse_id: str) -> dict[str, Any]:
    page.wait_for_function(
        "() => document.querySelector('home-assistant')?.hass?.connected", timeout=UI_TIMEOUT_MS
    )
    devices = call_ws(page, {"type": "config/device_registry/list"})
    for device in devices:
        if ["bluecurrent", evse_id] in device["identifiers"]:
            return dict(device)
    raise CheckFailed(f"no device for charge point {evse_id} in Home Assistant")


def entity_ids(page: Page, device_id: str, evse_id: str) -> dict[str, str]:
    """Map the integration's entity keys (unique id suffixes) to entity ids of the device."""
    entries = call_ws(page, {"type": "config/entity_registry/list"})
    prefix = f"{evse_id}_"
    return {
        e["unique_id"].removeprefix(prefix): e["entity_id"]
        for e in entries
        if e["platform"] == "bluecurrent"
        and e["device_id"] == device_id
        and e["unique_id"].startswith(prefix)
    }


def entity_row(page: Page, name: str) -> Locator:
    """The row of one entity in the device page's entity cards (found by its shown name)."""
    rows = page.locator("ha-device-entities-card").locator(
        "hui-generic-entity-row, hui-toggle-entity-row, hui-select-entity-row, "
        "hui-sensor-entity-row, hui-simple-entity-row, hui-button-entity-row"
    )
    return rows.filter(
        has=page.locator(".info", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    )


# The text a person sees in an element: through shadow roots and into slotted content
# (inner_text() stops at shadow roots, and Home Assistant's rows are all web components).
DEEP_TEXT_JS = """(root) => {
  const out = [];
  const walk = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { out.push(node.textContent); return; }
    const kind = node.nodeType;
    if (kind !== Node.ELEMENT_NODE && kind !== Node.DOCUMENT_FRAGMENT_NODE) return;
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (["STYLE", "SCRIPT", "TEMPLATE"].includes(node.tagName)) return;
      if (node.tagName === "SLOT") {
        const assigned = node.assignedNodes({ flatten: true });
        (assigned.length ? assigned : [...node.childNodes]).forEach(walk);
        return;
      }
      if (node.shadowRoot) { [...node.shadowRoot.childNodes].forEach(walk); return; }
    }
    [...node.childNodes].forEach(walk);
  };
  walk(root);
  return out.join(" ").replace(/\\s+/g, " ").trim();
}"""


def deep_text(locator: Locator) -> str:
    return str(locator.evaluate(DEEP_TEXT_JS))


def row_text(page: Page, name: str) -> str:
    row = entity_row(page, name).first
    row.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    return deep_text(row)


NUMBER = re.compile(r"(-?\d[\d,]*(?:\.\d+)?)")


def shown_number(page: Page, name: str, unit: str) -> float:
    text = row_text(page, name)
    value_text = text.split(name, 1)[-1]
    match = NUMBER.search(value_text)
    if match is None or unit not in value_text:
        raise CheckFailed(f"{name!r} shows {text!r}, not a value in {unit}")
    return float(match.group(1).replace(",", ""))


def switch_of(page: Page, name: str) -> Locator:
    return entity_row(page, name).first.locator("ha-switch").first


def switch_is_on(page: Page, name: str) -> bool:
    checked = switch_of(page, name).evaluate("(el) => Boolean(el.checked)")
    return bool(checked)


def select_of(page: Page, name: str) -> Locator:
    """A select row shows its name as the label of its ha-select (no separate name)."""
    return page.locator("ha-device-entities-card ha-select").filter(has_text=name).first


def select_shown(page: Page, name: str) -> str:
    select = select_of(page, name)
    select.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    return str(select.evaluate("(el) => el.selectedText || el.value || ''"))


def choose(page: Page, name: str, label: str) -> None:
    """Open a select row and click one of its options, by the text a person sees."""
    select_of(page, name).click()
    option = page.locator("ha-list-item, mwc-list-item").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    )
    option.first.wait_for(state="visible")
    option.first.click()


def time_shown(page: Page, name: str) -> str:
    """The value ("HH:MM:SS") of a time row's input."""
    field = entity_row(page, name).first.locator("ha-time-input").first
    return str(field.evaluate("(el) => el.value || ''"))


def screenshot(page: Page, name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    log(f"screenshot {path.relative_to(ROOT)}")
    return path


def readme_screenshot(page: Page) -> None:
    """The README's picture: the device page down to its Configuration card (controls, sensors,
    switches and the card select), without the long diagnostic list below."""
    card = page.locator("ha-device-entities-card").filter(has=page.locator("ha-select")).first
    box = card.bounding_box()
    if box is None:
        raise CheckFailed("the device page's Configuration card is not shown")
    height = min(VIEWPORT["height"], int(box["y"] + box["height"] + 24))
    page.screenshot(
        path=str(README_SCREENSHOT),
        clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height},
    )
    log(f"screenshot {README_SCREENSHOT.relative_to(ROOT)} ({VIEWPORT['width']}x{height})")


# --------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------


@dataclass
class Checks:
    """Counts what was checked, for the summary."""

    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def ok(self, what: str) -> None:
        self.passed.append(what)
        log(f"ok: {what}")

    def fail_later(self, what: str) -> None:
        """A failed check that does not stop the ones after it (the test still fails)."""
        self.failed.append(what)
        log(f"FAILED (going on): {what}")


def close_to(shown: float, truths: list[float], tolerance: float) -> bool:
    """Whether a shown value lies within tolerance of the truths read before and after it."""
    return min(truths) - tolerance <= shown <= max(truths) + tolerance


def run_browser_test(probe: SimulatorProbe, checks: Checks) -> None:
    points = probe.charge_points()
    if not points:
        raise CheckFailed("the simulator has no charge points")
    point = points[0]
    evse_id = point["evse_id"]
    device_name = point.get("name") or evse_id
    log(f"first charge point: {evse_id} ({device_name!r})")

    with sync_playwright() as pw, tempfile.TemporaryDirectory(prefix="e2e-chromium-") as profile:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport=VIEWPORT,
            locale="en-US",
            timezone_id="Europe/Amsterdam",
        )
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        try:
            login(page)
            checks.ok("logged in through the real login page")
            _device_page_checks(page, probe, checks, evse_id, device_name)
            _readme_dashboard_checks(page, checks)
        except Exception:
            with suppress(Exception):
                screenshot(page, "failure")
            raise
        finally:
            context.close()


def _device_page_checks(
    page: Page, probe: SimulatorProbe, checks: Checks, evse_id: str, device_name: str
) -> None:
    device = find_charge_point_device(page, evse_id)
    entities = entity_ids(page, device["id"], evse_id)
    log(f"device {device['id']}: {len(entities)} entities")
    # Like a person: Settings > Devices, then the charge point's row.
    page.goto(f"{HA_URL}/config/devices/dashboard")
    page.get_by_text(device_name, exact=True).first.click()
    page.wait_for_url(f"**/config/devices/device/{device['id']}", timeout=UI_TIMEOUT_MS)
    log(f"opened the device page of {device_name!r} from the device list")

    # -- Sensors: what the page shows against what the simulator says ------------------------
    before = probe.status(evse_id)
    row_text(page, "Activity")  # wait until the entity cards are rendered
    time.sleep(1)  # let pushed states settle in the page
    activity = row_text(page, "Activity")
    energy = shown_number(page, "Session energy", "kWh")
    power = shown_number(page, "Power", "kW")
    lifetime = shown_number(page, "Lifetime energy", "kWh")
    after = probe.status(evse_id)

    activity_names = {
        "available": "Available",
        "charging": "Charging",
        "unavailable": "Disabled",
        "error": "Error",
        "offline": "Offline",
    }
    expected = {activity_names.get(before["activity"]), activity_names.get(after["activity"])}
    if not any(e and e in activity.split("Activity", 1)[-1] for e in expected):
        raise CheckFailed(f"Activity row shows {activity!r}; the simulator says {expected}")
    checks.ok(f"Activity shows {activity.split('Activity', 1)[-1].strip()!r} as the simulator")

    kwh = [float(before["actual_kwh"] or 0), float(after["actual_kwh"] or 0)]
    if not close_to(energy, kwh, 0.006):
        raise CheckFailed(f"Session energy shows {energy} kWh; the simulator says {kwh}")
    checks.ok(f"Session energy {energy} kWh matches the simulator ({kwh[-1]:.3f})")

    kws = [power_kw(s) for s in (before, after)]
    # Currents vary a little with every simulated tick; 2 decimals shown.
    if not close_to(power, kws, 0.011 + 0.05 * max(kws)):
        raise CheckFailed(f"Power shows {power} kW; the simulator says {kws}")
    checks.ok(f"Power {power} kW matches the simulator ({kws[-1]:.2f})")

    # A battery-charging binary sensor reads "Charging" or "Not charging" after its name.
    charging = before["activity"] == "charging"
    shown = row_text(page, "Charging").split("Charging", 1)[-1].strip()
    if (shown == "Charging") != charging:
        raise CheckFailed(f"'Charging' shows {shown!r}; the simulator charging={charging}")
    checks.ok(f"'Charging' binary sensor shows {shown!r} as the simulator says")

    if lifetime + 0.006 < energy:
        raise CheckFailed(f"Lifetime energy {lifetime} kWh is below the session's {energy} kWh")
    checks.ok(f"Lifetime energy is shown ({lifetime} kWh, not below the running session)")

    # -- Switch and select: shown as the simulator says ---------------------------------------
    enabled = probe.status(evse_id)["activity"] != "unavailable"
    if switch_is_on(page, "Charging enabled") != enabled:
        raise CheckFailed(f"'Charging enabled' is not {'on' if enabled else 'off'}")
    checks.ok(f"'Charging enabled' switch is {'on' if enabled else 'off'} as in the simulator")

    cards = [c for c in probe.cards() if c.get("valid") in (1, True)]
    settings = probe.settings(evse_id)
    current_uid = card_uid(settings)
    current_label = next(
        (c["name"] or c["id"] for c in cards if c["uid"] == current_uid), "No card"
    )
    shown_card = select_shown(page, "Plug and charge card")
    if current_label not in shown_card:
        raise CheckFailed(f"'Plug and charge card' shows {shown_card!r}, not {current_label!r}")
    checks.ok(f"'Plug and charge card' shows {shown_card!r} as in the simulator")

    screenshot(page, "device-page")
    readme_screenshot(page)
    _smart_charging_checks(page, probe, checks, evse_id)

    # -- Turn charging off through the UI ------------------------------------------------------
    if not enabled:
        raise CheckFailed("the charge point is already disabled; cannot test turning it off")
    switch_of(page, "Charging enabled").click()
    wait_until(
        "the simulator's charge point to be disabled",
        lambda: probe.status(evse_id)["activity"] == "unavailable",
    )
    checks.ok("clicking 'Charging enabled' disabled the charge point in the simulator")
    wait_until("the switch to show off", lambda: not switch_is_on(page, "Charging enabled"))
    checks.ok("the page shows the 'Charging enabled' switch off")
    try:
        wait_until("Activity to show Disabled", lambda: "Disabled" in row_text(page, "Activity"))
        checks.ok("the page shows the activity 'Disabled'")
    except CheckFailed:
        checks.fail_later(
            f"the activity of a disabled charge point shows {row_text(page, 'Activity')!r}, "
            "not 'Disabled' (the integration's translation of the cloud's 'unavailable')"
        )
    screenshot(page, "device-page-disabled")

    # -- Pick another plug-and-charge card ------------------------------------------------------
    candidates = [c for c in cards if c["uid"] != current_uid and c.get("name")]
    if not candidates:
        raise CheckFailed("the simulator's account has no other valid card to pick")
    target = candidates[0]
    label = target["name"]
    log(f"picking the card {label!r} (uid {target['uid']})")
    select = select_of(page, "Plug and charge card")
    select.click()
    option = page.locator("ha-list-item, mwc-list-item").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    )
    option.first.wait_for(state="visible")
    option.first.click()
    wait_until(
        "the simulator's plug-and-charge card to change",
        lambda: card_uid(probe.settings(evse_id)) == target["uid"],
    )
    checks.ok(f"picking {label!r} set the simulator's plug-and-charge card to {target['uid']}")
    wait_until(
        "the select to show the card", lambda: label in select_shown(page, "Plug and charge card")
    )
    checks.ok(f"the select shows {label!r}")
    screenshot(page, "device-page-card")


def _readme_dashboard_checks(page: Page, checks: Checks) -> None:
    """The README's dashboard examples, as written, render without an error or warning card."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tests.integration.readme_examples import by_key

    cards = [example.data for example in by_key("type")]
    if not cards:
        raise CheckFailed("README.md has no dashboard example")
    view = {"title": "README", "path": "readme", "cards": cards}
    call_ws(page, {"type": "lovelace/config/save", "config": {"views": [view]}})
    page.goto(f"{HA_URL}/lovelace/readme")
    page.locator("hui-vertical-stack-card").first.wait_for(state="visible")
    page.locator("hui-gauge-card").first.wait_for(state="visible")
    page.locator("hui-tile-card").first.wait_for(state="visible")
    time.sleep(2)  # let every card fetch what it shows (the statistics graph asks the recorder)
    problems = page.locator("hui-error-card, hui-warning")
    if problems.count():
        texts = [deep_text(problems.nth(i)) for i in range(problems.count())]
        screenshot(page, "readme-dashboard")
        raise CheckFailed(f"the README's dashboard shows errors: {texts}")
    screenshot(page, "readme-dashboard")
    checks.ok(f"the README's {len(cards)} dashboard examples render without an error card")
    graphs = page.locator("hui-statistics-graph-card")
    texts = [deep_text(graphs.nth(i)) for i in range(graphs.count())]
    if len(texts) < 2 or any("No statistics found" in text for text in texts):
        raise CheckFailed(f"a statistics graph of the README shows nothing: {texts}")
    checks.ok(f"the README's {len(texts)} statistics graphs show the charging history")


MODE_NAMES = {"off": "Off", "delayed": "Delayed charging", "price_based": "Price-based charging"}


def _smart_mode(settings: dict[str, Any]) -> str:
    if settings["price_based_charging"]["value"]:
        return "price_based"
    return "delayed" if settings["delayed_charging"]["value"] else "off"


def _smart_charging_checks(page: Page, probe: SimulatorProbe, checks: Checks, evse_id: str) -> None:
    """The smart-charging select, the departure time and boost, against the simulator."""
    wanted = MODE_NAMES[_smart_mode(probe.settings(evse_id))]
    shown = select_shown(page, "Smart charging")
    if wanted not in shown:
        raise CheckFailed(f"'Smart charging' shows {shown!r}, not {wanted!r}")
    checks.ok(f"'Smart charging' shows {shown!r} as in the simulator")

    choose(page, "Smart charging", MODE_NAMES["price_based"])
    wait_until(
        "the simulator's price-based charging to be on",
        lambda: _smart_mode(probe.settings(evse_id)) == "price_based",
    )
    checks.ok("choosing 'Price-based charging' switched it on in the simulator")
    wait_until(
        "the select to show price-based charging",
        lambda: MODE_NAMES["price_based"] in select_shown(page, "Smart charging"),
    )
    leave = probe.settings(evse_id)["price_based_charging"]["expected_leave_time"]
    wait_until(
        f"'Departure time' to show {leave}",
        lambda: time_shown(page, "Departure time").startswith(leave) or None,
    )
    checks.ok(f"'Departure time' shows {leave} as in the simulator")

    press_button = entity_row(page, "Boost").first.locator("ha-button, mwc-button").first
    press_button.wait_for(state="visible")
    press_button.click()
    wait_until(
        "the simulator's session to boost", lambda: probe.status(evse_id).get("boosting") or None
    )
    checks.ok("pressing 'Boost' made the simulator's session boost")
    screenshot(page, "device-page-smart")

    choose(page, "Smart charging", MODE_NAMES["off"])
    wait_until(
        "the simulator's smart charging to be off",
        lambda: _smart_mode(probe.settings(evse_id)) == "off",
    )
    checks.ok("choosing 'Off' switched smart charging off in the simulator")


def copy_logs(config_dir: Path) -> None:
    for name in ("home-assistant.log", "simulator.log"):
        src = config_dir / name
        if src.exists():
            shutil.copyfile(src, ARTIFACTS / name)


def report_integration_log(config_dir: Path) -> None:
    """Print what the integration and Home Assistant logged as warnings or errors."""
    path = config_dir / "home-assistant.log"
    if not path.exists():
        return
    lines = [
        line.rstrip()
        for line in path.read_text(errors="replace").splitlines()
        if (" ERROR " in line or " WARNING " in line)
        and "Skipping pip installation" not in line
        and "zlib_ng and isal" not in line
        and "custom integration" not in line
    ]
    if lines:
        log(f"{len(lines)} warnings/errors in home-assistant.log:")
        for line in lines[:40]:
            print(f"  hass| {line}")


def logged_errors(config_dir: Path) -> list[str]:
    """ERROR lines and tracebacks in Home Assistant's log of this run."""
    path = config_dir / "home-assistant.log"
    if not path.exists():
        return []
    return [
        line.rstrip()
        for line in path.read_text(errors="replace").splitlines()
        if " ERROR " in line or " CRITICAL " in line or line.startswith("Traceback")
    ]


def ports_in_use() -> list[int]:
    return [port for port in (8123, SIMULATOR_PORT) if port_open(port)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ready-timeout", type=float, default=600)
    parser.add_argument(
        "--update-readme-screenshot",
        action="store_true",
        help=f"copy the README's picture to {DOCS_SCREENSHOT.relative_to(ROOT)} (it is taken "
        "only once the device page showed the simulator's values)",
    )
    args = parser.parse_args()

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    if not Path(CHROMIUM).exists():
        log(f"{CHROMIUM} is missing (scripts/e2e installs Debian's chromium)")
        return 1
    if busy := ports_in_use():
        log(f"port(s) {busy} are in use: stop scripts/develop or whatever listens there first")
        return 1
    # A fresh Home Assistant every time (the developer's config/ stays untouched), so the
    # pages and screenshots show this run only.
    config_dir = Path(tempfile.mkdtemp(prefix="bluecurrent-e2e-config-"))
    try:
        rc = run(args.ready_timeout, config_dir)
    finally:
        shutil.rmtree(config_dir, ignore_errors=True)
    if args.update_readme_screenshot and README_SCREENSHOT.exists():
        shutil.copyfile(README_SCREENSHOT, DOCS_SCREENSHOT)
        log(f"updated {DOCS_SCREENSHOT.relative_to(ROOT)}")
    return rc


def run(ready_timeout: float, config_dir: Path) -> int:
    checks = Checks()
    started = time.monotonic()
    try:
        with running_demo(ready_timeout, config_dir):
            probe = SimulatorProbe(SIMULATOR_WS, SIMULATOR_API_TOKEN)
            run_browser_test(probe, checks)
    except Exception as err:
        log(f"FAILED: {type(err).__name__}: {err}")
        copy_logs(config_dir)
        report_integration_log(config_dir)
        log(f"{len(checks.passed)} checks passed before the failure; see artifacts/e2e/")
        return 1
    finally:
        if left := ports_in_use():
            log(f"FAILED: something still listens on {left} after the demo stopped")
    if left:
        return 1
    checks.ok("the demo stopped everything it started (ports 8123 and the simulator's are free)")
    copy_logs(config_dir)
    report_integration_log(config_dir)
    if errors := logged_errors(config_dir):
        checks.fail_later(f"{len(errors)} errors in home-assistant.log, first: {errors[0]}")
    else:
        checks.ok("Home Assistant logged no errors")
    elapsed = time.monotonic() - started
    if checks.failed:
        log(f"FAILED: {len(checks.failed)} of {len(checks.passed) + len(checks.failed)} checks:")
        for what in checks.failed:
            log(f"  - {what}")
        return 1
    log(f"PASSED: {len(checks.passed)} checks in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Turn the workers' results into rows (ours, core, core/ours, who leads) and a text table."""

from __future__ import annotations

from dataclasses import asdict, dataclass
import math
from typing import Any

Results = dict[str, dict[str, Any]]  # impl -> {"setup": {N: {...}}, "main": {...}, "memory": ...}

# Why ours can trail on a row; printed under the table only for rows ours does not lead.
NOTES: dict[str, str] = {
    "latency": (
        "Both hand a push to the state machine in a fraction of a millisecond; the tail is made "
        "of pauses (preemption on the 2 shared cores, garbage collections: push.gc in the JSON), "
        "which vary from run to run."
    ),
    "setup_time": (
        "Ours registers ~33 entities per charge point, 24 enabled (lifetime energy and cost, "
        "latest session, tariff, switches, card select, buttons), core ~20, 11 enabled; adding "
        "entities is nearly all of the time, and per registered entity both cost about the "
        "same. Ours also reads each charge point's full status (REST v2.1, every socket) before "
        "adding entities, so they start with real values; the transaction history is read "
        "afterwards in the background."
    ),
    "setup_requests": (
        "Per charge point ours reads one status (REST v2.1, every socket), as core reads one "
        "GET_CH_STATUS; the rest is the account's transaction history for the lifetime totals "
        "(which core does not offer), one stream of 25 a page for all charge points, read in "
        "full only at the first setup (a restart reads one page)."
    ),
    "steady_rest": (
        "Ours reads new completed transactions once every 6 h, one page for the whole account "
        "(lifetime energy/cost sensors, which core lacks); core never polls at all, so it also "
        "never learns about new charge points, cards, settings changed in the app or the grid "
        "limits."
    ),
    "steady_commands": (
        "Ours polls the account every 10 min (4 commands: charge points, cards, sustainability, "
        "grid) to catch what the cloud does not push; core never polls. Ours still sends fewer "
        "frames in total: its heartbeat pings only after 20 s of silence, core's library pings "
        "every 20 s regardless."
    ),
    "cpu": (
        "A CH_STATUS push reaches only the entities that read the status, and each writes its "
        "state only when what it shows changed; what remains is noise between runs."
    ),
    "memory": (
        "Memory per charge point follows the entity count (registry entries, states, entity "
        "objects): ours registers ~33 entities per charge point, 24 of them enabled; core ~20, "
        "11 enabled (registry_entities in the JSON)."
    ),
    "loop_block_push": (
        "No push handler blocks for milliseconds on either side; the worst stall of a run is "
        "a garbage collection or a preemption, and both are well under a millisecond."
    ),
    "loop_block_setup": (
        "The longest stall comes from adding a whole platform's entities in one call."
    ),
    "recovery_server_error": (
        "Ours waits 0.5-1 s (jittered, doubling) before reconnecting, then re-reads every "
        "status; core waits a fixed 5 s."
    ),
    "pings": (
        "Ours pings only after 20 s without a frame from the cloud; when the cloud pushes more "
        "often than that, it never needs to."
    ),
}


RECOVERY_LABELS = {
    "server_error": "recovery: state right after server error (1011)",
    "cloud_restart": "recovery: state right after cloud restart (1001)",
}

# What went wrong on core's side, printed when core failed a row.
CORE_FAILURES: dict[str, str] = {
    "recovery_cloud_restart": (
        "core's Connector.run_task only sets its retry `delay` in the except branches; a clean "
        "close (1000/1001) ends client.connect() without an exception, so the first such close "
        "raises UnboundLocalError, the reconnect task dies and the entities keep showing the "
        "last state as if connected (websocket.connected is never cleared)."
    ),
}


@dataclass
class Row:
    """One line of the table; every metric is lower-is-better."""

    key: str
    metric: str
    unit: str
    ours: float | None
    core: float | None
    note: str = ""
    error_ours: str | None = None
    error_core: str | None = None

    @property
    def ratio(self) -> float | None:
        """core / ours: above 1 means ours is better (lower)."""
        if self.ours is None or self.core is None:
            return None
        if self.ours == 0:
            return math.inf if self.core > 0 else 1.0
        return self.core / self.ours

    @property
    def leader(self) -> str:
        """'ours', 'core', 'tie', or '?' when a side has no number and no failure either."""
        if self.ours is None and self.core is None:
            return "?"
        if self.core is None:
            return "ours" if self.error_core else "?"  # core failed where ours finished
        if self.ours is None:
            return "core" if self.error_ours else "?"
        if math.isclose(self.ours, self.core, rel_tol=1e-9, abs_tol=1e-12):
            return "tie"
        return "ours" if self.ours < self.core else "core"

    def as_dict(self) -> dict[str, Any]:
        """JSON form (inf becomes null, with the leader kept)."""
        data = asdict(self)
        ratio = self.ratio
        data["ratio_core_over_ours"] = None if ratio is None or math.isinf(ratio) else ratio
        data["ratio_infinite"] = ratio is not None and math.isinf(ratio)
        data["leader"] = self.leader
        return data


def _get(data: dict[str, Any] | None, *path: str | int) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part, value.get(str(part)))
    return value


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _setups(side: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Setup results by charge-point count (the main run's setup included)."""
    found: dict[int, dict[str, Any]] = {}
    for key, run in (side.get("setup") or {}).items():
        found[int(key)] = run
    return dict(sorted(found.items()))


def _setup_error(run: dict[str, Any] | None) -> str | None:
    if run is None:
        return None  # not run at all (e.g. --only)
    return run.get("error") if run.get("setup") is None else None


def _growth(setups: dict[int, dict[str, Any]]) -> float | None:
    """Exponent k in t ~ N^k between the smallest count >= 10 (fixed costs dominate below)
    and the largest; all counts if fewer than two are that big."""
    points = {n: _num(_get(r, "setup", "seconds")) for n, r in setups.items()}
    points = {n: t for n, t in points.items() if t}
    if len([n for n in points if n >= 10]) >= 2:
        points = {n: t for n, t in points.items() if n >= 10}
    if len(points) < 2:
        return None
    (n1, t1), (n2, t2) = min(points.items()), max(points.items())
    if t1 is None or t2 is None or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def _per_cp(setups: dict[int, dict[str, Any]], key: str) -> float | None:
    """Marginal count per extra charge point between the smallest and largest setup."""
    counts = {n: _num(_get(r, "setup", "traffic", key)) for n, r in setups.items()}
    counts = {n: c for n, c in counts.items() if c is not None}
    if len(counts) < 2:
        return None
    (n1, c1), (n2, c2) = min(counts.items()), max(counts.items())
    if c1 is None or c2 is None:
        return None
    return (c2 - c1) / (n2 - n1)


def _memory_per_cp(side: dict[str, Any]) -> float | None:
    """KiB per extra charge point between two setups (fixed costs cancel out)."""
    runs = {int(n): r for n, r in (side.get("memory") or {}).items()}
    values = {n: _num(_get(r, "memory", "retained_bytes")) for n, r in runs.items()}
    values = {n: v for n, v in values.items() if v is not None}
    if len(values) < 2:
        return None
    (n1, m1), (n2, m2) = min(values.items()), max(values.items())
    if m1 is None or m2 is None:
        return None
    return (m2 - m1) / (n2 - n1) / 1024


def build_rows(results: Results) -> list[Row]:
    """Every row of the table from both sides' raw results."""
    ours, core = results.get("ours", {}), results.get("core", {})
    rows: list[Row] = []

    def add(key: str, metric: str, unit: str, fn: Any) -> None:
        row = Row(key, metric, unit, fn(ours), fn(core))
        # A missing number next to a failed job is a failure, not a gap.
        if row.ours is None and ours.get("errors"):
            row.error_ours = ours["errors"][0]
        if row.core is None and core.get("errors"):
            row.error_core = core["errors"][0]
        rows.append(row)

    for pct in ("p50", "p99", "max"):
        add(
            "latency",
            f"push → state latency {pct}",
            "ms",
            lambda s, p=pct: _num(_get(s, "push", "latency_ms", p)),
        )
    add(
        "cpu",
        "CPU per 1000 pushes (HA process)",
        "s",
        lambda s: _num(_get(s, "push", "cpu_seconds_per_1000")),
    )
    add(
        "loop_block_push",
        "event loop blocked, pushes (max)",
        "ms",
        lambda s: _num(_get(s, "push", "loop_block_max_ms")),
    )

    sizes = sorted(set(_setups(ours)) | set(_setups(core)))
    for n in sizes:
        row = Row(
            "setup_time",
            f"setup time, {n} charge point{'s' if n != 1 else ''}",
            "s",
            _num(_get(_setups(ours).get(n), "setup", "seconds")),
            _num(_get(_setups(core).get(n), "setup", "seconds")),
            error_ours=_setup_error(_setups(ours).get(n)),
            error_core=_setup_error(_setups(core).get(n)),
        )
        rows.append(row)
    if len(sizes) >= 2:
        add("setup_time", "setup growth exponent k (t ∝ N^k)", "", lambda s: _growth(_setups(s)))
    if sizes:
        biggest = sizes[-1]
        add(
            "loop_block_setup",
            f"event loop blocked, setup of {biggest} (max)",
            "ms",
            lambda s: _num(_get(_setups(s).get(biggest), "setup", "loop_block_max_ms")),
        )
    add(
        "setup_requests",
        "setup: requests to cloud per charge point",
        "",
        lambda s: _per_cp(_setups(s), "requests"),
    )
    add(
        "setup_requests",
        "  of which websocket commands",
        "",
        lambda s: _per_cp(_setups(s), "ws_commands"),
    )
    add(
        "setup_requests",
        "  of which REST requests",
        "",
        lambda s: _per_cp(_setups(s), "rest_requests"),
    )
    add(
        "setup_connections",
        "setup: websocket handshakes",
        "",
        lambda s: _num(_get(s, "main", "setup", "traffic", "connections")),
    )

    def hourly(key: str) -> Any:
        return lambda s: _num(_get(s, "main", "steady", "per_hour", key))

    add(
        "steady_frames",
        "steady state: frames + REST to cloud per hour",
        "",
        lambda s: (
            None
            if (f := hourly("frames_to_cloud")(s)) is None
            or (r := hourly("rest_requests")(s)) is None
            else f + r
        ),
    )
    add("steady_commands", "  websocket commands per hour", "", hourly("ws_commands"))
    add("pings", "  websocket pings per hour", "", hourly("pings"))
    add("steady_rest", "  REST requests per hour", "", hourly("rest_requests"))
    add("steady_reconnects", "steady state: reconnects per hour", "", hourly("connections"))
    add("memory", "memory per charge point", "KiB", _memory_per_cp)
    for case, label in RECOVERY_LABELS.items():
        rows.append(
            Row(
                f"recovery_{case}",
                label,
                "s",
                _num(_get(ours, "recovery", case, "seconds")),
                _num(_get(core, "recovery", case, "seconds")),
                error_ours=_get(ours, "recovery", case, "error"),
                error_core=_get(core, "recovery", case, "error"),
            )
        )
    for row in rows:
        note = NOTES.get(row.key) or NOTES.get(row.key.replace("cloud_restart", "server_error"))
        row.note = (note or "") if row.leader in ("core", "tie") else ""
    return rows


def _fmt(value: float | None, error: str | None = None) -> str:
    if value is None:
        return "failed" if error else "n/a"
    if math.isinf(value):
        return "∞"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 0.1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def render(rows: list[Row], header: str = "") -> str:
    """The table: metric, unit, ours, core, core/ours, leader; then notes for lost rows."""
    table = [("metric", "unit", "ours", "core", "core/ours", "lead")]
    for row in rows:
        ratio = row.ratio
        ratio_text = "n/a" if ratio is None else ("∞" if math.isinf(ratio) else f"{ratio:.2f}x")
        table.append(
            (
                row.metric,
                row.unit,
                _fmt(row.ours, row.error_ours),
                _fmt(row.core, row.error_core),
                ratio_text,
                row.leader,
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = [header] if header else []
    for number, line in enumerate(table):
        cells = [
            cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(line)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("core/ours > 1: ours is lower (better); every metric is lower-is-better.")
    failures = [
        f"  {row.metric}: {side} {error}"
        for row in rows
        for side, error in (("ours", row.error_ours), ("core", row.error_core))
        if error
    ]
    if failures:
        lines.append("Failures:")
        lines.extend(dict.fromkeys(failures))
    core_failed = dict.fromkeys(
        CORE_FAILURES[row.key] for row in rows if row.error_core and row.key in CORE_FAILURES
    )
    if core_failed:
        lines.append("Why core failed:")
        lines.extend(f"  {text}" for text in core_failed)
    notes = dict.fromkeys(row.note for row in rows if row.note)
    if notes:
        lines.append("Where ours does not lead:")
        keys = {row.note: row.key for row in rows if row.note}
        lines.extend(f"  [{keys[note]}] {note}" for note in notes)
    return "\n".join(lines)

"""Turn the workers' results into rows (ours, core, core/ours, who leads) and a text table."""

from __future__ import annotations

from dataclasses import dataclass, field
import math
import statistics
from typing import Any

from . import samples as S
from .notes import CORE_FAILURES, NOTES, RECOVERY_LABELS

Results = dict[str, dict[str, Any]]  # impl -> {"setup": {N: {...}}, "main": {...}, "memory": ...}


@dataclass
class Row:
    """One line of the table: every repeat's value on each side; lower is better."""

    key: str
    metric: str
    unit: str
    ours_samples: list[float] = field(default_factory=list)
    core_samples: list[float] = field(default_factory=list)
    note: str = ""
    error_ours: str | None = None
    error_core: str | None = None

    @property
    def ours(self) -> float | None:
        """Median of ours."""
        return statistics.median(self.ours_samples) if self.ours_samples else None

    @property
    def core(self) -> float | None:
        """Median of core."""
        return statistics.median(self.core_samples) if self.core_samples else None

    @property
    def ratio(self) -> float | None:
        """core / ours of the medians: above 1 means ours is better (lower)."""
        if self.ours is None or self.core is None:
            return None
        if self.ours == 0:
            return math.inf if self.core > 0 else 1.0
        return self.core / self.ours

    @property
    def leader(self) -> str:
        """'ours' or 'core' only when the ranges do not overlap; else 'overlap' (or 'tie').

        A side that failed where the other finished loses; '?' when neither has a number.
        """
        ours, core = self.ours_samples, self.core_samples
        if not ours and not core:
            return "?"
        if not core:
            return "ours" if self.error_core else "?"
        if not ours:
            return "core" if self.error_ours else "?"
        if max(ours) < min(core):
            return "ours"
        if max(core) < min(ours):
            return "core"
        if min(ours) == max(ours) == min(core) == max(core):
            return "tie"
        return "overlap"

    def as_dict(self) -> dict[str, Any]:
        """JSON form: every sample, medians, ranges, ratio (inf becomes null) and leader."""
        ratio = self.ratio
        return {
            "key": self.key,
            "metric": self.metric,
            "unit": self.unit,
            "ours": self.ours,
            "core": self.core,
            "ours_samples": self.ours_samples,
            "core_samples": self.core_samples,
            "ours_range": [min(self.ours_samples), max(self.ours_samples)]
            if self.ours_samples
            else None,
            "core_range": [min(self.core_samples), max(self.core_samples)]
            if self.core_samples
            else None,
            "ratio_core_over_ours": None if ratio is None or math.isinf(ratio) else ratio,
            "ratio_infinite": ratio is not None and math.isinf(ratio),
            "leader": self.leader,
            "note": self.note,
            "error_ours": self.error_ours,
            "error_core": self.error_core,
        }


def build_rows(results: Results) -> list[Row]:
    """Every row of the table from both sides' raw results."""
    ours, core = results.get("ours", {}), results.get("core", {})
    rows: list[Row] = []

    def add(key: str, metric: str, unit: str, fn: Any, error: Any = None) -> None:
        row = Row(key, metric, unit, fn(ours), fn(core))
        row.error_ours = error(ours) if error else None
        row.error_core = error(core) if error else None
        # A missing number next to a failed job is a failure, not a gap.
        if not row.ours_samples and not row.error_ours and ours.get("errors"):
            row.error_ours = ours["errors"][0]
        if not row.core_samples and not row.error_core and core.get("errors"):
            row.error_core = core["errors"][0]
        rows.append(row)

    for pct in ("p50", "p99", "max"):
        add("latency", f"push → state latency {pct}", "ms", S.push("latency_ms", pct))
    add("cpu", "CPU per 1000 pushes (HA process)", "s", S.push("cpu_seconds_per_1000"))
    add("loop_block_push", "event loop blocked, pushes (max)", "ms", S.push("loop_block_max_ms"))

    sizes = sorted(set(S.setup_runs(ours)) | set(S.setup_runs(core)))
    for n in sizes:
        metric = f"setup time, {n} charge point{'s' if n != 1 else ''}"
        add("setup_time", metric, "s", S.setup(n, "seconds"), lambda s, n=n: S.setup_error(s, n))
    if sizes:
        biggest = sizes[-1]
        add(
            "setup_per_entity",
            f"setup time per registered entity, {biggest} charge points",
            "µs",
            S.setup_per_entity,
        )
    if len(sizes) >= 2:
        add("setup_time", "setup growth exponent k (t ∝ N^k)", "", S.growth)
    if sizes:
        add(
            "loop_block_setup",
            f"event loop blocked, setup of {sizes[-1]} (max)",
            "ms",
            S.setup(sizes[-1], "loop_block_max_ms"),
        )
    add(
        "setup_requests",
        "setup: requests to cloud per charge point",
        "",
        S.per_charge_point("requests"),
    )
    add("setup_requests", "  of which websocket commands", "", S.per_charge_point("ws_commands"))
    add("setup_requests", "  of which REST requests", "", S.per_charge_point("rest_requests"))
    if sizes:
        main = min(sizes, key=lambda n: abs(n - 10))
        add(
            "setup_connections",
            "setup: websocket handshakes",
            "",
            S.setup(main, "traffic", "connections"),
        )

    add(
        "steady_frames",
        "steady state: frames + REST to cloud per hour",
        "",
        lambda s: [
            f + r
            for f, r in zip(
                S.steady("frames_to_cloud")(s), S.steady("rest_requests")(s), strict=False
            )
        ],
    )
    add("steady_commands", "  websocket commands per hour", "", S.steady("ws_commands"))
    add("pings", "  websocket pings per hour", "", S.steady("pings"))
    add("steady_rest", "  REST requests per hour", "", S.steady("rest_requests"))
    add("steady_reconnects", "steady state: reconnects per hour", "", S.steady("connections"))
    add("memory", "memory per charge point", "KiB", S.memory_per_charge_point)
    add("memory_per_entity", "memory per registered entity", "KiB", S.memory_per_entity)
    add("entities", "registered entities per charge point", "", S.entities_per_charge_point)
    for case, label in RECOVERY_LABELS.items():
        add(
            f"recovery_{case}",
            label,
            "s",
            S.recovery(case),
            lambda s, c=case: S.recovery_error(s, c),
        )
    for row in rows:
        note = NOTES.get(row.key) or NOTES.get(row.key.replace("cloud_restart", "server_error"))
        row.note = (note or "") if row.leader not in ("ours", "?") else ""
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


def cell(values: list[float], error: str | None = None) -> str:
    """Median with its range over the repeats, "0.77 (0.71-0.85)"; one value when all agree."""
    if not values:
        return _fmt(None, error)
    low, high = min(values), max(values)
    median = _fmt(statistics.median(values))
    if _fmt(low) == _fmt(high):
        return median
    return f"{median} ({_fmt(low)}-{_fmt(high)})"


def render(rows: list[Row], header: str = "") -> str:
    """The table: metric, unit, ours, core (median and range), core/ours, who leads."""
    table = [("metric", "unit", "ours", "core", "core/ours", "lead")]
    for row in rows:
        ratio = row.ratio
        ratio_text = "n/a" if ratio is None else ("∞" if math.isinf(ratio) else f"{ratio:.2f}x")
        table.append(
            (
                row.metric,
                row.unit,
                cell(row.ours_samples, row.error_ours),
                cell(row.core_samples, row.error_core),
                ratio_text,
                row.leader,
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    lines = [header] if header else []
    for number, line in enumerate(table):
        cells = [
            text.ljust(widths[i]) if i < 2 else text.rjust(widths[i]) for i, text in enumerate(line)
        ]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(
        "Medians with (min-max) over the repeats; every metric is lower-is-better; core/ours > 1"
        " means ours is lower. 'ours' or 'core' leads only where the ranges do not overlap."
    )
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
        lines.append("Where ours does not lead (ranges overlap, or core is lower):")
        keys = {row.note: row.key for row in rows if row.note}
        lines.extend(f"  [{keys[note]}] {note}" for note in notes)
    return "\n".join(lines)

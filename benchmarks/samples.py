"""The samples behind each row: one value per repeat (fresh process) of a measurement.

Every function takes one side's results (``results[impl]``) and returns a list of floats, one per
run, so that the table can show a median with its range instead of a single figure.
"""

from __future__ import annotations

from collections.abc import Callable
import math
from typing import Any

Side = dict[str, Any]
Samples = list[float]


def get(data: Any, *path: str | int) -> Any:
    """Walk nested dicts; None where a key is missing (JSON keys may be strings)."""
    value: Any = data
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part, value.get(str(part)))
    return value


def num(value: Any) -> float | None:
    """A finite number, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _runs(side: Side, kind: str) -> Any:
    return get(side, "runs", kind) or {}


def collect(items: list[Any], fn: Callable[[Any], Any]) -> Samples:
    """The numbers ``fn`` finds in each item (runs that failed are left out)."""
    return [v for item in items if (v := num(fn(item))) is not None]


def push(key: str, *path: str) -> Callable[[Side], Samples]:
    """A metric of every push run."""
    return lambda side: collect(_runs(side, "push") or [], lambda run: get(run, key, *path))


def steady(key: str) -> Callable[[Side], Samples]:
    """A per-hour count of every steady-state run."""
    return lambda side: collect(_runs(side, "steady") or [], lambda run: get(run, "per_hour", key))


def setup_runs(side: Side) -> dict[int, list[Any]]:
    """Setup runs by charge-point count."""
    found = _runs(side, "setup")
    return {int(size): runs for size, runs in sorted(found.items(), key=lambda i: int(i[0]))}


def setup(size: int, *path: str) -> Callable[[Side], Samples]:
    """A setup figure of every run of one size."""
    return lambda side: collect(setup_runs(side).get(size, []), lambda r: get(r, "setup", *path))


def setup_error(side: Side, size: int) -> str | None:
    """The first failure among one size's setup runs."""
    for run in setup_runs(side).get(size, []):
        if get(run, "setup") is None:
            return str(run.get("error", "failed"))
    return None


def _pairs(first: list[Any], second: list[Any]) -> list[tuple[Any, Any]]:
    """The i-th run of one size with the i-th of another: each pair gives one sample."""
    return list(zip(first, second, strict=False))


def _ends(sizes: list[int]) -> tuple[int, int] | None:
    """The smallest size of at least 10 (fixed costs dominate below) and the largest."""
    big = [n for n in sizes if n >= 10]
    usable = big if len(big) >= 2 else sizes
    if len(usable) < 2:
        return None
    return min(usable), max(usable)


def growth(side: Side) -> Samples:
    """Exponent k in t ∝ N^k between the two ends, per pair of runs."""
    runs = setup_runs(side)
    ends = _ends(list(runs))
    if ends is None:
        return []
    n1, n2 = ends
    samples = []
    for a, b in _pairs(runs[n1], runs[n2]):
        t1, t2 = num(get(a, "setup", "seconds")), num(get(b, "setup", "seconds"))
        if t1 and t2:
            samples.append(math.log(t2 / t1) / math.log(n2 / n1))
    return samples


def per_charge_point(key: str) -> Callable[[Side], Samples]:
    """Marginal setup traffic per extra charge point, per pair of runs."""

    def samples(side: Side) -> Samples:
        runs = setup_runs(side)
        ends = _ends(list(runs))
        if ends is None:
            return []
        n1, n2 = ends
        found = []
        for a, b in _pairs(runs[n1], runs[n2]):
            c1 = num(get(a, "setup", "traffic", key))
            c2 = num(get(b, "setup", "traffic", key))
            if c1 is not None and c2 is not None:
                found.append((c2 - c1) / (n2 - n1))
        return found

    return samples


def setup_per_entity(side: Side) -> Samples:
    """Setup time of the largest account per registered entity, in microseconds."""
    runs = setup_runs(side)
    if not runs:
        return []
    biggest = max(runs)

    def per_entity(run: Any) -> float | None:
        seconds = num(get(run, "setup", "seconds"))
        entities = num(get(run, "setup", "registry_entities"))
        return seconds / entities * 1e6 if seconds and entities else None

    return collect(runs[biggest], per_entity)


def _memory(side: Side) -> list[tuple[Any, Any, int, int]]:
    found = _runs(side, "memory")
    sizes = sorted(int(n) for n in found)
    if len(sizes) < 2:
        return []
    n1, n2 = sizes[0], sizes[-1]
    first, second = found.get(n1, found.get(str(n1))), found.get(n2, found.get(str(n2)))
    return [(a, b, n1, n2) for a, b in _pairs(first, second)]


def memory_per_charge_point(side: Side) -> Samples:
    """KiB per extra charge point between the two sizes (fixed costs cancel), per pair."""
    found = []
    for a, b, n1, n2 in _memory(side):
        m1, m2 = num(get(a, "memory", "retained_bytes")), num(get(b, "memory", "retained_bytes"))
        if m1 is not None and m2 is not None:
            found.append((m2 - m1) / (n2 - n1) / 1024)
    return found


def memory_per_entity(side: Side) -> Samples:
    """KiB per extra registered entity between the two sizes, per pair."""
    found = []
    for a, b, _, _ in _memory(side):
        m1, m2 = num(get(a, "memory", "retained_bytes")), num(get(b, "memory", "retained_bytes"))
        e1 = num(get(a, "memory", "registry_entities"))
        e2 = num(get(b, "memory", "registry_entities"))
        if None not in (m1, m2, e1, e2) and e2 != e1:
            found.append((m2 - m1) / (e2 - e1) / 1024)  # type: ignore[operator]
    return found


def entities_per_charge_point(side: Side) -> Samples:
    """Registered entities per extra charge point (what the per-entity rows divide by)."""
    found = []
    for a, b, n1, n2 in _memory(side):
        e1 = num(get(a, "memory", "registry_entities"))
        e2 = num(get(b, "memory", "registry_entities"))
        if e1 is not None and e2 is not None:
            found.append((e2 - e1) / (n2 - n1))
    return found


def recovery(case: str) -> Callable[[Side], Samples]:
    """Seconds until the state was right again, per recovery run."""
    return lambda side: collect(get(side, "runs", "recovery", case) or [], lambda r: r["seconds"])


def recovery_error(side: Side, case: str) -> str | None:
    """Why a recovery run failed, if one did."""
    for run in get(side, "runs", "recovery", case) or []:
        if run.get("seconds") is None:
            return str(run.get("error", "failed"))
    return None

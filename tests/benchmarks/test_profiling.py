"""The profiling tool: a real worker run with its push phase profiled and grouped."""

from __future__ import annotations

import json
from pathlib import Path
import re
import subprocess
import sys

ROOT = Path(__file__).resolve().parents[2]


def test_push_phase_profile_names_our_code(socket_enabled: None, tmp_path: Path) -> None:
    raw = tmp_path / "push.prof"
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "benchmarks.profiling",
            "--phase=push",
            f"--out={raw}",
            "--impl=ours",
            "--charge-points=4",
            "--pushes=20",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    first, *profile = result.stdout.splitlines()
    assert json.loads(first)["push"]["count"] == 20
    groups = dict(
        (match[1].strip(), float(match[2]))
        for line in profile
        if (match := re.match(r"\s+(\D+?)\s+([\d.]+) s\s+[\d.]+%$", line))
    )
    # The integration handled the pushes inside the profiled phase, and nothing is lost.
    assert groups["ours: integration and client"] > 0
    assert abs(sum(groups.values()) - float(profile[0].split()[-2])) < 0.01
    assert raw.stat().st_size > 0

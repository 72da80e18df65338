"""Side-by-side benchmark: this integration versus Home Assistant core's blue_current.

Both run inside Home Assistant test instances against the project's simulator. `python -m
benchmarks` (or scripts/bench) runs every measurement, each integration in fresh processes, and
prints one table; `benchmarks.worker` is the per-process part, `benchmarks.report` the table.
"""

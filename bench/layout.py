"""Where the benchmark's files are."""

from __future__ import annotations

from pathlib import Path

#: bench/ (the scripts each step runs: measure.py, baseline.py).
BENCH = Path(__file__).resolve().parent
#: The repository the benchmark belongs to.
ROOT = BENCH.parent
#: Folder beside a size's raw/ holding the last day until it is delivered.
HELD_DAY = "day"

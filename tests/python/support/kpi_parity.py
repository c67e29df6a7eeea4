"""Compare two engines' kpi_weekly row by row (the Spark parity test).

Rows are matched on their key (week, metric, version, dimension, value).
A metric's numbers must agree as the issue defines parity:

- counts exactly: a numerator or denominator that is a whole number on
  either side must be the same number on the other;
- rates within 1e-9 relative (numerator and denominator sums of weights,
  values, interval bounds);
- percentiles equal: the value of a metric measured in hours (time to
  action or resolution percentiles) exactly;
- flags (is_upper_bound, is_final) equal.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

KEY = ("week_start", "metric_id", "metric_version", "dimension", "dimension_value")
COUNTS = ("numerator", "denominator")
RATES = ("value", "ci_low", "ci_high")
FLAGS = ("is_upper_bound", "is_final")
COLUMNS = (*KEY, *COUNTS, *RATES, *FLAGS)
RELATIVE = 1e-9


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def keyed(rows: Iterable[Sequence[Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Rows in COLUMNS order, by key (dates normalised)."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        record = dict(zip(COLUMNS, row, strict=True))
        record["week_start"] = _day(record["week_start"])
        record["metric_version"] = int(record["metric_version"])
        out[tuple(record[k] for k in KEY)] = record
    return out


def _close(a: float, b: float) -> bool:
    return a == b or math.isclose(a, b, rel_tol=RELATIVE, abs_tol=0.0)


def differences(
    first: Iterable[Sequence[Any]],
    second: Iterable[Sequence[Any]],
    percentile_metrics: set[str],
    names: tuple[str, str] = ("duckdb", "spark"),
) -> list[str]:
    """Every way `second` differs from `first`, one line each."""
    a, b = keyed(first), keyed(second)
    found: list[str] = []
    for key in sorted(a.keys() - b.keys(), key=str):
        found.append(f"{key}: only on {names[0]}")
    for key in sorted(b.keys() - a.keys(), key=str):
        found.append(f"{key}: only on {names[1]}")
    for key in sorted(a.keys() & b.keys(), key=str):
        x, y = a[key], b[key]
        for col in (*COUNTS, *RATES, *FLAGS):
            u, v = x[col], y[col]
            if u is None or v is None:
                if (u is None) != (v is None):
                    found.append(f"{key} {col}: {names[0]} {u!r}, {names[1]} {v!r}")
                continue
            is_count = col in COUNTS and (float(u).is_integer() or float(v).is_integer())
            is_percentile = col == "value" and key[1] in percentile_metrics
            if col in FLAGS:
                same = bool(u) == bool(v)
            elif is_count or is_percentile:
                same = float(u) == float(v)
            else:
                same = _close(float(u), float(v))
            if not same:
                found.append(f"{key} {col}: {names[0]} {u!r}, {names[1]} {v!r}")
    return found

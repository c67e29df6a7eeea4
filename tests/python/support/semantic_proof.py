"""The proof that the semantic layer and the marts share one definition:
compare `trustmart query`'s results (trustmart.semantic) with kpi_weekly,
week by week and dimension value by dimension value.

For each declared metric, three columns of kpi_weekly are compared: its
`value` with the metric, and its `numerator` and `denominator` with the
component metrics the semantic metric's meta names (when it names them).

What is comparable, and how:

- The value as published: prevalence's small-count rule (under 10 violating
  samples the value is null and only an upper bound is published) is part
  of the semantic metric, so a suppressed week is null on both sides, and
  its numerator and denominator are still compared. The interval and the
  upper bound are not compared (no semantic metric computes them:
  docs/semantic-layer.md).
- Finality is not a value: kpi_weekly publishes non-final weeks with
  `is_final = false` and the same value, so every week is compared.
- A missing row and a null value are the same (no population that week,
  or a zero denominator, which publishes a null rate): MetricFlow leaves
  out a group with no rows where the mart may publish one with a null
  rate, and the other way round.
- A null dimension value is `unknown` in kpi_weekly (aggregate_by_dimension).
- Numbers agree to 1e-9 relative: the marts add doubles in a fixed order
  (ordered_sum), MetricFlow in DuckDB's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from trustmart.semantic.query import QueryRequest, SemanticLayer

REL_TOL = 1e-9
ABS_TOL = 1e-9
COLUMNS = ("value", "numerator", "denominator")

Values = dict[tuple[date, str], float | None]


@dataclass(frozen=True)
class Difference:
    """One week, dimension value and column where the two disagree."""

    metric: str
    column: str
    dimension: str
    week_start: date
    dimension_value: str
    kpi_weekly: float | None
    semantic: float | None

    def __str__(self) -> str:
        return (
            f"{self.metric} {self.column} [{self.dimension}={self.dimension_value}] week "
            f"{self.week_start}: kpi_weekly {self.kpi_weekly!r} != query {self.semantic!r}"
        )


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def same(a: float | None, b: float | None) -> bool:
    """Equal numbers (to the tolerances), or both absent."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def kpi_weekly_values(
    layer: SemanticLayer, metric_id: str, version: int, dimension: str
) -> dict[str, Values]:
    """kpi_weekly's value, numerator and denominator of one metric version
    by week and value of `dimension` (`overall`: value `all`)."""
    rows = layer.con.execute(
        "select week_start, dimension_value, value, numerator, denominator "
        "from marts.kpi_weekly where metric_id = ? and metric_version = ? and dimension = ?",
        [metric_id, version, dimension],
    ).fetchall()
    return {
        column: {(row[0], row[1]): _number(row[2 + i]) for row in rows}
        for i, column in enumerate(COLUMNS)
    }


def semantic_values(layer: SemanticLayer, metrics: list[str], dimension: str) -> dict[str, Values]:
    """The semantic layer's values of `metrics` by week (and `dimension`
    unless `overall`), in one request."""
    dims = () if dimension == "overall" else (dimension,)
    frame = layer.run(QueryRequest(tuple(metrics), "week", dims))
    found: dict[str, Values] = {m: {} for m in metrics}
    for row in frame.to_dict("records"):
        if dims:
            raw = row[dimension]
            dim_value = "unknown" if raw is None or raw != raw else str(raw)
        else:
            dim_value = "all"
        for metric in metrics:
            found[metric][(row["week_start"], dim_value)] = _number(row[metric])
    return found


def csv_values(rows: list[dict[str, str]], metrics: list[str]) -> dict[str, Values]:
    """The overall values of `trustmart query ... --by week --format csv`."""
    return {
        metric: {
            (date.fromisoformat(row["week_start"]), "all"): float(row[metric])
            if row[metric]
            else None
            for row in rows
        }
        for metric in metrics
    }


def queried_metrics(layer: SemanticLayer, metrics: Iterable[str]) -> list[str]:
    """`metrics` and the components their numerators and denominators are."""
    names: list[str] = []
    for metric in metrics:
        for name in (metric, *layer.components(metric).values()):
            if name not in names:
                names.append(name)
    return names


def differences(
    layer: SemanticLayer,
    metrics: Iterable[str],
    dimension: str = "overall",
    actual: dict[str, Values] | None = None,
) -> list[Difference]:
    """Every week, dimension value and column where a semantic metric (or
    its numerator or denominator) differs from kpi_weekly. `actual`: the
    semantic values when already read (e.g. from the command's CSV, which
    must then hold the components too), else they are queried."""
    metrics = list(metrics)
    registry = layer.registry_metrics()
    if actual is None:
        actual = semantic_values(layer, queried_metrics(layer, metrics), dimension)
    found = []
    for metric in metrics:
        metric_id, version = registry[metric]
        expected = kpi_weekly_values(layer, metric_id, version, dimension)
        compared = {"value": metric, **layer.components(metric)}
        for column, name in compared.items():
            for key in sorted(set(expected[column]) | set(actual[name]), key=str):
                a, b = expected[column].get(key), actual[name].get(key)
                if not same(a, b):
                    found.append(Difference(metric, column, dimension, key[0], key[1], a, b))
    return found


def compared_values(layer: SemanticLayer, metric: str, dimension: str) -> int:
    """Non-null numbers of kpi_weekly the comparison checks for `metric`."""
    metric_id, version = layer.registry_metrics()[metric]
    expected = kpi_weekly_values(layer, metric_id, version, dimension)
    columns = ["value", *layer.components(metric)]
    return sum(v is not None for column in columns for v in expected[column].values())

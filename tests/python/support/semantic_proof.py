"""The proof that the semantic layer and the marts share one definition:
compare `trustmart query`'s results (trustmart.semantic) with kpi_weekly,
week by week and dimension value by dimension value.

For each declared metric, three columns of kpi_weekly (kpi_daily for a
daily metric, by day) are compared: its `value` with the metric, and its
`numerator` and `denominator` with the component metrics the semantic
metric's meta names (when it names them).

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
  rate, and the other way round. For a count (numerators, denominators,
  and metrics whose value is a count: actioned objects, the backlog), a
  missing row is also the same as 0: kpi_daily publishes the overall
  backlog of a day with nothing open as 0, where no row is open.
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
    """One period, dimension value and column where the two disagree."""

    metric: str
    column: str
    dimension: str
    period: date
    dimension_value: str
    published: float | None
    semantic: float | None

    def __str__(self) -> str:
        return (
            f"{self.metric} {self.column} [{self.dimension}={self.dimension_value}] "
            f"{self.period}: published {self.published!r} != query {self.semantic!r}"
        )


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def same(a: float | None, b: float | None, *, count: bool = False) -> bool:
    """Equal numbers (to the tolerances), or both absent; for a count, 0
    and absent are the same."""
    if count:
        a, b = a or None, b or None
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


#: The published long table and its period column, by time grain.
TABLES = {"week": ("kpi_weekly", "week_start"), "day": ("kpi_daily", "day")}


def kpi_values(
    layer: SemanticLayer, metric_id: str, version: int, dimension: str, grain: str = "week"
) -> dict[str, Values]:
    """kpi_weekly's (`grain` day: kpi_daily's) value, numerator and
    denominator of one metric version by period and value of `dimension`
    (`overall`: value `all`)."""
    table, period = TABLES[grain]
    rows = layer.con.query(
        f"select {period}, dimension_value, value, numerator, denominator "
        f"from marts.{table} where metric_id = ? and metric_version = ? and dimension = ?",
        [metric_id, version, dimension],
    )
    return {
        column: {(row[0], row[1]): _number(row[2 + i]) for row in rows}
        for i, column in enumerate(COLUMNS)
    }


def semantic_values(
    layer: SemanticLayer, metrics: list[str], dimension: str, grain: str = "week"
) -> dict[str, Values]:
    """The semantic layer's values of `metrics` by `grain` (and `dimension`
    unless `overall`), in one request."""
    dims = () if dimension == "overall" else (dimension,)
    request = QueryRequest(tuple(metrics), grain, dims)
    period = request.columns[0]
    frame = layer.run(request)
    found: dict[str, Values] = {m: {} for m in metrics}
    for row in frame.to_dict("records"):
        if dims:
            raw = row[dimension]
            dim_value = "unknown" if raw is None or raw != raw else str(raw)
        else:
            dim_value = "all"
        for metric in metrics:
            found[metric][(row[period], dim_value)] = _number(row[metric])
    return found


def csv_values(
    rows: list[dict[str, str]], metrics: list[str], period: str = "week_start"
) -> dict[str, Values]:
    """The overall values of `trustmart query ... --by week (day) --format csv`."""
    return {
        metric: {
            (date.fromisoformat(row[period]), "all"): float(row[metric]) if row[metric] else None
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
    *,
    grain: str = "week",
    counts: frozenset[str] = frozenset(),
) -> list[Difference]:
    """Every period, dimension value and column where a semantic metric (or
    its numerator or denominator) differs from kpi_weekly (`grain` day:
    kpi_daily). `actual`: the semantic values when already read (e.g. from
    the command's CSV, which must then hold the components too), else they
    are queried. `counts`: metrics whose value is a count."""
    metrics = list(metrics)
    registry = layer.registry_metrics()
    if actual is None:
        actual = semantic_values(layer, queried_metrics(layer, metrics), dimension, grain)
    found = []
    for metric in metrics:
        metric_id, version = registry[metric]
        expected = kpi_values(layer, metric_id, version, dimension, grain)
        compared = {"value": metric, **layer.components(metric)}
        for column, name in compared.items():
            count = column != "value" or metric in counts
            for key in sorted(set(expected[column]) | set(actual[name]), key=str):
                a, b = expected[column].get(key), actual[name].get(key)
                if not same(a, b, count=count):
                    found.append(Difference(metric, column, dimension, key[0], key[1], a, b))
    return found


def compared_values(layer: SemanticLayer, metric: str, dimension: str, grain: str = "week") -> int:
    """Non-null numbers of kpi_weekly (kpi_daily) the comparison checks."""
    metric_id, version = layer.registry_metrics()[metric]
    expected = kpi_values(layer, metric_id, version, dimension, grain)
    columns = ["value", *layer.components(metric)]
    return sum(v is not None for column in columns for v in expected[column].values())

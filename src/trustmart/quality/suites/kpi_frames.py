"""The frames the KPI suites validate, shaped from the published KPI tables:
row keys, percentile pairs, the grid of periods each series must cover."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from trustmart.quality.suites.base import KEY, as_text, day_text


def kpi_row_keys(df: pd.DataFrame, time_column: str) -> pd.Series:
    """`metric vN dimension=value YYYY-MM-DD` for each KPI row."""
    return (
        as_text(df["metric_id"])
        + " v"
        + as_text(df["metric_version"])
        + " "
        + as_text(df["dimension"])
        + "="
        + as_text(df["dimension_value"])
        + " "
        + day_text(df[time_column])
    )


def only_where(condition: pd.Series, values: pd.Series) -> pd.Series:
    """`values` (as bool) where `condition`, else None: GX skips nulls."""
    return pd.Series(
        [bool(v) if c else None for c, v in zip(condition, values, strict=True)],
        index=condition.index,
        dtype=object,
    )


def percentile_pairs(weekly: pd.DataFrame) -> pd.DataFrame:
    """One row per percentile family (metric id with _p50_/_p90_), version,
    week and dimension value, with columns p50 and p90."""
    ids = weekly["metric_id"].astype(str)
    quantile = ids.str.extract(r"_(p50|p90)_", expand=False)
    df = weekly.loc[quantile.notna()].copy()
    df["quantile"] = quantile[quantile.notna()]
    df["family"] = as_text(df["metric_id"]).str.replace(r"_p(50|90)_", "_pNN_", regex=True)
    index = ["family", "metric_version", "week_start", "dimension", "dimension_value"]
    if df.empty:
        frame = pd.DataFrame(columns=[*index, "p50", "p90"])
    else:
        frame = df.set_index([*index, "quantile"])["value"].unstack("quantile").reset_index()
        frame = frame.reindex(columns=[*index, "p50", "p90"])
        frame.columns.name = None
    frame[KEY] = (
        as_text(frame["family"])
        + " v"
        + as_text(frame["metric_version"])
        + " "
        + as_text(frame["dimension"])
        + "="
        + as_text(frame["dimension_value"])
        + " "
        + day_text(frame["week_start"])
    )
    return frame.astype({"p50": "float64", "p90": "float64"})


def overall_grid(df: pd.DataFrame, time_column: str, days: int) -> pd.DataFrame:
    """Every (metric, version, period) from the metric's first to last period
    (over all dimensions), with whether an `overall` row exists for it."""
    columns = [KEY, "metric_id", "metric_version", "period", "has_overall_row"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    times = pd.to_datetime(df[time_column])
    present = set(
        zip(
            df.loc[df["dimension"] == "overall", "metric_id"],
            df.loc[df["dimension"] == "overall", "metric_version"],
            times[df["dimension"] == "overall"],
            strict=True,
        )
    )
    spans = times.groupby([df["metric_id"], df["metric_version"]]).agg(["min", "max"])
    rows = []
    for (metric_id, version), (first, last) in spans.iterrows():
        for period in pd.date_range(first, last, freq=f"{days}D"):
            rows.append(
                (
                    f"{metric_id} v{version} overall {period:%Y-%m-%d}",
                    metric_id,
                    version,
                    period,
                    (metric_id, version, period) in present,
                )
            )
    return pd.DataFrame(rows, columns=columns)


def published_dimensions(df: pd.DataFrame) -> dict[tuple[str, int], set[str]]:
    pairs = df[["metric_id", "metric_version", "dimension"]].drop_duplicates()
    out: dict[tuple[str, int], set[str]] = {}
    for metric_id, version, dimension in pairs.itertuples(index=False):
        out.setdefault((str(metric_id), int(version)), set()).add(str(dimension))
    return out


def split_dimensions(dimensions: object) -> Iterable[str]:
    if not isinstance(dimensions, str):
        return []
    return [d.strip() for d in dimensions.split(",") if d.strip()]

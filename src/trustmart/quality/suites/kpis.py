"""The KPI suites: the published weekly and daily KPIs (ranges, keys,
intervals, percentiles, a row for every period) and the registry's coverage,
and the alerts."""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe
import pandas as pd

from trustmart.quality.frames import MartFrames
from trustmart.quality.suites.base import KEY, Check, Suite, as_text, check, day_text
from trustmart.quality.suites.kpi_frames import (
    kpi_row_keys,
    only_where,
    overall_grid,
    percentile_pairs,
    published_dimensions,
    split_dimensions,
)

_WEEKLY_KEY = ["week_start", "metric_id", "metric_version", "dimension", "dimension_value"]
_DAILY_KEY = ["day", "metric_id", "metric_version", "dimension", "dimension_value"]


def kpi_weekly(frames: MartFrames) -> Suite:
    """Ranges and shapes of every weekly KPI row."""
    units = frames.metric_definitions[["metric_id", "metric_version", "unit"]]
    df = frames.kpi_weekly.merge(units, on=["metric_id", "metric_version"], how="left")
    is_rate = df["unit"].fillna("").astype(str).str.startswith("share")
    frame = df[[*_WEEKLY_KEY, "value", "denominator", "ci_low", "ci_high"]].copy()
    frame[KEY] = kpi_row_keys(df, "week_start")
    frame["rate_value"] = df["value"].where(is_rate)
    frame["rate_ci_high"] = df["ci_high"].where(is_rate)
    frame["upper_bound_shape_ok"] = only_where(
        df["is_upper_bound"].fillna(False).astype(bool),
        df["value"].isna() & df["ci_high"].notna(),
    )
    table = "marts.kpi_weekly"
    checks = [
        *_key_checks(table, _WEEKLY_KEY, _registered(frames, "weekly")),
        check(
            "rate_within_0_1",
            "error",
            gxe.ExpectColumnValuesToBeBetween,
            column="rate_value",
            min_value=0,
            max_value=1,
            threshold="rates (unit share*) in [0, 1]",
            fix=f"A rate left [0, 1]: fix the metric's SQL (rows named in {table}).",
        ),
        check(
            "rate_upper_bound_within_0_1",
            "error",
            gxe.ExpectColumnValuesToBeBetween,
            column="rate_ci_high",
            min_value=0,
            max_value=1,
            threshold="ci_high of rates in [0, 1]",
            fix="A rate's interval or upper bound left [0, 1]: fix its interval SQL.",
        ),
        _non_negative("value", table),
        _non_negative("denominator", table),
        check(
            "ci_low_le_value",
            "error",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB,
            column_A="value",
            column_B="ci_low",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            threshold="ci_low <= value",
            fix="A value lies below its interval: fix the metric's interval SQL.",
        ),
        check(
            "value_le_ci_high",
            "error",
            gxe.ExpectColumnPairValuesAToBeGreaterThanB,
            column_A="ci_high",
            column_B="value",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            threshold="value <= ci_high",
            fix="A value lies above its interval: fix the metric's interval SQL.",
        ),
        check(
            "upper_bound_rows_have_bound_only",
            "error",
            gxe.ExpectColumnValuesToBeInSet,
            column="upper_bound_shape_ok",
            value_set=[True],
            threshold="is_upper_bound rows: value null, ci_high set",
            fix="An upper-bound row has a value or lacks its bound: fix the metric's SQL.",
        ),
    ]
    return Suite("kpi_weekly", frame, tuple(checks))


def kpi_weekly_percentiles(frames: MartFrames) -> Suite:
    """P50 <= P90 for every week and dimension value (tta_*, ttr_*)."""
    frame = percentile_pairs(frames.kpi_weekly)
    return Suite(
        "kpi_weekly_percentiles",
        frame,
        (
            check(
                "p50_le_p90",
                "error",
                gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                column_A="p90",
                column_B="p50",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                threshold="P50 <= P90 per week and dimension value",
                fix="A median exceeds its P90: fix the percentile SQL of that metric.",
            ),
        ),
    )


@dataclass(frozen=True)
class Period:
    """A KPI grain whose `overall` series must have a row every period."""

    #: "week" or "day": names the check (overall_row_every_<name>).
    name: str
    #: "weekly" or "daily": the table (kpi_<grain>) and the suite's name.
    grain: str
    time_column: str
    days: int
    fix: str


WEEK = Period(
    "week",
    "weekly",
    "week_start",
    7,
    "A week is missing from a metric's overall series: check the metric's weekly spine and "
    "its source fct_ model.",
)
DAY = Period(
    "day",
    "daily",
    "day",
    1,
    "A day is missing from a daily metric's overall series: check fct_backlog_daily's day spine.",
)


def kpi_completeness(frames: MartFrames, period: Period) -> Suite:
    """An `overall` row for every period (week or day) between a metric's
    first and last one."""
    table = getattr(frames, f"kpi_{period.grain}")  # kpi_weekly or kpi_daily
    frame = overall_grid(table, period.time_column, days=period.days)
    return Suite(
        f"kpi_{period.grain}_completeness",
        frame,
        (
            check(
                f"overall_row_every_{period.name}",
                "error",
                gxe.ExpectColumnValuesToBeInSet,
                column="has_overall_row",
                value_set=[True],
                threshold=f"every metric/version: an overall row each {period.name}, first to last",
                fix=period.fix,
            ),
        ),
    )


def kpi_daily(frames: MartFrames) -> Suite:
    """Ranges of the daily KPIs (backlog counts)."""
    df = frames.kpi_daily
    frame = df[[*_DAILY_KEY, "numerator", "value"]].copy()
    frame[KEY] = kpi_row_keys(df, "day")
    table = "marts.kpi_daily"
    checks = [
        *_key_checks(table, _DAILY_KEY, _registered(frames, "daily")),
        _non_negative("value", table),
        _non_negative("numerator", table),
    ]
    return Suite("kpi_daily", frame, tuple(checks))


def metric_coverage(frames: MartFrames) -> Suite:
    """Every registered metric is published, with every registered dimension."""
    defs = frames.metric_definitions
    published = {
        "weekly": published_dimensions(frames.kpi_weekly),
        "daily": published_dimensions(frames.kpi_daily),
    }
    rows = []
    for metric_id, version, grain, dimensions in defs[
        ["metric_id", "metric_version", "grain", "dimensions"]
    ].itertuples(index=False):
        seen = published.get(str(grain), {}).get((metric_id, int(version)), set())
        for i, dimension in enumerate(split_dimensions(dimensions)):
            rows.append(
                {
                    KEY: f"{metric_id} v{version} {grain} by {dimension}",
                    "metric_published": bool(seen) if i == 0 else None,
                    "dimension_published": (dimension in seen) if seen else None,
                }
            )
    frame = pd.DataFrame(rows, columns=[KEY, "metric_published", "dimension_published"])
    frame = frame.astype(object)
    return Suite(
        "metric_coverage",
        frame,
        (
            check(
                "registered_metric_published",
                "warning",
                gxe.ExpectColumnValuesToBeInSet,
                column="metric_published",
                value_set=[True],
                threshold="every metric of the registry has rows",
                fix="A registered metric has no rows: expected while its window has not "
                "closed once (e.g. 30/90-day recurrence on a short export); otherwise check "
                "its fct_ model.",
            ),
            check(
                "registered_dimension_published",
                "warning",
                gxe.ExpectColumnValuesToBeInSet,
                column="dimension_published",
                value_set=[True],
                threshold="every registered dimension of a published metric has rows",
                fix="A published metric lacks a registered dimension: check the metric's "
                "aggregate_by_dimension call and the registry's `dimensions`.",
            ),
        ),
    )


def kpi_alerts(frames: MartFrames) -> Suite:
    """Informational: critical KPI alerts make a warning."""
    df = frames.kpi_alerts
    frame = df[["severity"]].copy()
    frame[KEY] = (
        as_text(df["alert_type"])
        + " "
        + as_text(df["metric_id"])
        + " v"
        + as_text(df["metric_version"])
        + " "
        + as_text(df["dimension"])
        + "="
        + as_text(df["dimension_value"])
        + " "
        + day_text(df["week_start"])
    )
    critical = int((df["severity"] == "critical").sum())
    return Suite(
        "kpi_alerts",
        frame,
        (
            check(
                "no_critical_alerts",
                "warning",
                gxe.ExpectColumnValuesToNotBeInSet,
                column="severity",
                value_set=["critical"],
                threshold="0 critical alerts",
                details=f"{len(df):,} alerts, {critical:,} critical",
                fix="A KPI moved far from its history or missed its target: read the alerts "
                "in marts.kpi_alerts (and the report's summary page).",
            ),
        ),
    )


def _key_checks(table: str, key: list[str], registered: list[str]) -> list[Check]:
    """Key columns not null, the key unique, metric ids registered."""
    checks = [
        check(
            f"{column}_not_null",
            "error",
            gxe.ExpectColumnValuesToNotBeNull,
            column=column,
            threshold="no nulls",
            fix=f"{table}.{column} has nulls: fix the model feeding it.",
        )
        for column in key
    ]
    checks.append(
        check(
            "key_unique",
            "error",
            gxe.ExpectCompoundColumnsToBeUnique,
            column_list=key,
            threshold=f"unique ({', '.join(key)})",
            fix=f"{table} has duplicate rows for one key: fix the metric's aggregation.",
        )
    )
    checks.append(
        check(
            "metric_registered",
            "error",
            gxe.ExpectColumnValuesToBeInSet,
            column="metric_id",
            value_set=registered,
            threshold="metric_id in the metric registry",
            fix="A published metric is missing from _metric_registry.yml: register it.",
        )
    )
    return checks


def _non_negative(column: str, table: str) -> Check:
    return check(
        f"{column}_non_negative",
        "error",
        gxe.ExpectColumnValuesToBeBetween,
        column=column,
        min_value=0,
        threshold=">= 0",
        fix=f"{table}.{column} is negative: fix the metric's SQL (rows in details).",
    )


def _registered(frames: MartFrames, grain: str) -> list[str]:
    defs = frames.metric_definitions
    return sorted(defs.loc[defs["grain"] == grain, "metric_id"].astype(str).unique())

"""The data-quality suites, defined in code: one small function per relation
(or derived frame), each returning the frame to validate and its checks.

Every frame has a `row_key` column naming the row, so a failing check can say
which rows broke it. Checks are `error` (the check command fails) or
`warning` (reported, never fails the command).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.expectations.expectation import Expectation

from trustmart.quality.frames import MartFrames
from trustmart.quality.results import CheckResult, Severity

DEFAULT_MAX_QUARANTINE_SHARE = 0.05
ROW_COUNT_RATIO = (0.5, 2.0)
KEY = "row_key"

_WEEKLY_KEY = ["week_start", "metric_id", "metric_version", "dimension", "dimension_value"]
_DAILY_KEY = ["day", "metric_id", "metric_version", "dimension", "dimension_value"]


@dataclass(frozen=True)
class Check:
    """One expectation with its name, severity, threshold and what to do."""

    name: str
    severity: Severity
    expectation: Expectation
    threshold: str
    fix: str
    #: Context added to the result's details (counts behind a share, ...).
    details: str = ""


@dataclass(frozen=True)
class Suite:
    """A frame and the checks validated against it."""

    name: str
    frame: pd.DataFrame
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class SuitePlan:
    """The suites to validate, and checks that could not run (status skip)."""

    suites: list[Suite]
    skipped: list[CheckResult] = field(default_factory=list)


def check(
    name: str,
    severity: Severity,
    expectation: type[Expectation],
    *,
    threshold: str,
    fix: str,
    details: str = "",
    **kwargs: Any,
) -> Check:
    """A Check whose expectation carries its name in meta (to map results back)."""
    return Check(
        name, severity, expectation(meta={"check": name}, **kwargs), threshold, fix, details
    )


def plan_suites(frames: MartFrames, max_quarantine_share: float) -> SuitePlan:
    """Every suite over `frames`."""
    suites = [
        kpi_weekly(frames),
        kpi_weekly_percentiles(frames),
        kpi_weekly_completeness(frames),
        kpi_daily(frames),
        kpi_daily_completeness(frames),
        metric_coverage(frames),
        raw_reconciliation(frames),
        quarantine_share(frames, max_quarantine_share),
        raw_load(frames),
        kpi_alerts(frames),
    ]
    skipped: list[CheckResult] = []
    counts = row_counts(frames)
    if isinstance(counts, Suite):
        suites.append(counts)
    else:
        skipped.append(counts)
    return SuitePlan(suites, skipped)


# --- kpi_weekly --------------------------------------------------------------


def kpi_weekly(frames: MartFrames) -> Suite:
    """Ranges and shapes of every weekly KPI row."""
    units = frames.metric_definitions[["metric_id", "metric_version", "unit"]]
    df = frames.kpi_weekly.merge(units, on=["metric_id", "metric_version"], how="left")
    is_rate = df["unit"].fillna("").astype(str).str.startswith("share")
    frame = df[[*_WEEKLY_KEY, "value", "denominator", "ci_low", "ci_high"]].copy()
    frame[KEY] = _row_keys(df, "week_start")
    frame["rate_value"] = df["value"].where(is_rate)
    frame["rate_ci_high"] = df["ci_high"].where(is_rate)
    frame["upper_bound_shape_ok"] = _only_where(
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
    frame = _percentile_pairs(frames.kpi_weekly)
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


def kpi_weekly_completeness(frames: MartFrames) -> Suite:
    """An `overall` row for every week between a metric's first and last week."""
    frame = _overall_grid(frames.kpi_weekly, "week_start", days=7)
    return Suite(
        "kpi_weekly_completeness",
        frame,
        (
            check(
                "overall_row_every_week",
                "error",
                gxe.ExpectColumnValuesToBeInSet,
                column="has_overall_row",
                value_set=[True],
                threshold="every metric/version: an overall row each week, first to last",
                fix="A week is missing from a metric's overall series: check the metric's "
                "weekly spine and its source fct_ model.",
            ),
        ),
    )


# --- kpi_daily ---------------------------------------------------------------


def kpi_daily(frames: MartFrames) -> Suite:
    """Ranges of the daily KPIs (backlog counts)."""
    df = frames.kpi_daily
    frame = df[[*_DAILY_KEY, "numerator", "value"]].copy()
    frame[KEY] = _row_keys(df, "day")
    table = "marts.kpi_daily"
    checks = [
        *_key_checks(table, _DAILY_KEY, _registered(frames, "daily")),
        _non_negative("value", table),
        _non_negative("numerator", table),
    ]
    return Suite("kpi_daily", frame, tuple(checks))


def kpi_daily_completeness(frames: MartFrames) -> Suite:
    """An `overall` row for every day between a metric's first and last day."""
    frame = _overall_grid(frames.kpi_daily, "day", days=1)
    return Suite(
        "kpi_daily_completeness",
        frame,
        (
            check(
                "overall_row_every_day",
                "error",
                gxe.ExpectColumnValuesToBeInSet,
                column="has_overall_row",
                value_set=[True],
                threshold="every metric/version: an overall row each day, first to last",
                fix="A day is missing from a daily metric's overall series: check "
                "fct_backlog_daily's day spine.",
            ),
        ),
    )


def metric_coverage(frames: MartFrames) -> Suite:
    """Every registered metric is published, with every registered dimension."""
    defs = frames.metric_definitions
    published = {
        "weekly": _published_dimensions(frames.kpi_weekly),
        "daily": _published_dimensions(frames.kpi_daily),
    }
    rows = []
    for metric_id, version, grain, dimensions in defs[
        ["metric_id", "metric_version", "grain", "dimensions"]
    ].itertuples(index=False):
        seen = published.get(str(grain), {}).get((metric_id, int(version)), set())
        for i, dimension in enumerate(_split(dimensions)):
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


# --- reconciliation, quarantine, row counts, alerts --------------------------


def raw_reconciliation(frames: MartFrames) -> Suite:
    """Every raw row is staged, superseded or quarantined."""
    df = frames.reconciliation
    frame = df[["source_table", "is_reconciled", "unaccounted_rows"]].copy()
    frame[KEY] = _text(df["source_table"])
    fix = (
        "Raw rows disappeared between the export and staging: compare raw_rows with "
        "staged + quarantined + superseded in marts.fct_raw_reconciliation and fix the "
        "table's base model."
    )
    return Suite(
        "fct_raw_reconciliation",
        frame,
        (
            check(
                "has_rows",
                "error",
                gxe.ExpectTableRowCountToBeBetween,
                min_value=1,
                threshold=">= 1 table",
                fix="fct_raw_reconciliation is empty: rebuild with `trustmart build`.",
            ),
            check(
                "all_rows_reconciled",
                "error",
                gxe.ExpectColumnValuesToBeInSet,
                column="is_reconciled",
                value_set=[True],
                threshold="is_reconciled for every table",
                fix=fix,
            ),
            check(
                "no_unaccounted_rows",
                "error",
                gxe.ExpectColumnValuesToBeBetween,
                column="unaccounted_rows",
                min_value=0,
                max_value=0,
                threshold="unaccounted_rows = 0",
                fix=fix,
            ),
        ),
    )


def quarantine_share(frames: MartFrames, max_share: float) -> Suite:
    """Quarantined rows / raw rows per raw table, at most `max_share`.

    The frame has one row and a column per table, so each table is its own
    check with its share as the observed value. When unknown codes are
    behind the share, the fix names the largest and the config line that
    would map each.
    """
    df = frames.reconciliation
    shares: dict[str, list[object]] = {KEY: ["share of raw rows quarantined"]}
    checks = []
    for table, raw_rows, q_rows in sorted(
        zip(df["source_table"], df["raw_rows"], df["quarantined_rows"], strict=True)
    ):
        raw_rows, q_rows = int(raw_rows), int(q_rows)
        shares[table] = [q_rows / raw_rows if raw_rows else 0.0]
        unknown = frames.unknown_codes[frames.unknown_codes["source_table"] == table]
        details = f"{q_rows:,} of {raw_rows:,} raw rows quarantined"
        fix = (
            f"Read marts.fct_quarantined_rows where source_table = '{table}' (by reason) "
            "and fix the export, or raise --max-quarantine-share if the share is expected."
        )
        if len(unknown):
            top = unknown.head(5)
            details += f"; {int(unknown['quarantined_rows'].sum()):,} of them with unknown codes"
            named = "; ".join(
                f"{r.column_name} '{r.platform_value}' ({int(r.quarantined_rows):,} rows)"
                for r in top.itertuples()
            )
            lines = ", ".join(
                f"codes.{r.code_set}.{r.platform_value}: <contract value>" for r in top.itertuples()
            )
            fix = (
                f"Unknown codes behind it, largest first: {named}. If they are your platform's "
                f"own codes, map them in the platform config ({lines}; `trustmart init --raw DIR` "
                "drafts the config) and build again with --config. " + fix
            )
        checks.append(
            check(
                table,
                "error",
                gxe.ExpectColumnMaxToBeBetween,
                column=table,
                min_value=0,
                max_value=max_share,
                threshold=f"<= {max_share:g}",
                details=details,
                fix=fix,
            )
        )
    return Suite("quarantine_share", pd.DataFrame(shares), tuple(checks))


def raw_load(frames: MartFrames) -> Suite:
    """No malformed line and no unreadable file in the export: a build told
    to tolerate them (--max-bad-lines, --skip-unreadable-files) quarantines
    them, and this check fails loudly so nobody reads those numbers as
    complete."""
    df = frames.reconciliation
    frame = df[["source_table", "malformed_lines", "unreadable_files"]].copy()
    frame[KEY] = _text(df["source_table"])
    where = "marts.fct_quarantined_rows where reason in ('malformed_line', 'unreadable_file')"
    return Suite(
        "raw_load",
        frame,
        (
            check(
                "no_malformed_lines",
                "error",
                gxe.ExpectColumnValuesToBeBetween,
                column="malformed_lines",
                min_value=0,
                max_value=0,
                threshold="0 malformed lines",
                fix=f"Lines of the export could not be read as rows ({where}): repair the files "
                "(or have the platform re-deliver them) and build again.",
            ),
            check(
                "no_unreadable_files",
                "error",
                gxe.ExpectColumnValuesToBeBetween,
                column="unreadable_files",
                min_value=0,
                max_value=0,
                threshold="0 unreadable files",
                fix=f"Files of the export could not be read at all ({where}): their rows are "
                "missing from every KPI. Replace them with complete copies and build again.",
            ),
        ),
    )


def row_counts(frames: MartFrames) -> Suite | CheckResult:
    """Rows of every mart within [0.5x, 2x] of the previous build's (warning)."""
    counts = frames.row_counts
    if counts is None:
        return CheckResult(
            suite="row_counts",
            check_name="previous_build",
            severity="warning",
            status="skip",
            details="No marts.previous_build_row_counts in the warehouse (first build, or "
            "the build did not record the previous build's row counts).",
        )
    low, high = ROW_COUNT_RATIO
    ratios: dict[str, list[object]] = {KEY: ["rows now / rows in the previous build"]}
    checks = []
    for name, previous, current, exists_now in counts.itertuples(index=False):
        ratios[name] = [_ratio(current, previous)]
        gone = "" if exists_now else "; the relation no longer exists"
        checks.append(
            check(
                name,
                "warning",
                gxe.ExpectColumnMaxToBeBetween,
                column=name,
                min_value=low,
                max_value=high,
                threshold=f"ratio in [{low:g}, {high:g}]",
                details=f"{current:,} rows now, {previous:,} in the previous build{gone}",
                fix=f"marts.{name} changed size sharply since the previous build: check the "
                "export's volume and recent model changes.",
            )
        )
    return Suite("row_counts", pd.DataFrame(ratios), tuple(checks))


def kpi_alerts(frames: MartFrames) -> Suite:
    """Informational: critical KPI alerts make a warning."""
    df = frames.kpi_alerts
    frame = df[["severity"]].copy()
    frame[KEY] = (
        _text(df["alert_type"])
        + " "
        + _text(df["metric_id"])
        + " v"
        + _text(df["metric_version"])
        + " "
        + _text(df["dimension"])
        + "="
        + _text(df["dimension_value"])
        + " "
        + _day_text(df["week_start"])
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


# --- helpers -----------------------------------------------------------------


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


def _ratio(current: int, previous: int) -> float:
    """current / previous; 1 when both are 0, current when only previous is 0."""
    if previous:
        return current / previous
    return 1.0 if current == 0 else float(current)


def _registered(frames: MartFrames, grain: str) -> list[str]:
    defs = frames.metric_definitions
    return sorted(defs.loc[defs["grain"] == grain, "metric_id"].astype(str).unique())


def _text(series: pd.Series) -> pd.Series:
    """Values as text, `null` for missing ones (so row keys never vanish)."""
    return series.astype(str).fillna("null")


def _day_text(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.strftime("%Y-%m-%d").fillna("?").astype(str)


def _row_keys(df: pd.DataFrame, time_column: str) -> pd.Series:
    """`metric vN dimension=value YYYY-MM-DD` for each KPI row."""
    return (
        _text(df["metric_id"])
        + " v"
        + _text(df["metric_version"])
        + " "
        + _text(df["dimension"])
        + "="
        + _text(df["dimension_value"])
        + " "
        + _day_text(df[time_column])
    )


def _only_where(condition: pd.Series, values: pd.Series) -> pd.Series:
    """`values` (as bool) where `condition`, else None: GX skips nulls."""
    return pd.Series(
        [bool(v) if c else None for c, v in zip(condition, values, strict=True)],
        index=condition.index,
        dtype=object,
    )


def _percentile_pairs(weekly: pd.DataFrame) -> pd.DataFrame:
    """One row per percentile family (metric id with _p50_/_p90_), version,
    week and dimension value, with columns p50 and p90."""
    ids = weekly["metric_id"].astype(str)
    quantile = ids.str.extract(r"_(p50|p90)_", expand=False)
    df = weekly.loc[quantile.notna()].copy()
    df["quantile"] = quantile[quantile.notna()]
    df["family"] = _text(df["metric_id"]).str.replace(r"_p(50|90)_", "_pNN_", regex=True)
    index = ["family", "metric_version", "week_start", "dimension", "dimension_value"]
    if df.empty:
        frame = pd.DataFrame(columns=[*index, "p50", "p90"])
    else:
        frame = df.set_index([*index, "quantile"])["value"].unstack("quantile").reset_index()
        frame = frame.reindex(columns=[*index, "p50", "p90"])
        frame.columns.name = None
    frame[KEY] = (
        _text(frame["family"])
        + " v"
        + _text(frame["metric_version"])
        + " "
        + _text(frame["dimension"])
        + "="
        + _text(frame["dimension_value"])
        + " "
        + _day_text(frame["week_start"])
    )
    return frame.astype({"p50": "float64", "p90": "float64"})


def _overall_grid(df: pd.DataFrame, time_column: str, days: int) -> pd.DataFrame:
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


def _published_dimensions(df: pd.DataFrame) -> dict[tuple[str, int], set[str]]:
    pairs = df[["metric_id", "metric_version", "dimension"]].drop_duplicates()
    out: dict[tuple[str, int], set[str]] = {}
    for metric_id, version, dimension in pairs.itertuples(index=False):
        out.setdefault((str(metric_id), int(version)), set()).add(str(dimension))
    return out


def _split(dimensions: object) -> Iterable[str]:
    if not isinstance(dimensions, str):
        return []
    return [d.strip() for d in dimensions.split(",") if d.strip()]

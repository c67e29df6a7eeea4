"""The load suites: every raw row reconciled, the quarantined share of each
raw table, no malformed line or unreadable file, and row counts against the
previous build."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from trustmart.quality.frames import MartFrames
from trustmart.quality.results import CheckResult
from trustmart.quality.suites.base import KEY, Suite, as_text, check

DEFAULT_MAX_QUARANTINE_SHARE = 0.05
ROW_COUNT_RATIO = (0.5, 2.0)


def raw_reconciliation(frames: MartFrames) -> Suite:
    """Every raw row is staged, superseded or quarantined."""
    df = frames.reconciliation
    frame = df[["source_table", "is_reconciled", "unaccounted_rows"]].copy()
    frame[KEY] = as_text(df["source_table"])
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
    frame[KEY] = as_text(df["source_table"])
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


def _ratio(current: int, previous: int) -> float:
    """current / previous; 1 when both are 0, current when only previous is 0."""
    if previous:
        return current / previous
    return 1.0 if current == 0 else float(current)

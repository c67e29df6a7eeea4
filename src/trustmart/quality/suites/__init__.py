"""The data-quality suites, defined in code: one small function per relation
(or derived frame), each returning the frame to validate and its checks.

Every frame has a `row_key` column naming the row, so a failing check can say
which rows broke it. Checks are `error` (the check command fails) or
`warning` (reported, never fails the command).

- base: what a suite is (Suite, Check, `check`) and the shared text helpers;
- kpis (with kpi_frames): the published KPIs, the registry's coverage, alerts;
- loads: reconciliation, quarantine share, malformed lines and unreadable
  files, row counts against the previous build.
"""

from __future__ import annotations

from trustmart.quality.frames import MartFrames
from trustmart.quality.results import CheckResult
from trustmart.quality.suites.base import KEY, Check, Suite, SuitePlan, check
from trustmart.quality.suites.kpis import (
    DAY,
    WEEK,
    kpi_alerts,
    kpi_completeness,
    kpi_daily,
    kpi_weekly,
    kpi_weekly_percentiles,
    metric_coverage,
)
from trustmart.quality.suites.loads import (
    DEFAULT_MAX_QUARANTINE_SHARE,
    quarantine_share,
    raw_load,
    raw_reconciliation,
    row_counts,
)

__all__ = [
    "DEFAULT_MAX_QUARANTINE_SHARE",
    "KEY",
    "Check",
    "Suite",
    "SuitePlan",
    "check",
    "plan_suites",
]


def plan_suites(frames: MartFrames, max_quarantine_share: float) -> SuitePlan:
    """Every suite over `frames`."""
    suites = [
        kpi_weekly(frames),
        kpi_weekly_percentiles(frames),
        kpi_completeness(frames, WEEK),
        kpi_daily(frames),
        kpi_completeness(frames, DAY),
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

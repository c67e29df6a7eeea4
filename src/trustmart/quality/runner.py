"""`trustmart check`: run every suite and source freshness, record the results
in marts.dq_results and publish them atomically.

The published warehouse is never written in place (trustmart.publish): it is
copied to a sibling file, the checks read that copy (read-only) and write
their results into it, and the copy is renamed over the published file in one
step, unless the published file was replaced (rebuilt) meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from trustmart.errors import TrustmartError
from trustmart.publish import DatabaseDraft
from trustmart.quality.frames import read_frames
from trustmart.quality.freshness import source_freshness
from trustmart.quality.history import recorded_raw_dir
from trustmart.quality.results import DQ_RESULTS, CheckResult, write_results
from trustmart.quality.suites import DEFAULT_MAX_QUARANTINE_SHARE, plan_suites
from trustmart.quality.validate import validate
from trustmart.warehouse import open_duckdb

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CheckOutcome:
    """Every check's result, and where the results and data docs are."""

    db: Path
    run_at: datetime
    rows: list[CheckResult]
    data_docs: Path
    failed_errors: list[CheckResult] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "failed_errors", [r for r in self.rows if r.is_failed_error])

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.rows if r.status == "warn"]

    def error(self) -> TrustmartError | None:
        """The error naming each failed error-level check, or None."""
        if not self.failed_errors:
            return None
        lines = [
            f"  - {r.qualified_name}: observed {r.observed_value}, expected {r.threshold}"
            + (f" ({_shorten(r.details)})" if r.details else "")
            for r in self.failed_errors
        ]
        fixes = [f"  - {r.qualified_name}: {r.fix}" for r in self.failed_errors if r.fix]
        return TrustmartError(
            f"{len(self.failed_errors)} error-level data-quality check(s) failed:\n"
            + "\n".join(lines),
            "\n"
            + "\n".join(fixes)
            + f"\nAll results are in {DQ_RESULTS} of {self.db}; data docs: {self.data_docs}",
        )


def run_check(
    db: Path,
    max_quarantine_share: float = DEFAULT_MAX_QUARANTINE_SHARE,
    progress: Progress | None = None,
    *,
    raw_dir: Path | None = None,
    freshness: bool = True,
    docs_dir: Path | None = None,
) -> CheckOutcome:
    """Check the warehouse at `db` and append the results to marts.dq_results.

    raw_dir: the export for source freshness (default: the one the warehouse
    was built from, else TRUSTMART_RAW_DIR); freshness=False skips dbt.
    docs_dir: data docs folder (default `<db folder>/quality/data_docs`).
    """
    if not 0 <= max_quarantine_share <= 1:
        raise TrustmartError(
            f"The quarantine share threshold {max_quarantine_share} is not in [0, 1].",
            "Pass --max-quarantine-share (or TRUSTMART_MAX_QUARANTINE_SHARE) as a fraction, "
            "e.g. 0.05.",
        )
    db = db.resolve()
    if not db.is_file():
        raise TrustmartError(
            f"No warehouse at {db}.", "Run `trustmart build` first, or point --db at one."
        )
    docs_dir = (docs_dir or db.parent / "quality" / "data_docs").resolve()
    say = progress or (lambda _step: None)
    run_at = datetime.now(UTC).replace(tzinfo=None)
    with DatabaseDraft(db, "checking", rerun="trustmart check") as work:
        say("Copying the warehouse")
        work.copy_published()
        say("Reading the marts")
        with open_duckdb(work.path) as con:
            frames = read_frames(con)
            recorded_raw = recorded_raw_dir(con)
        plan = plan_suites(frames, max_quarantine_share)
        rows = validate(plan.suites, docs_dir, run_at, say) + plan.skipped
        if freshness:
            say("Running dbt source freshness")
            raw = raw_dir.resolve() if raw_dir else recorded_raw or _env_raw_dir()
            rows += source_freshness(work.path, raw, db.parent / "logs" / "dbt-freshness.log")
        say("Recording the results")
        with open_duckdb(work.path, read_only=False) as con:
            write_results(con, run_at, rows)
        work.publish()
    return CheckOutcome(db=db, run_at=run_at, rows=rows, data_docs=docs_dir / "index.html")


def _shorten(text: str, limit: int = 240) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _env_raw_dir() -> Path | None:
    value = os.environ.get("TRUSTMART_RAW_DIR")
    return Path(value).resolve() if value else None

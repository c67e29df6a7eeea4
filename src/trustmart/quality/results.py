"""One check's outcome, and the table `marts.dq_results` that keeps them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from trustmart.warehouse import Warehouse

Severity = Literal["error", "warning"]
Status = Literal["pass", "warn", "fail", "skip"]

DQ_RESULTS = "marts.dq_results"

_CREATE = f"""
create table if not exists {DQ_RESULTS} (
    run_at timestamp,
    suite varchar,
    check_name varchar,
    severity varchar,
    status varchar,
    observed_value varchar,
    threshold varchar,
    details varchar
)
"""


@dataclass(frozen=True)
class CheckResult:
    """What one check found. `fix` says what to do when it did not pass; it is
    printed by the command line and not stored."""

    suite: str
    check_name: str
    severity: Severity
    status: Status
    observed_value: str | None = None
    threshold: str | None = None
    details: str | None = None
    fix: str = ""

    @property
    def qualified_name(self) -> str:
        return f"{self.suite}.{self.check_name}"

    @property
    def is_failed_error(self) -> bool:
        return self.status == "fail"


def status_for(success: bool, severity: Severity) -> Status:
    """pass when the check held; otherwise fail for errors, warn for warnings."""
    if success:
        return "pass"
    return "fail" if severity == "error" else "warn"


def write_results(con: Warehouse, run_at: datetime, results: Sequence[CheckResult]) -> None:
    """Append `results` to marts.dq_results (created when missing)."""
    con.execute("create schema if not exists marts")
    con.execute(_CREATE)
    if not results:
        return
    con.executemany(
        f"insert into {DQ_RESULTS} values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_at,
                r.suite,
                r.check_name,
                r.severity,
                r.status,
                r.observed_value,
                r.threshold,
                r.details,
            )
            for r in results
        ],
    )

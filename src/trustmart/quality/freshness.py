"""dbt source freshness (latest `ingested_at` per raw table) as check results.

Freshness is warning-level: a synthetic or replayed export is always old.
dbt's on-run-start hook re-lands the raw views, so it runs against the
working copy of the warehouse, never the published file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from trustmart.dbt_runner import run_dbt
from trustmart.quality.results import CheckResult, Status

SUITE = "source_freshness"
_FIX = (
    "The export has not been refreshed recently: deliver a new export and rebuild "
    "(expected for synthetic demo data)."
)


def source_freshness(db: Path, raw_dir: Path | None, log_path: Path) -> list[CheckResult]:
    """Run `dbt source freshness` against `db` with the export in `raw_dir`."""
    if raw_dir is None or not raw_dir.is_dir():
        return [
            _not_run(
                f"The raw export {raw_dir or '(unknown)'} was not found; freshness not checked.",
                "Pass --raw DIR (the export the warehouse was built from) or set "
                "TRUSTMART_RAW_DIR.",
            )
        ]
    with tempfile.TemporaryDirectory(prefix="trustmart-freshness-") as target:
        try:
            result = run_dbt(
                ["source", "freshness", "--target-path", target],
                env={
                    "TRUSTMART_DB": str(db),
                    "TRUSTMART_RAW_DIR": str(raw_dir),
                },
                log_path=log_path,
            )
        except OSError as error:
            return [_not_run(f"dbt could not start: {error}", "Install the project (dbt-core).")]
        sources = Path(target) / "sources.json"
        if not sources.is_file():
            return [
                _not_run(
                    "dbt source freshness failed: " + (result.error_digest or "no sources.json"),
                    f"See {log_path}.",
                )
            ]
        return parse_sources(json.loads(sources.read_text(encoding="utf-8")))


def parse_sources(document: dict[str, Any]) -> list[CheckResult]:
    """One result per source table in dbt's sources.json."""
    results = []
    for entry in sorted(document.get("results", []), key=lambda e: e.get("unique_id", "")):
        table = str(entry.get("unique_id", "?")).rsplit(".", 1)[-1]
        dbt_status = str(entry.get("status", "runtime error"))
        status: Status = "pass" if dbt_status == "pass" else "warn"
        age = entry.get("max_loaded_at_time_ago_in_s")
        if dbt_status == "runtime error":
            details = f"dbt: {entry.get('error') or entry.get('message') or 'runtime error'}"
        else:
            details = f"latest ingested_at {entry.get('max_loaded_at')} (dbt status {dbt_status})"
        results.append(
            CheckResult(
                suite=SUITE,
                check_name=table,
                severity="warning",
                status=status,
                observed_value=f"{age / 3600:.1f} h" if isinstance(age, int | float) else None,
                threshold=_criteria(entry.get("criteria") or {}),
                details=details,
                fix=_FIX,
            )
        )
    return results


def _criteria(criteria: dict[str, Any]) -> str | None:
    parts = []
    for level in ("warn_after", "error_after"):
        rule = criteria.get(level) or {}
        if rule.get("count"):
            parts.append(f"{level.replace('_', ' ')} {rule['count']} {rule.get('period')}(s)")
    return "; ".join(parts) or None


def _not_run(details: str, fix: str) -> CheckResult:
    return CheckResult(
        suite=SUITE,
        check_name="dbt_source_freshness",
        severity="warning",
        status="warn",
        details=details,
        fix=fix,
    )

"""Validate the suites with great-expectations and build its data docs.

An ephemeral (in-memory) context holds one pandas data source with a
dataframe asset per suite; each suite runs through its own Checkpoint (the
frame is that run's batch), and the HTML data docs of all of them are built
once at the end into `docs_dir` (an UpdateDataDocsAction per checkpoint
re-renders the site every time: three times slower).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from trustmart.quality.results import CheckResult, status_for
from trustmart.quality.suites import KEY, Check, Suite

SITE = "trustmart"
_SITE_ENTRIES = ("index.html", "validations", "expectations", "static")
_EXAMPLES = 10
_RESULT_FORMAT: dict[str, Any] = {
    "result_format": "SUMMARY",
    "unexpected_index_column_names": [KEY],
    "partial_unexpected_count": _EXAMPLES,
}


def validate(
    suites: Sequence[Suite],
    docs_dir: Path,
    run_at: datetime,
    progress: Callable[[str], None] | None = None,
) -> list[CheckResult]:
    """Run every suite; data docs (rebuilt from scratch) land in `docs_dir`."""
    _clear_site(docs_dir)
    context = _context(docs_dir)
    source = context.data_sources.add_pandas("trustmart_marts")
    run_id = RunIdentifier(run_name="trustmart check", run_time=run_at)
    results: list[CheckResult] = []
    for suite in suites:
        if progress:
            progress(f"Validating {suite.name}")
        batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("whole")
        gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name))
        for item in suite.checks:
            gx_suite.add_expectation(item.expectation)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite)
        )
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=suite.name,
                validation_definitions=[definition],
                actions=[],
                result_format=_RESULT_FORMAT,
            )
        )
        outcome = checkpoint.run(batch_parameters={"dataframe": suite.frame}, run_id=run_id)
        by_name = {
            r.expectation_config.meta.get("check"): r.to_json_dict()
            for run in outcome.run_results.values()
            for r in run.results
            if r.expectation_config is not None and r.expectation_config.meta
        }
        results.extend(_result(suite.name, item, by_name.get(item.name)) for item in suite.checks)
    if progress:
        progress("Building the data docs")
    context.build_data_docs(site_names=[SITE])
    return results


def _clear_site(docs_dir: Path) -> None:
    """Remove the previous run's site (only what GX writes there), so the
    docs show this run and old pages do not pile up."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    for name in _SITE_ENTRIES:
        entry = docs_dir / name
        if entry.is_dir():
            shutil.rmtree(entry)
        elif entry.exists():
            entry.unlink()


def _context(docs_dir: Path) -> Any:
    """An in-memory context whose only data docs site is `docs_dir`."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={
            SITE: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        progress_bars=ProgressBarsConfig(globally=False),
        analytics_enabled=False,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _result(suite: str, item: Check, raw: dict[str, Any] | None) -> CheckResult:
    """A CheckResult from one expectation's JSON result."""
    if raw is None:
        success, result, error = False, {}, "great-expectations returned no result"
    else:
        result = raw.get("result") or {}
        info = raw.get("exception_info") or {}
        error = info.get("exception_message") if info.get("raised_exception") else None
        success = bool(raw.get("success")) and not error
    details = [item.details] if item.details else []
    if error:
        details.append(f"error: {error}")
    examples = _examples(result)
    if examples and not success:
        details.append(examples)
    return CheckResult(
        suite=suite,
        check_name=item.name,
        severity=item.severity,
        status=status_for(success, item.severity),
        observed_value=_observed(result),
        threshold=item.threshold,
        details="; ".join(details) or None,
        fix=item.fix,
    )


def _observed(result: dict[str, Any]) -> str | None:
    """The aggregate an expectation observed, or how many rows broke it."""
    if "observed_value" in result:
        return _fmt(result["observed_value"])
    if "unexpected_count" in result:
        return str(result["unexpected_count"])
    return None


def _examples(result: dict[str, Any]) -> str:
    """`N of M rows, e.g.: key (column=value), ...` from the unexpected rows."""
    count = result.get("unexpected_count")
    if not count:
        return ""
    shown = []
    for entry in (result.get("partial_unexpected_index_list") or [])[:_EXAMPLES]:
        if isinstance(entry, dict):
            others = {k: v for k, v in entry.items() if k != KEY}
            # the key's own columns (compound uniqueness) add nothing to row_key
            values = (
                ", ".join(f"{k}={_fmt(v)}" for k, v in others.items()) if len(others) <= 2 else ""
            )
            text = f"{entry.get(KEY)} ({values})" if values else str(entry.get(KEY))
            if text not in shown:
                shown.append(text)
    if not shown:
        shown = [_fmt(v) for v in (result.get("partial_unexpected_list") or [])[:_EXAMPLES]]
    total = result.get("element_count")
    head = f"{count} of {total} rows" if total is not None else f"{count} rows"
    return f"{head}, e.g.: " + "; ".join(shown) if shown else head


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    try:
        return f"{float(value):.6g}" if isinstance(value, str) and "." in value else str(value)
    except ValueError:
        return str(value)

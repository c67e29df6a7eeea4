"""`trustmart build`: load the raw export and run every dbt model and test
into a separate DuckDB file, then publish it over the old one in one step.

A build is incremental when trustmart.incremental allows it: the separate
file starts as a copy of the published warehouse and the base models load
only the raw files that are new. Otherwise (first build, `--full-refresh`,
changed code, config or raw files) it starts empty and everything is
rebuilt.

The platform config (trustmart.config) reaches dbt as vars; so do the
tolerance of malformed lines and unreadable files, which the landing
enforces before any model runs (macros/raw/land_raw_sources.sql)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trustmart.config import LoadedConfig, load_config
from trustmart.config.dbt_vars import dbt_vars, vars_fingerprint
from trustmart.dbt_runner import run_dbt
from trustmart.errors import TrustmartError
from trustmart.incremental import BuildInputs, BuildPlan, code_fingerprint, plan_build, raw_files
from trustmart.publish import DatabaseDraft
from trustmart.quality.history import record_build
from trustmart.semantic.manifest import record_semantic_manifest
from trustmart.settings import project_dir
from trustmart.unreadable import find_unreadable_files

_RAW_SUFFIXES = (".parquet", ".csv", ".csv.gz", ".jsonl", ".ndjson", ".jsonl.gz")


@dataclass(frozen=True)
class Tolerance:
    """What a build may quarantine instead of stopping: up to
    `max_bad_lines` malformed lines in all, and unreadable files."""

    max_bad_lines: int = 0
    skip_unreadable_files: bool = False


@dataclass(frozen=True)
class BuildResult:
    """Where the published database is, where dbt's log went, and whether
    the build was incremental (and why)."""

    db: Path
    log_path: Path
    plan: BuildPlan


def check_raw_dir(raw: Path) -> None:
    """Fail early, with what to do, when there is no export to load."""
    has_files = raw.is_dir() and any(
        f.is_file() and f.name.lower().endswith(_RAW_SUFFIXES) for f in raw.glob("*/*")
    )
    if not has_files:
        raise TrustmartError(
            f"No raw export found in {raw} (expected <table>/<file>.parquet|.csv|.jsonl).",
            "Run `trustmart generate --out "
            f"{raw}` for a synthetic export, or point `trustmart build --raw DIR` "
            "(or TRUSTMART_RAW_DIR) at your platform's export.",
        )


def build(
    raw: Path,
    db: Path,
    *,
    on_progress: Callable[[int, int, str], None] | None = None,
    extra_args: tuple[str, ...] = (),
    full_refresh: bool = False,
    config: LoadedConfig | None = None,
    tolerance: Tolerance = Tolerance(),
) -> BuildResult:
    """Build the warehouse from `raw` and publish it at `db` atomically.

    The build writes to a sibling file (trustmart.publish); only when every
    model and every error-severity test passed is it renamed over `db`, so
    readers of the published file never see a half-built or failing
    warehouse; a failed build is kept as `<name>.failed.duckdb`. It is
    incremental when `plan_build` allows it (never with `full_refresh`).
    """
    raw = raw.resolve()
    db = db.resolve()
    check_raw_dir(raw)
    project = project_dir()
    config = config if config is not None else load_config()
    settings = dbt_vars(config.config)
    inputs = BuildInputs(code_fingerprint(project), vars_fingerprint(settings), raw_files(raw))
    plan = plan_build(db, raw, inputs, full_refresh=full_refresh)
    if tolerance.max_bad_lines < 0:
        raise TrustmartError(
            f"--max-bad-lines must be 0 or more, not {tolerance.max_bad_lines}.",
            "Pass the number of malformed lines to tolerate in all, e.g. --max-bad-lines 10.",
        )
    build_vars = {
        **settings,
        "max_bad_lines": tolerance.max_bad_lines,
        "skip_unreadable_files": tolerance.skip_unreadable_files,
        "unreadable_files": [f.as_var() for f in find_unreadable_files(raw)],
    }
    log_path = db.parent / "logs" / "dbt-build.log"
    target = db.parent / ".dbt-target"
    with DatabaseDraft(db, "building", keep_failed=True) as building:
        if plan.incremental:
            # readers keep the published file; the build continues from a copy
            building.copy_published()
        # dbt's target and log folders beside the database, so that builds of
        # different warehouses never share (and race on) the project's target/.
        result = run_dbt(
            [
                "build",
                "--target-path",
                str(target),
                "--log-path",
                str(db.parent / "logs"),
                *(() if plan.incremental else ("--full-refresh",)),
                # dbt's unit tests check the code, not the data: they run in CI
                # (tests/python/test_dbt_unit_tests.py), not in every build
                "--exclude-resource-type",
                "unit_test",
                "--vars",
                json.dumps(build_vars),
                *extra_args,
            ],
            env={
                "TRUSTMART_RAW_DIR": str(raw),
                "TRUSTMART_DB": str(building.path),
            },
            log_path=log_path,
            on_progress=on_progress,
        )
        if not result.ok:
            failed = building.set_aside()
            raise TrustmartError(
                "The build failed; the published database was left unchanged.\n"
                + result.error_digest,
                f"Fix the cause above and run `trustmart build` again. Full log: {log_path}"
                + (f"; the failed build is kept for inspection at {failed}" if failed else ""),
            )
        # the semantic layer's definitions travel with the data they describe
        record_semantic_manifest(building.path, target)
        record_build(
            previous=db,
            building=building.path,
            raw=raw,
            mode="incremental" if plan.incremental else "full",
            inputs=inputs,
            config_path=config.path,
        )
        building.publish()
    return BuildResult(db=db, log_path=log_path, plan=plan)

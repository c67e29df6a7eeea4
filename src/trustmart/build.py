"""`trustmart build`: load the raw export and run every dbt model and test
into a separate DuckDB file, then publish it over the old one in one step.

With the `spark` target (`--target spark` or TRUSTMART_TARGET=spark) dbt
builds on a Spark Thrift server instead (profiles/profiles.yml), with the
same vars and raw folder. There is no DuckDB file there: Spark writes its
databases (raw, staging, intermediate, marts, reference) in place, so there
is no draft file and no publish-by-rename (a failed build can leave them
partly rebuilt), and what lives in the DuckDB file is skipped: the build
history and the semantic manifest (SPARK_SKIPPED says why, and the command
prints it). The incremental plan works as on DuckDB, from marts.build_info
and marts.build_raw_files in Spark's `marts` database; the record is
dropped before dbt starts and written again only when the build succeeds,
so a build after a failed one is full.

A build is incremental when trustmart.incremental allows it: the separate
file starts as a copy of the published warehouse and the base models load
only the raw files that are new. Otherwise (first build, `--full-refresh`,
changed code, config or raw files) it starts empty and everything is
rebuilt.

The platform config (trustmart.config) reaches dbt as vars; so do the
tolerance of malformed lines and unreadable files, which the landing
enforces before any model runs (macros/raw/land_raw_sources.sql)."""

from __future__ import annotations

import importlib.util
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trustmart.config import LoadedConfig, load_config
from trustmart.config.dbt_vars import dbt_vars, vars_fingerprint
from trustmart.dbt_memory import FIRST_RUN_RESULTS, out_of_memory_fix, retry_one_at_a_time
from trustmart.dbt_runner import run_dbt
from trustmart.errors import TrustmartError
from trustmart.incremental import (
    FULL_REFRESH,
    BuildInputs,
    BuildPlan,
    code_fingerprint,
    forget_raw_files,
    plan_build,
    plan_from_record,
    raw_files,
)
from trustmart.publish import DatabaseDraft
from trustmart.quality.history import record_build, record_build_state
from trustmart.semantic.manifest import record_semantic_manifest
from trustmart.settings import project_dir
from trustmart.unreadable import find_unreadable_files
from trustmart.warehouse import TARGETS, Target, WarehouseError
from trustmart.warehouse.spark import open_spark, spark_address

_RAW_SUFFIXES = (".parquet", ".csv", ".csv.gz", ".jsonl", ".ndjson", ".jsonl.gz")


@dataclass(frozen=True)
class Tolerance:
    """What a build may quarantine instead of stopping: up to
    `max_bad_lines` malformed lines in all, and unreadable files."""

    max_bad_lines: int = 0
    skip_unreadable_files: bool = False


#: What a Spark build does not do, and why (printed after the build).
SPARK_SKIPPED = (
    "publish by rename: it swaps DuckDB files; Spark writes its databases in place",
    "build history (previous row counts, check history, parameter changes, entity merges): "
    "recorded into the DuckDB file against the previous file",
    "semantic manifest (marts.semantic_manifest): stored in the DuckDB file for "
    "`trustmart query`, which reads the DuckDB target",
)


@dataclass(frozen=True)
class BuildResult:
    """Where the published database is, where dbt's log went, and whether
    the build was incremental (and why). On Spark `db` is None (the
    warehouse is the server's databases) and `skipped` says what a DuckDB
    build does that this one did not."""

    db: Path | None
    log_path: Path
    plan: BuildPlan
    target: Target = "duckdb"
    skipped: tuple[str, ...] = ()
    #: nodes that ran out of memory with several at a time and passed when
    #: run again one at a time (trustmart.dbt_memory)
    out_of_memory: tuple[str, ...] = ()


def check_target(target: str) -> Target:
    """`target` when it is one trustmart builds, else a TrustmartError."""
    for known in TARGETS:
        if target == known:
            return known
    raise TrustmartError(
        f"Unknown build target {target!r}.",
        f"Pass --target {' or --target '.join(TARGETS)} (or set TRUSTMART_TARGET to one).",
    )


def check_spark_lane() -> None:
    """Fail early, with what to do, when dbt-spark (the Spark lane) is missing
    or no Thrift server answers where the `spark` target points."""
    if importlib.util.find_spec("dbt.adapters.spark") is None:
        raise TrustmartError(
            "Building on Spark needs dbt-spark, which is part of the Spark lane and is not "
            "installed.",
            "Run `bash scripts/bootstrap.sh spark` to install the Spark lane, then build again.",
        )
    host, port, _user = spark_address()
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as error:
        raise TrustmartError(
            f"No Spark Thrift server answers at {host}:{port} ({error.strerror or error}).",
            "Start a local one with `bash scripts/spark-thrift.sh start`, or point the build at "
            "your cluster's with TRUSTMART_SPARK_HOST and TRUSTMART_SPARK_PORT (docs/spark.md).",
        ) from None


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
    target: Target = "duckdb",
) -> BuildResult:
    """Build the warehouse from `raw` and publish it at `db` atomically.

    The build writes to a sibling file (trustmart.publish); only when every
    model and every error-severity test passed is it renamed over `db`, so
    readers of the published file never see a half-built or failing
    warehouse; a failed build is kept as `<name>.failed.duckdb`. It is
    incremental when `plan_build` allows it (never with `full_refresh`).

    target="spark": build on the Spark Thrift server instead, in place
    (module docstring); `db` only places the logs.
    """
    raw = raw.resolve()
    db = db.resolve()
    target = check_target(target)
    check_raw_dir(raw)
    if target == "spark":
        check_spark_lane()
    project = project_dir()
    config = config if config is not None else load_config()
    settings = dbt_vars(config.config)
    inputs = BuildInputs(code_fingerprint(project), vars_fingerprint(settings), raw_files(raw))
    if target == "spark":
        plan = plan_spark_build(raw, inputs, full_refresh=full_refresh)
    else:
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
    if target == "spark":
        return _build_on_spark(
            raw, db.parent, build_vars, plan, on_progress, extra_args, inputs, config.path
        )
    log_path = db.parent / "logs" / "dbt-build.log"
    target_dir = db.parent / ".dbt-target"
    with DatabaseDraft(db, "building", keep_failed=True) as building:
        if plan.incremental:
            # readers keep the published file; the build continues from a copy
            building.copy_published()
        # dbt's target and log folders beside the database, so that builds of
        # different warehouses never share (and race on) the project's target/.
        env = {"TRUSTMART_RAW_DIR": str(raw), "TRUSTMART_DB": str(building.path)}
        (target_dir / FIRST_RUN_RESULTS).unlink(missing_ok=True)
        result = run_dbt(
            [
                *_dbt_build_args(target_dir, db.parent / "logs", plan, build_vars),
                *extra_args,
            ],
            env=env,
            log_path=log_path,
            on_progress=on_progress,
        )
        out_of_memory: tuple[str, ...] = ()
        if not result.ok:
            result, out_of_memory = retry_one_at_a_time(
                result, target_dir, db.parent / "logs", env, on_progress
            )
        if not result.ok:
            failed = building.set_aside()
            kept = f"; the failed build is kept for inspection at {failed}" if failed else ""
            raise TrustmartError(
                "The build failed; the published database was left unchanged.\n"
                + result.error_digest,
                (
                    out_of_memory_fix(target_dir)
                    or "Fix the cause above and run `trustmart build` again."
                )
                + f" Full log: {result.log_path}{kept}",
            )
        # the semantic layer's definitions travel with the data they describe
        record_semantic_manifest(building.path, target_dir)
        record_build(
            previous=db,
            building=building.path,
            raw=raw,
            mode="incremental" if plan.incremental else "full",
            inputs=inputs,
            config_path=config.path,
        )
        building.publish()
    return BuildResult(db=db, log_path=log_path, plan=plan, out_of_memory=out_of_memory)


def _dbt_build_args(
    target_dir: Path, log_dir: Path, plan: BuildPlan, build_vars: dict[str, object]
) -> list[str]:
    """`dbt build`'s arguments but the target and the caller's extras."""
    return [
        "build",
        "--target-path",
        str(target_dir),
        "--log-path",
        str(log_dir),
        *(() if plan.incremental else ("--full-refresh",)),
        # dbt's unit tests check the code, not the data: they run in CI
        # (tests/python/test_dbt_unit_tests.py), not in every build
        "--exclude-resource-type",
        "unit_test",
        "--vars",
        json.dumps(build_vars),
    ]


def plan_spark_build(raw: Path, inputs: BuildInputs, *, full_refresh: bool) -> BuildPlan:
    """Full or incremental on Spark, from the record of the last Spark
    build in Spark's `marts` database (trustmart.incremental)."""
    if full_refresh:
        return FULL_REFRESH
    try:
        with open_spark() as con:
            return plan_from_record(con, raw, inputs)
    except WarehouseError as error:
        return BuildPlan(False, f"Spark's record of the last build cannot be read ({error})")


def _build_on_spark(
    raw: Path,
    folder: Path,
    build_vars: dict[str, object],
    plan: BuildPlan,
    on_progress: Callable[[int, int, str], None] | None,
    extra_args: tuple[str, ...],
    inputs: BuildInputs,
    config_path: Path | None,
) -> BuildResult:
    """`dbt build --target spark` in place: no draft, no publish; dbt's
    target and log folders in `folder`, apart from the DuckDB build's. The
    record of loaded raw files is dropped first and written again after a
    build that passed."""
    log_path = folder / "logs" / "dbt-build-spark.log"
    with open_spark() as con:
        forget_raw_files(con)
    result = run_dbt(
        [
            *_dbt_build_args(folder / ".dbt-target-spark", folder / "logs", plan, build_vars),
            "--target",
            "spark",
            *extra_args,
        ],
        env={"TRUSTMART_RAW_DIR": str(raw)},
        log_path=log_path,
        on_progress=on_progress,
    )
    if not result.ok:
        raise TrustmartError(
            "The Spark build failed; Spark writes its databases in place, so they may hold "
            "part of this build (the next build will be full).\n" + result.error_digest,
            f"Fix the cause above and run `trustmart build --target spark` again. Full log: "
            f"{log_path}",
        )
    with open_spark() as con:
        record_build_state(
            con,
            raw,
            mode="incremental" if plan.incremental else "full",
            inputs=inputs,
            config_path=config_path,
        )
    return BuildResult(db=None, log_path=log_path, plan=plan, target="spark", skipped=SPARK_SKIPPED)

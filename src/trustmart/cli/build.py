"""`trustmart build`: load the export and run every dbt model and test.

`--target` (default TRUSTMART_TARGET, else duckdb) picks the dbt target:
the DuckDB file (--db), or Spark over a Thrift server (trustmart.build says
what a Spark build skips; the summary is read through trustmart.warehouse).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustmart import build as build_step
from trustmart.cli.options import ConfigOption, DbOption, RawOption
from trustmart.cli.output import console, fail, progress_bar
from trustmart.config import LoadedConfig, load_config
from trustmart.errors import TrustmartError
from trustmart.settings import default_db, default_raw_dir, default_target
from trustmart.summary import print_build_summary
from trustmart.warehouse import Target, WarehouseError, open_spark


def run_build(
    raw: Path,
    db: Path,
    *,
    full_refresh: bool = False,
    config: LoadedConfig | None = None,
    tolerance: build_step.Tolerance | None = None,
    target: Target = "duckdb",
) -> Path | None:
    """Build with a progress bar and print the summary; returns the
    published DuckDB file (None on Spark)."""
    config = config or load_config()
    tolerance = tolerance or build_step.Tolerance()
    if config.path:
        console.print(f"Platform config: {config.path}")
    with progress_bar("Building the warehouse (dbt models and tests)") as update:
        result = build_step.build(
            raw,
            db,
            on_progress=lambda done, total, _line: update(done, total),
            full_refresh=full_refresh,
            config=config,
            tolerance=tolerance,
            target=target,
        )
    mode = "Incremental" if result.plan.incremental else "Full"
    console.print(f"{mode} build: {result.plan.reason}.")
    if result.out_of_memory:
        console.print(
            f"DuckDB ran out of memory in {', '.join(result.out_of_memory)} with several models "
            "at a time; they and the nodes after them ran again one at a time and passed "
            f"(dbt-build.log and dbt-retry.log in {result.log_path.parent}). If it recurs, "
            "set TRUSTMART_THREADS=1 or raise TRUSTMART_MEMORY_LIMIT."
        )
    for skipped in result.skipped:
        console.print(f"Skipped on Spark: {skipped}.")
    if result.db is not None:
        print_build_summary(result.db, console)
        return result.db
    try:
        with open_spark() as con:
            print_build_summary(con, console)
    except WarehouseError as error:
        raise TrustmartError(
            f"The Spark build finished, but its summary could not be read: {error}",
            "Check that the Spark Thrift server still answers (bash scripts/spark-thrift.sh "
            "status), then read marts.fct_raw_reconciliation there.",
        ) from error
    return None


def build(
    raw: RawOption = None,
    db: DbOption = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            help="dbt target to build: duckdb (the DuckDB file --db, published in one rename) "
            "or spark (the Spark Thrift server at TRUSTMART_SPARK_HOST:TRUSTMART_SPARK_PORT, "
            "written in place, incremental as on DuckDB; needs `bash scripts/bootstrap.sh spark`; "
            "--db then only places the logs) [default: TRUSTMART_TARGET or duckdb].",
        ),
    ] = None,
    export: Annotated[
        Path | None,
        typer.Option("--export", help="Also write every marts table to DIR/<name>.parquet."),
    ] = None,
    full_refresh: Annotated[
        bool,
        typer.Option(
            "--full-refresh",
            help="Rebuild everything from all raw files (the backfill path). Without it a "
            "build loads only new raw files when nothing else changed since the last build.",
        ),
    ] = False,
    config: ConfigOption = None,
    max_bad_lines: Annotated[
        int,
        typer.Option(
            "--max-bad-lines",
            min=0,
            help="Malformed lines (not UTF-8, wrong field count, unterminated quote, broken "
            "JSON) to tolerate in all, quarantined as malformed_line. 0: stop at the first and "
            "name it.",
        ),
    ] = 0,
    skip_unreadable_files: Annotated[
        bool,
        typer.Option(
            "--skip-unreadable-files",
            help="Quarantine a file that cannot be read (truncated or empty Parquet, not its "
            "format) and build the rest, instead of stopping.",
        ),
    ] = False,
) -> None:
    """Load the raw export and run every dbt model and test into the DuckDB file
    (or, with --target spark, into Spark's databases)."""
    try:
        chosen = build_step.check_target(target or default_target())
        if chosen == "spark" and export is not None:
            raise TrustmartError(
                "--export writes the marts of the DuckDB file; it is not offered with "
                "--target spark.",
                "Build without --export, or build the duckdb target to export Parquet files.",
            )
        published = run_build(
            raw or default_raw_dir(),
            db or default_db(),
            full_refresh=full_refresh,
            config=load_config(config),
            tolerance=build_step.Tolerance(max_bad_lines, skip_unreadable_files),
            target=chosen,
        )
        if export is not None and published is not None:
            from trustmart.export import export_marts

            files = export_marts(published, export)
            console.print(f"Exported {len(files)} marts tables to [bold]{export}[/bold]")
    except TrustmartError as error:
        fail(error)

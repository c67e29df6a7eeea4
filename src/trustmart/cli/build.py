"""`trustmart build`: load the export and run every dbt model and test."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustmart import build as build_step
from trustmart.cli.options import ConfigOption, DbOption, RawOption
from trustmart.cli.output import console, fail, progress_bar
from trustmart.config import LoadedConfig, load_config
from trustmart.errors import TrustmartError
from trustmart.settings import default_db, default_raw_dir
from trustmart.summary import print_build_summary


def run_build(
    raw: Path,
    db: Path,
    *,
    full_refresh: bool = False,
    config: LoadedConfig | None = None,
    tolerance: build_step.Tolerance | None = None,
) -> Path:
    """Build with a progress bar and print the summary."""
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
        )
    mode = "Incremental" if result.plan.incremental else "Full"
    console.print(f"{mode} build: {result.plan.reason}.")
    print_build_summary(result.db, console)
    return result.db


def build(
    raw: RawOption = None,
    db: DbOption = None,
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
    """Load the raw export and run every dbt model and test into the DuckDB file."""
    try:
        published = run_build(
            raw or default_raw_dir(),
            db or default_db(),
            full_refresh=full_refresh,
            config=load_config(config),
            tolerance=build_step.Tolerance(max_bad_lines, skip_unreadable_files),
        )
        if export is not None:
            from trustmart.export import export_marts

            files = export_marts(published, export)
            console.print(f"Exported {len(files)} marts tables to [bold]{export}[/bold]")
    except TrustmartError as error:
        fail(error)

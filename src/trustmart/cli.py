"""The `trustmart` command line: generate, build, check, report, demo."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from trustmart import build as build_step
from trustmart.errors import TrustmartError
from trustmart.settings import QUIET_ENV, default_db, default_raw_dir, project_dir
from trustmart.summary import print_build_summary

os.environ.update(QUIET_ENV)

app = typer.Typer(
    help="trustmart: tested Trust & Safety KPI marts in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

RawOption = Annotated[
    Path | None,
    typer.Option("--raw", help="Raw export folder [default: TRUSTMART_RAW_DIR or data/raw]."),
]
DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB file [default: TRUSTMART_DB or data/warehouse.duckdb]."),
]


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar; yields update(done, total)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def fail(error: TrustmartError) -> None:
    """Print a failure and what to do, then exit non-zero."""
    err_console.print(f"[bold red]Error:[/bold red] {error.what}", highlight=False)
    err_console.print(f"[bold]What to do:[/bold] {error.fix}", highlight=False)
    raise typer.Exit(code=1)


def run_generate(
    out: Path, seed: int, days: int, scale: float, fmt: str, bad_row_share: float, start: date
) -> dict:
    """Generate an export with a progress bar; returns the truth."""
    from trustmart.generator import GeneratorConfig, generate

    config = GeneratorConfig(
        out=out,
        seed=seed,
        days=days,
        scale=scale,
        fmt=fmt,
        bad_row_share=bad_row_share,
        start_date=start,
    )
    with progress_bar(f"Generating {days} days at scale {scale}") as update:
        truth = generate(config, progress=update)
    return truth


def run_build(raw: Path, db: Path) -> Path:
    """Build with a progress bar and print the summary."""
    with progress_bar("Building the warehouse (dbt models and tests)") as update:
        result = build_step.build(
            raw, db, on_progress=lambda done, total, _line: update(done, total)
        )
    print_build_summary(result.db, console)
    return result.db


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the raw export to.")] = Path(
        "data/raw"
    ),
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same data.")] = 42,
    days: Annotated[int, typer.Option(min=7, help="Number of days of events.")] = 84,
    scale: Annotated[
        float, typer.Option(min=0.01, help="Volume: 1.0 is about 1,000 reports a day.")
    ] = 1.0,
    fmt: Annotated[
        str, typer.Option("--format", help="File format: parquet, csv or jsonl.")
    ] = "parquet",
    bad_row_share: Annotated[
        float, typer.Option(min=0.0, max=0.5, help="Share of extra bad rows per table.")
    ] = 0.01,
    start_date: Annotated[
        str, typer.Option(help="First day (YYYY-MM-DD, a Monday keeps weeks whole).")
    ] = "2026-01-05",
) -> None:
    """Write a synthetic raw export plus truth.json (the true parameters)."""
    if fmt not in ("parquet", "csv", "jsonl"):
        fail(TrustmartError(f"Unknown format '{fmt}'.", "Use --format parquet, csv or jsonl."))
    try:
        start = date.fromisoformat(start_date)
    except ValueError:
        fail(TrustmartError(f"Cannot read --start-date '{start_date}'.", "Use YYYY-MM-DD."))
    truth = run_generate(out, seed, days, scale, fmt, bad_row_share, start)
    rows = sum(truth["raw_rows"].values())
    console.print(f"Wrote {rows:,} raw rows to [bold]{out}[/bold]; truth in {out / 'truth.json'}")


@app.command()
def build(raw: RawOption = None, db: DbOption = None) -> None:
    """Load the raw export and run every dbt model and test into the DuckDB file."""
    try:
        run_build(raw or default_raw_dir(), db or default_db())
    except TrustmartError as error:
        fail(error)


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 42,
) -> None:
    """Generate a small seeded export, build it, and say where everything is."""
    root = project_dir()
    raw = root / "data" / "demo" / "raw"
    db = default_db()
    steps: list[str] = []
    try:
        truth_file = raw / "truth.json"
        if truth_file.exists() and f'"seed": {seed},' in truth_file.read_text():
            console.print(f"Reusing the demo export in {raw}")
        else:
            run_generate(raw, seed, 84, 0.5, "parquet", 0.01, date(2026, 1, 5))
        steps.append(f"generate: synthetic export in {raw}")
        run_build(raw, db)
        steps.append(f"build: warehouse at {db}")
    except TrustmartError as error:
        fail(error)
    console.print("\n[bold]Demo steps run:[/bold]")
    for step in steps:
        console.print(f"  - {step}")
    console.print(
        "Not run yet: check (data-quality suites) and report (the Evidence site) "
        "are not built in this version."
    )


definitions_app = typer.Typer(help="The metric definitions lock (versioned KPI definitions).")
app.add_typer(definitions_app, name="definitions")


@definitions_app.command("check")
def definitions_check() -> None:
    """Fail when the SQL behind a metric changed without a new version or changelog."""
    from trustmart import definitions

    try:
        with console.status("Compiling the project and fingerprinting every metric ..."):
            definitions.check(project_dir())
    except TrustmartError as error:
        fail(error)
    console.print("Metric definitions lock is current.")


@definitions_app.command("lock")
def definitions_lock() -> None:
    """Record the fingerprints of every metric (refuses unversioned changes)."""
    from trustmart import definitions

    try:
        with console.status("Compiling the project and fingerprinting every metric ..."):
            keys = definitions.lock(project_dir())
    except TrustmartError as error:
        fail(error)
    console.print(f"Locked {len(keys)} metric versions in {definitions.LOCK}.")


def main() -> None:  # pragma: no cover - console entry point
    app()

"""The `trustmart` command line: generate, init, build, check, report, demo."""

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
from trustmart.config import LoadedConfig, PlatformConfig, load_config
from trustmart.errors import TrustmartError
from trustmart.settings import (
    QUIET_ENV,
    default_db,
    default_raw_dir,
    default_report_dir,
    project_dir,
)
from trustmart.summary import print_build_summary

os.environ.update(QUIET_ENV)

app = typer.Typer(
    help="trustmart: tested Trust & Safety KPI marts in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # help texts are plain: "[default: ...]" must not be read as markup
    rich_markup_mode=None,
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
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Platform config (trustmart.yml: taxonomy, code maps, targets, thresholds) "
        "[default: TRUSTMART_CONFIG, else the built-in vocabulary and targets].",
    ),
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
    out: Path,
    seed: int,
    days: int,
    scale: float,
    fmt: str,
    bad_row_share: float,
    start: date,
    vocabulary: str = "contract",
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
        vocabulary=vocabulary,
    )
    with progress_bar(f"Generating {days} days at scale {scale}") as update:
        truth = generate(config, progress=update)
    return truth


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
    vocabulary: Annotated[
        str,
        typer.Option(
            help="contract: the contract's codes. platform: a platform's own words for "
            "several policy categories, surfaces and actions, plus DIR/trustmart.yml mapping "
            "them back (build with --config DIR/trustmart.yml).",
        ),
    ] = "contract",
) -> None:
    """Write a synthetic raw export plus truth.json (the true parameters)."""
    if fmt not in ("parquet", "csv", "jsonl"):
        fail(TrustmartError(f"Unknown format '{fmt}'.", "Use --format parquet, csv or jsonl."))
    if vocabulary not in ("contract", "platform"):
        fail(
            TrustmartError(
                f"Unknown vocabulary '{vocabulary}'.", "Use --vocabulary contract or platform."
            )
        )
    try:
        start = date.fromisoformat(start_date)
    except ValueError:
        fail(TrustmartError(f"Cannot read --start-date '{start_date}'.", "Use YYYY-MM-DD."))
    truth = run_generate(out, seed, days, scale, fmt, bad_row_share, start, vocabulary)
    rows = sum(truth["raw_rows"].values())
    console.print(f"Wrote {rows:,} raw rows to [bold]{out}[/bold]; truth in {out / 'truth.json'}")
    if "vocabulary" in truth:
        config = out / truth["vocabulary"]["config"]
        console.print(
            f"The export speaks a platform's own vocabulary; its config is {config}: build with "
            f"`trustmart build --raw {out} --config {config}`"
        )


@app.command()
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


@app.command()
def check(
    db: DbOption = None,
    raw: Annotated[
        Path | None,
        typer.Option(
            "--raw",
            help="Raw export for source freshness (default: the one the warehouse was built "
            "from, else TRUSTMART_RAW_DIR).",
        ),
    ] = None,
    max_quarantine_share: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            show_default=False,
            help="Largest share of a raw table's rows that may be quarantined (error above) "
            "[default: TRUSTMART_MAX_QUARANTINE_SHARE, else the config's "
            "thresholds.max_quarantine_share, else 0.05].",
        ),
    ] = None,
    freshness: Annotated[
        bool, typer.Option(help="Run dbt source freshness (needs the raw export).")
    ] = True,
    config: ConfigOption = None,
) -> None:
    """Run the data-quality suites and source freshness; record them in marts.dq_results."""
    try:
        loaded = load_config(config)
        share = quarantine_share_threshold(max_quarantine_share, loaded)
        run_check_step(db or default_db(), raw, share, freshness, config=loaded)
    except TrustmartError as error:
        fail(error)


def quarantine_share_threshold(given: float | None, config: LoadedConfig) -> float:
    """--max-quarantine-share, else TRUSTMART_MAX_QUARANTINE_SHARE, else the
    config's threshold, else the default."""
    from trustmart.quality.suites import DEFAULT_MAX_QUARANTINE_SHARE

    if given is not None:
        return given
    env = os.environ.get("TRUSTMART_MAX_QUARANTINE_SHARE")
    if env:
        try:
            return float(env)
        except ValueError:
            raise TrustmartError(
                f"TRUSTMART_MAX_QUARANTINE_SHARE={env!r} is not a number.",
                "Set it to a fraction such as 0.05, or unset it.",
            ) from None
    thresholds = config.config.thresholds
    if thresholds is not None and thresholds.max_quarantine_share is not None:
        return thresholds.max_quarantine_share
    return DEFAULT_MAX_QUARANTINE_SHARE


def run_check_step(
    db: Path,
    raw: Path | None = None,
    max_quarantine_share: float = 0.05,
    freshness: bool = True,
    *,
    config: LoadedConfig | None = None,
) -> None:
    """Run `trustmart check`; raises TrustmartError when an error-level check failed."""
    from trustmart.config.consistency import ensure_built_with
    from trustmart.quality.runner import run_check
    from trustmart.quality.summary import print_check_summary

    ensure_built_with(db, config or load_config(), "check")

    with console.status("Checking the warehouse ...") as status:
        outcome = run_check(
            db,
            max_quarantine_share,
            progress=lambda step: status.update(f"{step} ..."),
            raw_dir=raw,
            freshness=freshness,
        )
    print_check_summary(outcome, console)
    error = outcome.error()
    if error is not None:
        raise error


def run_report(db: Path, out: Path, config: LoadedConfig | None = None) -> Path:
    """Build the report site with a progress bar."""
    from trustmart.config.consistency import ensure_built_with
    from trustmart.report import build_report

    ensure_built_with(db, config or load_config(), "report")
    with progress_bar("Building the report site (Evidence)") as update:
        site = build_report(db, out, progress=lambda done, total, _message: update(done, total))
    console.print(f"Report site: [bold]{site}[/bold] (open index.html through a web server)")
    return site


@app.command()
def report(
    db: DbOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Site folder [default: reports/build].")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Build the static report site from the marts (read-only)."""
    try:
        run_report(db or default_db(), out or default_report_dir(), load_config(config))
    except TrustmartError as error:
        fail(error)


@app.command()
def init(
    raw: RawOption = None,
    out: Annotated[Path, typer.Option("--out", help="Where to write the draft config.")] = Path(
        "trustmart.yml"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --out file if it exists.")
    ] = False,
) -> None:
    """Profile a raw export and draft its platform config (trustmart.yml) to review."""
    from trustmart.onboarding.draft import draft_text, ensure_writable, write_draft
    from trustmart.onboarding.profile import profile_export
    from trustmart.onboarding.screen import print_next_steps, print_profile

    raw = raw or default_raw_dir()
    try:
        ensure_writable(out, force=force)  # before the profiling, not after
        if not raw.is_dir() or not any(p.is_dir() for p in raw.iterdir()):
            raise TrustmartError(
                f"No raw export found in {raw} (expected one folder per table, "
                "<table>/<file>.parquet|.csv|.jsonl).",
                "Point --raw (or TRUSTMART_RAW_DIR) at the folder holding your export's "
                "table folders (reports/, enforcements/, ...).",
            )
        with console.status(f"Profiling {raw} ..."):
            profile = profile_export(raw)
        print_profile(profile, console)
        written = write_draft(draft_text(profile, out), out, force=force)
        print_next_steps(profile, written, console)
    except TrustmartError as error:
        fail(error)


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 42,
) -> None:
    """Generate a small seeded export ending yesterday, build it, check it, build
    the report, and say where everything is."""
    from trustmart.demo import demo_config, demo_export_matches

    root = project_dir()
    raw = root / "data" / "demo" / "raw"
    db = default_db()
    steps: list[str] = []
    try:
        export = demo_config(raw, seed)
        if demo_export_matches(export):
            console.print(f"Reusing the demo export in {raw}")
        else:
            run_generate(
                raw,
                seed,
                export.days,
                export.scale,
                export.fmt,
                export.bad_row_share,
                export.start_date,
            )
        steps.append(f"generate: synthetic export in {raw}")
        # the demo's own export speaks the contract's vocabulary: no platform config
        builtin = LoadedConfig(PlatformConfig(), None)
        run_build(raw, db, config=builtin)
        steps.append(f"build: warehouse at {db}")
        run_check_step(db, raw, config=builtin)
        steps.append(f"check: data-quality results in marts.dq_results of {db}")
        site = run_report(db, default_report_dir(), builtin)
        steps.append(f"report: static site in {site}")
    except TrustmartError as error:
        fail(error)
    console.print("\n[bold]Demo steps run:[/bold]")
    for step in steps:
        console.print(f"  - {step}")
    console.print(f"Query the marts: duckdb -readonly {db}  (schema marts)")


InputPaths = Annotated[
    list[Path],
    typer.Argument(help="Dump files (.csv, .csv.gz), zips of them (zips of zips too) or folders."),
]
ImportOut = Annotated[
    Path, typer.Option("--out", help="Raw export folder to write (empty, or an earlier import).")
]


@app.command("import-dsa")
def import_dsa(
    paths: InputPaths,
    out: ImportOut,
    category_map: Annotated[
        Path | None,
        typer.Option(
            "--category-map",
            help="DSA category to policy category CSV (default: seeds/dsa_category_map.csv).",
        ),
    ] = None,
) -> None:
    """Import EU DSA statement-of-reasons dumps (schema v1/v2) as a raw export."""
    from trustmart.adapters import print_import_summary
    from trustmart.adapters.dsa import import_dsa as run_import

    try:
        with console.status("Importing statements of reasons ..."):
            summary = run_import(paths, out, category_map=category_map)
    except TrustmartError as error:
        fail(error)
    print_import_summary(summary, console)


@app.command("import-wikipedia")
def import_wikipedia(paths: InputPaths, out: ImportOut) -> None:
    """Import MediaWiki block-log CSVs (blocks, reblocks, unblocks) as a raw export."""
    from trustmart.adapters import print_import_summary
    from trustmart.adapters.wikipedia import import_wikipedia as run_import

    try:
        with console.status("Importing the block log ..."):
            summary = run_import(paths, out)
    except TrustmartError as error:
        fail(error)
    print_import_summary(summary, console)


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
def definitions_lock(
    refactor: Annotated[
        str | None,
        typer.Option(
            "--refactor",
            help="Accept SQL changes that leave every changed metric's meaning as it was, "
            "recording this reason and the metrics in the lock (not in their changelogs).",
        ),
    ] = None,
) -> None:
    """Record the fingerprints of every metric (refuses unversioned changes)."""
    from trustmart import definitions

    try:
        with console.status("Compiling the project and fingerprinting every metric ..."):
            keys = definitions.lock(project_dir(), refactor=refactor)
    except TrustmartError as error:
        fail(error)
    console.print(f"Locked {len(keys)} metric versions in {definitions.LOCK}.")


def main() -> None:  # pragma: no cover - console entry point
    app()

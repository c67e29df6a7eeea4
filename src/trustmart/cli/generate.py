"""`trustmart generate`: a synthetic raw export and its truth."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from trustmart.cli.output import console, fail, progress_bar
from trustmart.errors import TrustmartError


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

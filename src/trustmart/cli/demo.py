"""`trustmart demo`: every step on the embedded seeded data set."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from trustmart.cli.build import run_build
from trustmart.cli.check import run_check_step
from trustmart.cli.docs import run_docs
from trustmart.cli.generate import run_generate
from trustmart.cli.output import console, fail
from trustmart.cli.report import run_report
from trustmart.config import LoadedConfig, PlatformConfig
from trustmart.errors import TrustmartError
from trustmart.settings import default_db, default_docs_dir, default_report_dir, project_dir

#: days, scale, format, bad-row share and first day of the demo export.
DEMO_EXPORT = (84, 0.5, "parquet", 0.01, date(2026, 1, 5))


def _demo_export_matches(raw: Path, seed: int) -> bool:
    """True when `raw` already holds the demo export of this seed."""
    import json

    from trustmart.generator import GENERATOR_VERSION

    try:
        config = json.loads((raw / "truth.json").read_text())["config"]
    except (OSError, ValueError, KeyError):
        return False
    days, scale, fmt, share, start = DEMO_EXPORT
    return config == config | {
        "seed": seed,
        "days": days,
        "scale": scale,
        "fmt": fmt,
        "bad_row_share": share,
        "start_date": start.isoformat(),
        "generator_version": GENERATOR_VERSION,
    }


def demo(
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 42,
) -> None:
    """Generate a small seeded export, build it, and say where everything is."""
    root = project_dir()
    raw = root / "data" / "demo" / "raw"
    db = default_db()
    steps: list[str] = []
    try:
        if _demo_export_matches(raw, seed):
            console.print(f"Reusing the demo export in {raw}")
        else:
            run_generate(raw, seed, *DEMO_EXPORT)
        steps.append(f"generate: synthetic export in {raw}")
        # the demo's own export speaks the contract's vocabulary: no platform config
        builtin = LoadedConfig(PlatformConfig(), None)
        run_build(raw, db, config=builtin)
        steps.append(f"build: warehouse at {db}")
        run_check_step(db, raw, config=builtin)
        steps.append(f"check: data-quality results in marts.dq_results of {db}")
        site = run_report(db, default_report_dir(), builtin)
        steps.append(f"report: static site in {site}")
        docs = run_docs(db, default_docs_dir(), builtin)
        steps.append(f"docs: dbt docs in {docs} (linked from the report)")
    except TrustmartError as error:
        fail(error)
    console.print("\n[bold]Demo steps run:[/bold]")
    for step in steps:
        console.print(f"  - {step}")
    console.print(f"Query the marts: duckdb -readonly {db}  (schema marts)")

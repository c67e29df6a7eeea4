"""`trustmart demo`: every step on the embedded seeded data set."""

from __future__ import annotations

from typing import Annotated

import typer

from trustmart.cli.build import run_build
from trustmart.cli.check import run_check_step
from trustmart.cli.docs import run_docs
from trustmart.cli.generate import run_generate
from trustmart.cli.output import console, fail
from trustmart.cli.report import run_report
from trustmart.config import LoadedConfig, PlatformConfig
from trustmart.demo import demo_config, demo_export_matches
from trustmart.errors import TrustmartError
from trustmart.settings import default_db, default_docs_dir, default_report_dir, project_dir


def demo(
    seed: Annotated[int, typer.Option(help="Random seed of the demo data.")] = 42,
) -> None:
    """Generate a small seeded export ending yesterday, build it, check it, build
    the report and the dbt docs, and say where everything is."""
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
        docs = run_docs(db, default_docs_dir(), builtin)
        steps.append(f"docs: dbt docs in {docs} (linked from the report)")
    except TrustmartError as error:
        fail(error)
    console.print("\n[bold]Demo steps run:[/bold]")
    for step in steps:
        console.print(f"  - {step}")
    console.print(f"Query the marts: duckdb -readonly {db}  (schema marts)")

"""`trustmart report`: the static report site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustmart.cli.options import ConfigOption, DbOption
from trustmart.cli.output import console, fail, progress_bar
from trustmart.config import LoadedConfig, load_config
from trustmart.errors import TrustmartError
from trustmart.settings import default_db, default_report_dir


def run_report(db: Path, out: Path, config: LoadedConfig | None = None) -> Path:
    """Build the report site with a progress bar."""
    from trustmart.config.consistency import ensure_built_with
    from trustmart.report import build_report

    ensure_built_with(db, config or load_config(), "report")
    with progress_bar("Building the report site (Evidence)") as update:
        site = build_report(db, out, progress=lambda done, total, _message: update(done, total))
    console.print(f"Report site: [bold]{site}[/bold] (open index.html through a web server)")
    return site


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

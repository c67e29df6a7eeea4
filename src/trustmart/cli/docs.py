"""`trustmart docs`: the dbt docs site of the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustmart.cli.options import ConfigOption, DbOption
from trustmart.cli.output import console, fail
from trustmart.config import LoadedConfig, load_config
from trustmart.errors import TrustmartError
from trustmart.settings import default_db, default_docs_dir


def run_docs(db: Path, out: Path, config: LoadedConfig | None = None) -> Path:
    """Build the dbt docs site; returns its page."""
    from trustmart.config.consistency import ensure_built_with
    from trustmart.docs import build_docs

    config = config or load_config()
    ensure_built_with(db, config, "docs")
    with console.status("Generating the dbt docs (dbt docs generate, read-only) ..."):
        page = build_docs(db, out, config)
    console.print(
        f"dbt docs: [bold]{page}[/bold] (one static page; the report links it when it is "
        "reports/build/dbt-docs)"
    )
    return page


def docs(
    db: DbOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Docs folder [default: reports/build/dbt-docs, inside the report site, which "
            "links it].",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Build the dbt docs site (models, columns, tests, lineage) of the warehouse, offline."""
    try:
        run_docs(db or default_db(), out or default_docs_dir(), load_config(config))
    except TrustmartError as error:
        fail(error)

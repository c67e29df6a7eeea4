"""`trustmart import-dsa` and `import-wikipedia`: public enforcement logs as
raw exports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustmart.cli.options import ImportOut, InputPaths
from trustmart.cli.output import console, fail
from trustmart.errors import TrustmartError


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

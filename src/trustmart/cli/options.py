"""Options and arguments shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
InputPaths = Annotated[
    list[Path],
    typer.Argument(help="Dump files (.csv, .csv.gz), zips of them (zips of zips too) or folders."),
]
ImportOut = Annotated[
    Path, typer.Option("--out", help="Raw export folder to write (empty, or an earlier import).")
]

"""`trustmart query`: registry metrics sliced by any dimension of the
semantic layer, computed by MetricFlow on the published warehouse
(read-only; trustmart.semantic)."""

from __future__ import annotations

import json
import math
from datetime import date
from enum import StrEnum
from typing import Annotated

import pandas as pd
import typer
from rich.table import Table

from trustmart.cli.options import DbOption
from trustmart.cli.output import console, fail
from trustmart.errors import TrustmartError
from trustmart.settings import default_db


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _cell(value: object) -> object:
    """A JSON-ready cell: dates as ISO text, NaN and NA as null."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The rows of `frame` as JSON-ready dicts."""
    return [
        {column: _cell(value) for column, value in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _text(value: object) -> str:
    cell = _cell(value)
    if cell is None:
        return ""
    if isinstance(cell, float):
        return f"{cell:.6g}"
    return str(cell)


def render(frame: pd.DataFrame, output: OutputFormat) -> None:
    """Print `frame` as a table, CSV or JSON on standard output."""
    if output is OutputFormat.csv:
        typer.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
    elif output is OutputFormat.json:
        typer.echo(json.dumps(records(frame), indent=1))
    else:
        table = Table(show_edge=False, header_style="bold")
        for column in frame.columns:
            numeric = pd.api.types.is_numeric_dtype(frame[column])
            table.add_column(column, justify="right" if numeric else "left")
        for row in frame.itertuples(index=False, name=None):
            table.add_row(*(_text(value) for value in row))
        console.print(table)


def query(
    metrics: Annotated[
        list[str],
        typer.Argument(help="Metric ids (registry metrics, or their numerators/denominators)."),
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help="Time grain (day, week, month, quarter, year), then dimensions, "
            "comma-separated: week,surface,decision_method.",
        ),
    ] = "week",
    where: Annotated[
        str | None,
        typer.Option(
            "--where",
            help="Filter over the same names, in SQL: \"surface = 'feed'\".",
        ),
    ] = None,
    db: DbOption = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, csv or json.")
    ] = OutputFormat.table,
) -> None:
    """Registry metrics by week and any dimension, computed by the semantic layer
    (MetricFlow) from the same definitions as the marts, on the published warehouse
    (read-only)."""
    from trustmart.semantic.query import QueryRequest, semantic_layer

    try:
        request = QueryRequest.parse(metrics, by, where)
        with semantic_layer(db or default_db()) as layer:
            frame = layer.run(request)
    except TrustmartError as error:
        fail(error)
    render(frame, output)

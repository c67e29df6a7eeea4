"""The `trustmart` command line: generate, init, build, check, report, docs,
query, demo, the importers and the definitions lock.

This package holds the typer app and registers the commands, in the order
`trustmart --help` lists them; each command group lives in its own module
(generate, build, check, report, docs, query, onboard for init, demo,
imports, definitions), with the shared options (options) and the consoles, failures
and progress bars (output).
"""

from __future__ import annotations

import os

import typer

from trustmart.cli.build import build
from trustmart.cli.check import check
from trustmart.cli.definitions import definitions_check, definitions_lock
from trustmart.cli.demo import demo
from trustmart.cli.docs import docs
from trustmart.cli.generate import generate
from trustmart.cli.imports import import_dsa, import_wikipedia
from trustmart.cli.onboard import init
from trustmart.cli.query import query
from trustmart.cli.report import report
from trustmart.settings import QUIET_ENV

os.environ.update(QUIET_ENV)

app = typer.Typer(
    help="trustmart: tested Trust & Safety KPI marts in DuckDB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # help texts are plain: "[default: ...]" must not be read as markup
    rich_markup_mode=None,
)
app.command()(generate)
app.command()(build)
app.command()(check)
app.command()(report)
app.command()(docs)
app.command()(query)
app.command()(init)
app.command()(demo)
app.command("import-dsa")(import_dsa)
app.command("import-wikipedia")(import_wikipedia)

definitions_app = typer.Typer(help="The metric definitions lock (versioned KPI definitions).")
app.add_typer(definitions_app, name="definitions")
definitions_app.command("check")(definitions_check)
definitions_app.command("lock")(definitions_lock)

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    app()

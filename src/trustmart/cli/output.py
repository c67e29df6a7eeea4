"""Where the command line prints: the consoles, failures with what to do,
and progress bars.

On a terminal the consoles are rich's as usual (as wide as the terminal).
When the output is not a terminal (CI, a log file, a pipe) rich would take
80 columns and fold every table row that is wider into a column of
fragments; there the consoles are `LOG_WIDTH` wide instead, so each row of
a table stays on one line. COLUMNS, when set, wins in both cases.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console, ConsoleDimensions
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from trustmart.errors import TrustmartError

#: Width of a console whose output is not a terminal: wider than any table
#: row the commands print (check details are cut at 300 characters).
LOG_WIDTH = 1000


class LogFriendlyConsole(Console):
    """A rich Console that does not fold lines when its output is not a
    terminal (see the module's docstring); on a terminal it is unchanged.
    The width is decided at each print, for the stream printed to then."""

    @property
    def size(self) -> ConsoleDimensions:
        size = super().size
        if self.is_terminal or os.environ.get("COLUMNS", "").isdigit():
            return size
        return ConsoleDimensions(LOG_WIDTH, size.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


console = LogFriendlyConsole()
err_console = LogFriendlyConsole(stderr=True)


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


def fail(error: TrustmartError) -> NoReturn:
    """Print a failure and what to do, then exit non-zero."""
    err_console.print(f"[bold red]Error:[/bold red] {error.what}", highlight=False)
    err_console.print(f"[bold]What to do:[/bold] {error.fix}", highlight=False)
    raise typer.Exit(code=1)

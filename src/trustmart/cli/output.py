"""Where the command line prints: the consoles, failures with what to do,
and progress bars."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from trustmart.errors import TrustmartError

console = Console()
err_console = Console(stderr=True)


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

"""`trustmart definitions check` and `lock`: the metric definitions lock."""

from __future__ import annotations

from typing import Annotated

import typer

from trustmart.cli.output import console, fail
from trustmart.errors import TrustmartError
from trustmart.settings import project_dir


def definitions_check() -> None:
    """Fail when the SQL behind a metric changed without a new version or changelog."""
    from trustmart import definitions

    try:
        with console.status("Compiling the project and fingerprinting every metric ..."):
            definitions.check(project_dir())
    except TrustmartError as error:
        fail(error)
    console.print("Metric definitions lock is current.")


def definitions_lock(
    refactor: Annotated[
        str | None,
        typer.Option(
            "--refactor",
            help="Accept SQL changes that leave every changed metric's meaning as it was, "
            "recording this reason and the metrics in the lock (not in their changelogs).",
        ),
    ] = None,
) -> None:
    """Record the fingerprints of every metric (refuses unversioned changes)."""
    from trustmart import definitions

    try:
        with console.status("Compiling the project and fingerprinting every metric ..."):
            keys = definitions.lock(project_dir(), refactor=refactor)
    except TrustmartError as error:
        fail(error)
    console.print(f"Locked {len(keys)} metric versions in {definitions.LOCK}.")

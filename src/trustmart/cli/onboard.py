"""`trustmart init`: profile an export and draft its platform config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trustmart.cli.options import RawOption
from trustmart.cli.output import console, fail
from trustmart.errors import TrustmartError
from trustmart.settings import default_raw_dir


def init(
    raw: RawOption = None,
    out: Annotated[Path, typer.Option("--out", help="Where to write the draft config.")] = Path(
        "trustmart.yml"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Replace the --out file if it exists.")
    ] = False,
) -> None:
    """Profile a raw export and draft its platform config (trustmart.yml) to review."""
    from trustmart.onboarding.draft import draft_text, ensure_writable, write_draft
    from trustmart.onboarding.profile import profile_export
    from trustmart.onboarding.screen import print_next_steps, print_profile

    raw = raw or default_raw_dir()
    try:
        ensure_writable(out, force=force)  # before the profiling, not after
        if not raw.is_dir() or not any(p.is_dir() for p in raw.iterdir()):
            raise TrustmartError(
                f"No raw export found in {raw} (expected one folder per table, "
                "<table>/<file>.parquet|.csv|.jsonl).",
                "Point --raw (or TRUSTMART_RAW_DIR) at the folder holding your export's "
                "table folders (reports/, enforcements/, ...).",
            )
        with console.status(f"Profiling {raw} ..."):
            profile = profile_export(raw)
        print_profile(profile, console)
        written = write_draft(draft_text(profile, out), out, force=force)
        print_next_steps(profile, written, console)
    except TrustmartError as error:
        fail(error)

"""`trustmart check`: the data-quality suites and source freshness."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from trustmart.cli.options import ConfigOption, DbOption
from trustmart.cli.output import console, fail
from trustmart.config import LoadedConfig, load_config
from trustmart.errors import TrustmartError
from trustmart.settings import default_db


def check(
    db: DbOption = None,
    raw: Annotated[
        Path | None,
        typer.Option(
            "--raw",
            help="Raw export for source freshness (default: the one the warehouse was built "
            "from, else TRUSTMART_RAW_DIR).",
        ),
    ] = None,
    max_quarantine_share: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            show_default=False,
            help="Largest share of a raw table's rows that may be quarantined (error above) "
            "[default: TRUSTMART_MAX_QUARANTINE_SHARE, else the config's "
            "thresholds.max_quarantine_share, else 0.05].",
        ),
    ] = None,
    freshness: Annotated[
        bool, typer.Option(help="Run dbt source freshness (needs the raw export).")
    ] = True,
    config: ConfigOption = None,
) -> None:
    """Run the data-quality suites and source freshness; record them in marts.dq_results."""
    try:
        loaded = load_config(config)
        share = quarantine_share_threshold(max_quarantine_share, loaded)
        run_check_step(db or default_db(), raw, share, freshness, config=loaded)
    except TrustmartError as error:
        fail(error)


def quarantine_share_threshold(given: float | None, config: LoadedConfig) -> float:
    """--max-quarantine-share, else TRUSTMART_MAX_QUARANTINE_SHARE, else the
    config's threshold, else the default."""
    from trustmart.quality.suites import DEFAULT_MAX_QUARANTINE_SHARE

    if given is not None:
        return given
    env = os.environ.get("TRUSTMART_MAX_QUARANTINE_SHARE")
    if env:
        try:
            return float(env)
        except ValueError:
            raise TrustmartError(
                f"TRUSTMART_MAX_QUARANTINE_SHARE={env!r} is not a number.",
                "Set it to a fraction such as 0.05, or unset it.",
            ) from None
    thresholds = config.config.thresholds
    if thresholds is not None and thresholds.max_quarantine_share is not None:
        return thresholds.max_quarantine_share
    return DEFAULT_MAX_QUARANTINE_SHARE


def run_check_step(
    db: Path,
    raw: Path | None = None,
    max_quarantine_share: float = 0.05,
    freshness: bool = True,
    *,
    config: LoadedConfig | None = None,
) -> None:
    """Run `trustmart check`; raises TrustmartError when an error-level check failed."""
    from trustmart.config.consistency import ensure_built_with
    from trustmart.quality.runner import run_check
    from trustmart.quality.summary import print_check_summary

    ensure_built_with(db, config or load_config(), "check")

    with console.status("Checking the warehouse ...") as status:
        outcome = run_check(
            db,
            max_quarantine_share,
            progress=lambda step: status.update(f"{step} ..."),
            raw_dir=raw,
            freshness=freshness,
        )
    print_check_summary(outcome, console)
    error = outcome.error()
    if error is not None:
        raise error

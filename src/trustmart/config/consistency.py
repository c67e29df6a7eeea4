"""`check` and `report` read a warehouse built with one platform config:
given another, their thresholds and labels would not describe the numbers.
They stop and say so."""

from __future__ import annotations

from pathlib import Path

from trustmart.config.dbt_vars import dbt_vars, vars_fingerprint
from trustmart.config.load import LoadedConfig
from trustmart.errors import TrustmartError
from trustmart.warehouse import WarehouseError, open_duckdb


def built_with(db: Path) -> tuple[str | None, str | None] | None:
    """(config fingerprint, config path) the warehouse at `db` was built
    with; None when it does not say (no file, or built before configs)."""
    if not db.is_file():
        return None
    try:
        with open_duckdb(db) as con:
            if "config_fingerprint" not in con.columns("build_info"):
                return None
            row = con.one(
                "select config_fingerprint, config_path from marts.build_info "
                "order by built_at desc limit 1"
            )
    except WarehouseError:
        return None
    return (row[0], row[1]) if row else None


def ensure_built_with(db: Path, config: LoadedConfig, step: str) -> None:
    """Raise when the warehouse was built with another config than `config`."""
    recorded = built_with(db)
    if recorded is None:
        return
    fingerprint, path = recorded
    if fingerprint == vars_fingerprint(dbt_vars(config.config)):
        return
    built = path or "no platform config (the built-in vocabulary and targets)"
    given = str(config.path) if config.path else "no platform config"
    raise TrustmartError(
        f"The warehouse {db} was built with {built}, but `trustmart {step}` was given {given}: "
        "its taxonomy, targets or thresholds differ, so the results would not describe the "
        "numbers.",
        f"Run `trustmart {step}` with the config the warehouse was built with, or build again "
        "with this one: `trustmart build --config FILE` (or TRUSTMART_CONFIG).",
    )

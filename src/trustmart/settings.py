"""Default locations and the environment every tool call runs in."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment that keeps every tool quiet offline: no telemetry anywhere.
QUIET_ENV: dict[str, str] = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "False",
    "EVIDENCE_TELEMETRY_DISABLED": "1",
}


def project_dir() -> Path:
    """The dbt project (repository root): TRUSTMART_PROJECT_DIR, else the
    nearest folder above this package holding dbt_project.yml."""
    override = os.environ.get("TRUSTMART_PROJECT_DIR")
    if override:
        return Path(override).resolve()
    for parent in Path(__file__).resolve().parents:
        if (parent / "dbt_project.yml").is_file():
            return parent
    raise RuntimeError(
        "Cannot find the trustmart dbt project (dbt_project.yml). "
        "Run from a clone of the repository or set TRUSTMART_PROJECT_DIR."
    )


def default_raw_dir() -> Path:
    """TRUSTMART_RAW_DIR, else data/raw in the project."""
    return Path(os.environ.get("TRUSTMART_RAW_DIR") or project_dir() / "data" / "raw")


def default_db() -> Path:
    """TRUSTMART_DB, else data/warehouse.duckdb in the project."""
    return Path(os.environ.get("TRUSTMART_DB") or project_dir() / "data" / "warehouse.duckdb")


def default_target() -> str:
    """TRUSTMART_TARGET, else duckdb: the dbt target `trustmart build` builds."""
    return os.environ.get("TRUSTMART_TARGET") or "duckdb"


def default_report_dir() -> Path:
    """reports/build in the project."""
    return project_dir() / "reports" / "build"


def default_docs_dir() -> Path:
    """reports/build/dbt-docs in the project: the dbt docs inside the report site."""
    return default_report_dir() / "dbt-docs"


def tool_env(**overrides: str) -> dict[str, str]:
    """The current environment with telemetry off and `overrides` applied."""
    env = dict(os.environ)
    env.update(QUIET_ENV)
    env.update(overrides)
    return env

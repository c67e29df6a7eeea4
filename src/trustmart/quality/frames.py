"""Read the relations the suites validate into pandas DataFrames.

great-expectations cannot validate DuckDB through SQLAlchemy, so the marts
are read (from a read-only connection) into frames and the frames are
validated.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trustmart.errors import TrustmartError
from trustmart.warehouse import Warehouse

#: Tables a build or a check adds to schema `marts` that are not dbt models.
BOOKKEEPING_TABLES = (
    "dq_results",
    "previous_build_row_counts",
    "build_info",
    "build_raw_files",
    "metric_parameter_changes",
    "semantic_manifest",
)

_REQUIRED = (
    "kpi_weekly",
    "kpi_daily",
    "metric_definitions",
    "fct_raw_reconciliation",
    "fct_quarantined_rows",
    "kpi_alerts",
    "fct_unknown_codes",
)


@dataclass(frozen=True)
class MartFrames:
    """Everything the suites read, as frames."""

    kpi_weekly: pd.DataFrame
    kpi_daily: pd.DataFrame
    metric_definitions: pd.DataFrame
    reconciliation: pd.DataFrame
    kpi_alerts: pd.DataFrame
    #: source_table, column_name, code_set, platform_value, quarantined_rows.
    unknown_codes: pd.DataFrame
    #: relation_name, previous_rows, current_rows; None without a previous build.
    row_counts: pd.DataFrame | None


def read_frames(con: Warehouse) -> MartFrames:
    """Read the marts from `con` (open it read-only)."""
    tables = con.tables()
    missing = [name for name in _REQUIRED if name not in tables]
    if missing:
        raise TrustmartError(
            f"The warehouse lacks marts.{', marts.'.join(missing)}.",
            "Run `trustmart build` to build the current models, then check again.",
        )
    return MartFrames(
        kpi_weekly=con.frame("select * from marts.kpi_weekly"),
        kpi_daily=con.frame("select * from marts.kpi_daily"),
        metric_definitions=con.frame(
            "select metric_id, metric_version, unit, grain, dimensions "
            "from marts.metric_definitions"
        ),
        reconciliation=con.frame("select * from marts.fct_raw_reconciliation"),
        kpi_alerts=con.frame("select * from marts.kpi_alerts"),
        unknown_codes=con.frame(
            "select source_table, column_name, code_set, platform_value, quarantined_rows "
            "from marts.fct_unknown_codes order by quarantined_rows desc, platform_value"
        ),
        row_counts=_row_counts(con, tables),
    )


def _row_counts(con: Warehouse, tables: set[str]) -> pd.DataFrame | None:
    """Rows now and in the previous build of every relation the build
    recorded in marts.previous_build_row_counts; a missing relation has 0."""
    if "previous_build_row_counts" not in tables:
        return None
    previous = con.query(
        "select relation_name, row_count from marts.previous_build_row_counts "
        "order by relation_name"
    )
    rows = []
    for name, previous_rows in previous:
        current = 0
        if name in tables:
            quoted = '"' + name.replace('"', '""') + '"'
            (current,) = con.one(f"select count(*) from marts.{quoted}") or (0,)
        rows.append((name, int(previous_rows), int(current), name in tables))
    return pd.DataFrame(
        rows, columns=["relation_name", "previous_rows", "current_rows", "exists_now"]
    )

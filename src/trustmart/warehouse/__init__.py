"""The one seam through which trustmart's Python reads the built warehouse.

A `Warehouse` is an open connection to the warehouse of one dbt target,
with a small typed API that is the same on every engine:

    with open_duckdb(db) as con:                # the DuckDB file, read-only
        con.tables("marts")                     # {"kpi_weekly", ...}
        con.columns("build_info")               # {"raw_dir", ...}; empty: no such table
        con.query("select ... where x = ?", [x])  # list of tuples
        con.one("select count(*) from marts.kpi_weekly")  # first row, or None
        con.frame("select * from marts.kpi_weekly")       # pandas DataFrame

    with open_spark() as con:                   # a Spark Thrift server (PyHive)
        ...                                     # the same calls

    with open_warehouse("spark", db) as con:    # by target name
        ...

`execute` and `executemany` write (bookkeeping tables on the DuckDB file:
open it with `read_only=False`). The SQL is the caller's, in the engine's
dialect, with `?` placeholders on every engine. Any error of the engine
(a failed query, a file that cannot be opened, a server that does not
answer) is raised as `WarehouseError`, whose message is the engine's own,
unchanged.

DuckDB is imported here and in trustmart.warehouse.duckdb_file only; PyHive
only when a Spark connection is opened (the default install has no Spark
lane). Modules that use DuckDB as a file-processing engine over raw files
(the generator, onboarding, the importers), not on the warehouse, import
duckdb themselves and say so in their docstrings.
"""

from __future__ import annotations

from trustmart.warehouse.base import TARGETS, Target, Warehouse, WarehouseError
from trustmart.warehouse.duckdb_file import DuckDBWarehouse, open_duckdb
from trustmart.warehouse.spark import SparkWarehouse, open_spark

__all__ = [
    "TARGETS",
    "DuckDBWarehouse",
    "SparkWarehouse",
    "Target",
    "Warehouse",
    "WarehouseError",
    "open_duckdb",
    "open_spark",
    "open_warehouse",
]


def open_warehouse(target: Target, db: str | None = None) -> Warehouse:
    """A read-only connection to the warehouse of `target`: the DuckDB file
    `db`, or the Spark Thrift server of TRUSTMART_SPARK_HOST/PORT."""
    if target == "spark":
        return open_spark()
    if db is None:
        raise ValueError("the duckdb target needs the database file")
    return open_duckdb(db)

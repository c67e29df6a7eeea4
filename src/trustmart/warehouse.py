"""Small questions about a built warehouse's catalog, asked the same way
everywhere: which tables a schema holds, which columns a table has."""

from __future__ import annotations

import duckdb


def schema_tables(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> set[str]:
    """Names of the base tables in `schema`."""
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = ?", [schema]
    ).fetchall()
    return {name for (name,) in rows}


def table_columns(con: duckdb.DuckDBPyConnection, table: str, schema: str = "marts") -> set[str]:
    """Column names of `schema.table`; empty when there is no such table."""
    rows = con.execute(
        "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {name for (name,) in rows}

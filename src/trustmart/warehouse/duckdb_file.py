"""The warehouse as a DuckDB file (the `dev` dbt target, the default)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from trustmart.warehouse.base import Params, Target, Warehouse, WarehouseError

if TYPE_CHECKING:
    import pandas as pd


@contextmanager
def _engine_errors() -> Iterator[None]:
    """DuckDB's errors as WarehouseError, with DuckDB's message."""
    try:
        yield
    except duckdb.Error as error:
        raise WarehouseError(str(error)) from error


class DuckDBWarehouse(Warehouse):
    """A connection to a DuckDB file. Read-write connections are for the
    commands that write a draft of the warehouse (trustmart.publish)."""

    target: Target = "duckdb"

    def __init__(self, path: str | Path, *, read_only: bool = True) -> None:
        self.location = str(path)
        self.read_only = read_only
        with _engine_errors():
            self._con = duckdb.connect(self.location, read_only=read_only)

    def query(self, sql: str, params: Params = None) -> list[tuple]:
        with _engine_errors():
            return self._con.execute(sql, params).fetchall()

    def one(self, sql: str, params: Params = None) -> tuple | None:
        with _engine_errors():
            return self._con.execute(sql, params).fetchone()

    def frame(self, sql: str, params: Params = None) -> pd.DataFrame:
        with _engine_errors():
            return self._con.execute(sql, params).df()

    def execute(self, sql: str, params: Params = None) -> None:
        with _engine_errors():
            self._con.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with _engine_errors():
            self._con.executemany(sql, list(rows))

    def tables(self, schema: str = "marts") -> set[str]:
        rows = self.query(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name = ?",
            [schema],
        )
        return {name for (name,) in rows}

    def columns(self, table: str, schema: str = "marts") -> set[str]:
        rows = self.query(
            "select column_name from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ?",
            [schema, table],
        )
        return {name for (name,) in rows}

    def close(self) -> None:
        with _engine_errors():
            self._con.close()


def open_duckdb(path: str | Path, *, read_only: bool = True) -> DuckDBWarehouse:
    """A connection to the DuckDB file at `path` (read-only unless asked);
    WarehouseError when it cannot be opened (missing in read-only mode,
    locked by a writer, not a DuckDB file)."""
    return DuckDBWarehouse(path, read_only=read_only)

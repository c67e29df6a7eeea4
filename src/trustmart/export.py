"""`trustmart build --export DIR`: every table of schema `marts` as a
Parquet file, for tools that read files rather than DuckDB databases.

Each table becomes `DIR/<table>.parquet`. A file is written under a hidden
temporary name in the same folder and renamed over the old one, so a reader
of `DIR/*.parquet` sees either the previous export of a table or the new
one, never a half-written file. The database is opened read-only. Other
files in DIR are left alone (a table dropped from the marts keeps its last
export until removed by hand).

The database is read through the warehouse seam (trustmart.warehouse), but
the files are written by DuckDB's COPY: the export is DuckDB-file specific
(`trustmart build --target spark` does not offer it).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from trustmart.errors import TrustmartError
from trustmart.warehouse import Warehouse, WarehouseError, open_duckdb

#: The schema exported.
SCHEMA = "marts"


def _literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def _identifier(value: str) -> str:
    """A quoted SQL identifier."""
    return '"' + value.replace('"', '""') + '"'


def mart_tables(con: Warehouse) -> list[str]:
    """The base tables of schema `marts` of the connection's database, by name."""
    return sorted(con.tables(SCHEMA))


def export_marts(db: Path, out: Path) -> list[Path]:
    """Write every table of schema `marts` in `db` to `out/<table>.parquet`.

    Returns the files written, in table-name order. Raises TrustmartError
    when the database is missing or unreadable or a file cannot be written.
    """
    db, out = Path(db).resolve(), Path(out).resolve()
    if not db.is_file():
        raise TrustmartError(
            f"No database at {db} to export the marts from.",
            "Run `trustmart build` first, or pass the database with --db (or TRUSTMART_DB).",
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise TrustmartError(
            f"Cannot create the export folder {out}: {error}.",
            "Pass a folder you can write to with --export DIR.",
        ) from error
    written: list[Path] = []
    try:
        with open_duckdb(db) as con:
            tables = mart_tables(con)
            if not tables:
                raise TrustmartError(
                    f"{db} has no tables in schema `{SCHEMA}`: nothing to export.",
                    "Build the warehouse with `trustmart build` and export that database.",
                )
            for table in tables:
                target = out / f"{table}.parquet"
                partial = out / f".{table}.parquet.{os.getpid()}.partial"
                try:
                    con.execute(
                        f"copy (select * from {_identifier(SCHEMA)}.{_identifier(table)}) "
                        f"to {_literal(str(partial))} (format parquet, compression zstd)"
                    )
                    os.replace(partial, target)
                finally:
                    with contextlib.suppress(FileNotFoundError):
                        partial.unlink()
                written.append(target)
    except (WarehouseError, OSError) as error:
        raise TrustmartError(
            f"Exporting the marts of {db} to {out} failed: {error}",
            "Check that the folder is writable with free space and that no process holds the "
            "database open for writing, then run the export again.",
        ) from error
    return written

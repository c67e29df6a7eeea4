"""Profile a raw export with DuckDB, straight over its files: per table
the files, rows, malformed lines and missing required columns; per code
column the distinct values (trimmed and lower-cased, as staging compares
them) with their row counts.

The files are read the way the landing reads them (macros/raw/): Parquet;
CSV with a header row, every column as text, RFC 4180 quoting; JSON lines,
each line parsed on its own; any of them gzipped. A file that cannot be
read at all is reported and skipped; a malformed line (wrong field count,
broken JSON, not UTF-8) is skipped and counted. Nothing is loaded into
Python but the counts.

DuckDB (an in-memory connection) is the engine that reads the raw files;
no warehouse is read, so this module imports duckdb itself rather than
going through trustmart.warehouse.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from trustmart.contract import TABLES
from trustmart.incremental import data_files
from trustmart.unreadable import find_unreadable_files

#: File name endings the landing reads, and their format.
FORMATS: tuple[tuple[str, str], ...] = (
    (".parquet", "parquet"),
    (".csv", "csv"),
    (".csv.gz", "csv"),
    (".jsonl", "json"),
    (".ndjson", "json"),
    (".jsonl.gz", "json"),
    (".ndjson.gz", "json"),
)

_LINES = (
    "header = false, auto_detect = false, columns = {'line': 'varchar'}, "
    "delim = chr(30), quote = '', escape = ''"
)
_REJECTS = "store_rejects = true, rejects_table = 'init_rejects', rejects_scan = 'init_scans'"


class _Unreadable(Exception):
    """A file that cannot be read, and why."""


@dataclass(frozen=True)
class SkippedFile:
    """A file of the export that was not read, and why."""

    table: str
    path: Path
    reason: str


@dataclass
class CodeColumn:
    """The values of one code column over all files of its table."""

    table: str
    column: str
    code_set: str
    non_blank: int = 0
    values: Counter[str] = field(default_factory=Counter)


@dataclass
class TableProfile:
    """One table folder of the export."""

    name: str
    files: int = 0
    files_read: int = 0
    rows: int = 0
    malformed_lines: int = 0
    #: required column -> the files that lack it
    missing_columns: dict[str, list[Path]] = field(default_factory=dict)
    code_columns: dict[str, CodeColumn] = field(default_factory=dict)


@dataclass
class ExportProfile:
    """Everything `trustmart init` found in an export."""

    raw: Path
    tables: dict[str, TableProfile]
    #: required (non-optional) contract tables with no data file
    missing_tables: list[str]
    #: optional contract tables with no data file
    absent_optional_tables: list[str]
    #: folders that are no table of the contract (not read)
    other_folders: list[str]
    skipped: list[SkippedFile]

    def code_columns(self) -> list[CodeColumn]:
        return [c for t in self.tables.values() for c in t.code_columns.values()]


def file_format(path: Path) -> str | None:
    """`parquet`, `csv` or `json` from the file name; None for anything else."""
    name = path.name.lower()
    found = [fmt for ending, fmt in FORMATS if name.endswith(ending)]
    return found[0] if found else None


def profile_export(raw: Path) -> ExportProfile:
    """Profile every table folder of `raw` (kept as given, for the
    commands printed to the user; file paths are absolute)."""
    unreadable = {u.path: u.error for u in find_unreadable_files(raw)} if raw.is_dir() else {}
    by_table: dict[str, list[Path]] = {}
    for path in data_files(raw) if raw.is_dir() else []:
        by_table.setdefault(path.parent.name, []).append(path)
    tables: dict[str, TableProfile] = {}
    skipped: list[SkippedFile] = []
    with duckdb.connect() as con:
        for name, paths in by_table.items():
            if name not in TABLES:
                continue
            table = TableProfile(name, files=len(paths))
            for column, code_set in TABLES[name].code_columns.items():
                table.code_columns[column] = CodeColumn(name, column, code_set)
            for path in paths:
                reason = _read_file(con, table, path, unreadable.get(path))
                if reason:
                    skipped.append(SkippedFile(name, path, reason))
            tables[name] = table
    return ExportProfile(
        raw=raw,
        tables=tables,
        missing_tables=[n for n, t in TABLES.items() if not t.optional and n not in tables],
        absent_optional_tables=[n for n, t in TABLES.items() if t.optional and n not in tables],
        other_folders=sorted(n for n in by_table if n not in TABLES),
        skipped=skipped,
    )


def _read_file(
    con: duckdb.DuckDBPyConnection, table: TableProfile, path: Path, unreadable: str | None
) -> str | None:
    """Add one file to `table`; the reason it was skipped, else None."""
    fmt = file_format(path)
    if fmt is None:
        return "not .parquet, .csv or .jsonl (the build stops on it: convert or move it)"
    if unreadable:
        return unreadable
    if path.stat().st_size == 0:
        if fmt == "parquet":
            return "the file is empty (0 bytes): not a Parquet file"
        table.files_read += 1  # an empty text file is an empty drop
        return None
    try:
        source, columns, malformed = _source(con, path, fmt)
        _count(con, table, path, source, columns)
    except _Unreadable as error:
        return str(error)
    except duckdb.Error as error:
        return f"DuckDB cannot read it: {str(error).splitlines()[0]}"
    finally:
        con.execute("drop table if exists init_rejects; drop table if exists init_scans")
    table.files_read += 1
    table.malformed_lines += malformed
    return None


def _source(con: duckdb.DuckDBPyConnection, path: Path, fmt: str) -> tuple[str, list[str], int]:
    """(a select of the file's rows, its column names, malformed lines)."""
    file = _sql_string(str(path))
    if fmt == "parquet":
        source = f"select * from read_parquet({file})"
        return source, [r[0] for r in con.execute(f"describe {source}").fetchall()], 0
    if fmt == "csv":
        header = con.execute(
            f"select line from read_csv({file}, {_LINES}, encoding = 'latin-1') limit 1"
        ).fetchone()
        columns = _csv_header(header[0] if header else "")
        if not any(columns):
            raise _Unreadable("no header row: the first line of a CSV file must name its columns")
        typed = ", ".join(f"{_sql_string(c)}: 'varchar'" for c in columns)
        source = (
            f"select * from read_csv({file}, header = true, auto_detect = false, delim = ',', "
            f"quote = '\"', escape = '\"', columns = {{{typed}}}, {_REJECTS})"
        )
        con.execute(f"create or replace temp table init_rows as {source}")
        return "select * from init_rows", columns, _rejected_lines(con)
    con.execute(
        f"create or replace temp table init_lines as select line, "
        # `case`, not `and`: DuckDB evaluates both sides of `and`, and
        # json_type fails on a line that is not JSON
        f"coalesce(case when json_valid(line) then json_type(line) = 'OBJECT' end, false) "
        "as is_object "
        f"from read_csv({file}, {_LINES}, {_REJECTS}) where nullif(trim(line), '') is not null"
    )
    # the objects apart, so that no JSON function ever sees a broken line
    con.execute(
        "create or replace temp table init_objects as select line from init_lines where is_object"
    )
    (broken,) = con.execute("select count(*) from init_lines where not is_object").fetchone()
    keys = [
        k
        for (k,) in con.execute(
            "select distinct unnest(json_keys(line)) as k from init_objects order by k"
        ).fetchall()
    ]
    struct = _sql_string(json.dumps(dict.fromkeys(keys, "VARCHAR")))
    fields = ", ".join(f"json_row[{_sql_string(k)}] as {_quoted(k)}" for k in keys) or "1 as _"
    source = (
        f"select {fields} from (select from_json(line, {struct}) as json_row from init_objects)"
    )
    return source, keys, broken + _rejected_lines(con)


def _count(
    con: duckdb.DuckDBPyConnection, table: TableProfile, path: Path, source: str, columns: list[str]
) -> None:
    """Rows, missing required columns and code values of one file."""
    present = {c.lower(): c for c in columns}
    for required in TABLES[table.name].required_columns:
        if required not in present:
            table.missing_columns.setdefault(required, []).append(path)
    (rows,) = con.execute(f"select count(*) from ({source})").fetchone()
    table.rows += rows
    found = {name: present[name] for name in table.code_columns if name in present}
    if not found or rows == 0:
        return
    cells = ", ".join(
        f"cast({_quoted(original)} as varchar) as {_quoted(name)}"
        for name, original in found.items()
    )
    unpivoted = ", ".join(_quoted(name) for name in found)
    counted = con.execute(
        f"select column_name, lower(trim(value)) as code, count(*) from (unpivot "
        f"(select {cells} from ({source})) on {unpivoted} into name column_name value value) "
        "where nullif(trim(value), '') is not null group by all"
    ).fetchall()
    for name, code, count in counted:
        column = table.code_columns[name]
        column.values[code] += count
        column.non_blank += count


def _rejected_lines(con: duckdb.DuckDBPyConnection) -> int:
    """Distinct lines DuckDB's rejects capture recorded for the last read."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'init_rejects'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("select count(distinct line) from init_rejects").fetchone()[0]


def _csv_header(line: str) -> list[str]:
    """Column names of a CSV header line, split as the landing splits it."""
    return [
        part.strip().strip('"').strip() for part in line.lstrip("\ufeff").rstrip("\r\n").split(",")
    ]


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

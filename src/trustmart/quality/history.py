"""What a build records for the checks: where its raw export was, and the
previous build's row counts and check history.

`trustmart build` calls `record_build` on the freshly built file before it
publishes it over the previous one.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path, PurePath

import duckdb

from trustmart.incremental import BuildInputs, record_raw_files
from trustmart.quality.frames import BOOKKEEPING_TABLES
from trustmart.quality.results import DQ_RESULTS, write_results


def record_build(
    previous: Path,
    building: Path,
    raw: Path,
    *,
    mode: str = "full",
    inputs: BuildInputs | None = None,
    config_path: Path | None = None,
) -> None:
    """Write into `building`:

    - marts.build_info (raw_dir, built_at, data_end_at, build_mode,
      code_fingerprint, config_fingerprint, config_path): one row;
    - marts.build_raw_files: the raw files this build loaded (what the next
      build compares against to decide whether it may be incremental);
    - marts.previous_build_row_counts (relation_name, row_count): the rows of
      every table in schema marts of `previous` (the published database about
      to be replaced), when it exists and can be read;
    - marts.dq_results: the check history of `previous`, so history survives
      a rebuild.
    """
    with duckdb.connect(str(building)) as con:
        con.execute("create schema if not exists marts")
        _write_build_info(con, raw, mode, inputs, config_path)
        record_raw_files(con, inputs.files if inputs else [])
        if not previous.is_file():
            return
        try:
            con.execute(f"attach '{_quote(str(previous))}' as previous_build (read_only)")
        except duckdb.Error:
            return  # locked by a writer or unreadable: nothing to compare against
        try:
            _copy_row_counts(con)
            _copy_check_history(con)
        finally:
            con.execute("detach previous_build")


def recorded_raw_dir(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The raw export a warehouse was built from: marts.build_info when the
    build recorded it, else the folder the views in schema `raw` read."""
    has_info = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'marts' "
        "and table_name = 'build_info'"
    ).fetchone()
    if has_info and has_info[0]:
        row = con.execute(
            "select raw_dir from marts.build_info order by built_at desc limit 1"
        ).fetchone()
        if row and row[0]:
            return Path(row[0])
    return _raw_dir_from_views(con)


def _raw_dir_from_views(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The folder above `<table>/<file>` literals in the raw views' SQL."""
    candidates: Counter[str] = Counter()
    views = con.execute(
        "select view_name, sql from duckdb_views() where schema_name = 'raw' and not internal"
    ).fetchall()
    for name, sql in views:
        for literal in re.findall(r"'((?:[^']|'')+)'", sql or ""):
            path = PurePath(literal.replace("''", "'"))
            if path.is_absolute() and path.parent.name == name:
                candidates[str(path.parent.parent)] += 1
    if not candidates:
        return None
    return Path(candidates.most_common(1)[0][0])


def _write_build_info(
    con: duckdb.DuckDBPyConnection,
    raw: Path,
    mode: str,
    inputs: BuildInputs | None,
    config_path: Path | None,
) -> None:
    has_data_end = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'intermediate' "
        "and table_name = 'int_data_end'"
    ).fetchone()
    data_end = None
    if has_data_end and has_data_end[0]:
        row = con.execute("select max(data_end_at) from intermediate.int_data_end").fetchone()
        data_end = row[0] if row else None
    con.execute(
        "create or replace table marts.build_info (raw_dir varchar, built_at timestamp, "
        "data_end_at timestamp, build_mode varchar, code_fingerprint varchar, "
        "config_fingerprint varchar, config_path varchar)"
    )
    con.execute(
        "insert into marts.build_info values (?, ?, ?, ?, ?, ?, ?)",
        [
            str(raw.resolve()),
            datetime.now(UTC).replace(tzinfo=None),
            data_end,
            mode,
            inputs.code_fingerprint if inputs else None,
            inputs.config_fingerprint if inputs else None,
            str(config_path) if config_path else None,
        ],
    )


def _copy_row_counts(con: duckdb.DuckDBPyConnection) -> None:
    names = [
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = 'previous_build' and schema_name = 'marts' "
            "order by table_name"
        ).fetchall()
        if name not in BOOKKEEPING_TABLES
    ]
    counts = []
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        row = con.execute(f"select count(*) from previous_build.marts.{quoted}").fetchone()
        counts.append((name, row[0] if row else 0))
    con.execute(
        "create or replace table marts.previous_build_row_counts "
        "(relation_name varchar, row_count bigint)"
    )
    if counts:
        con.executemany("insert into marts.previous_build_row_counts values (?, ?)", counts)


def _copy_check_history(con: duckdb.DuckDBPyConnection) -> None:
    exists = con.execute(
        "select count(*) from duckdb_tables() where database_name = 'previous_build' "
        "and schema_name = 'marts' and table_name = 'dq_results'"
    ).fetchone()
    if not (exists and exists[0]):
        return
    write_results(con, datetime.now(UTC).replace(tzinfo=None), [])  # creates the table
    # an incremental build starts from a copy that already holds the history
    con.execute(f"delete from {DQ_RESULTS}")
    con.execute(f"insert into {DQ_RESULTS} by name select * from previous_build.{DQ_RESULTS}")


def _quote(text: str) -> str:
    return text.replace("'", "''")

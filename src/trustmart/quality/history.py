"""What a build records for the checks: where its raw export was, and the
previous build's row counts and check history.

`trustmart build` calls `record_build` on the freshly built file before it
publishes it over the previous one. This is DuckDB-file specific: the
previous build is the published file, attached read-only to compare
against. A Spark build records only `record_build_state` (build_info and
the raw files it loaded), for its next build's plan: trustmart.build.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path, PurePath

from trustmart.incremental import BuildInputs, record_raw_files
from trustmart.quality.frames import BOOKKEEPING_TABLES
from trustmart.quality.results import DQ_RESULTS, write_results
from trustmart.warehouse import Warehouse, WarehouseError, open_duckdb


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
      a rebuild;
    - marts.metric_parameter_changes: the parameter changes recorded by
      earlier builds, plus one dated row per metric, parameter and key whose
      value in marts.metric_parameters differs from `previous`'s;
    - marts.entity_merges: one row, how many entities of `previous`'s
      marts.dim_account_entities a new link merged into another (0 without
      a previous build).
    """
    with open_duckdb(building, read_only=False) as con:
        con.execute("create schema if not exists marts")
        record_build_state(con, raw, mode=mode, inputs=inputs, config_path=config_path)
        con.execute(_PARAMETER_CHANGES_DDL)
        con.execute(f"delete from {PARAMETER_CHANGES}")
        con.execute(_ENTITY_MERGES_DDL)
        con.execute(f"insert into {ENTITY_MERGES} values (null, 0)")
        if not previous.is_file():
            return
        try:
            con.execute(f"attach '{_quote(str(previous))}' as previous_build (read_only)")
        except WarehouseError:
            return  # locked by a writer or unreadable: nothing to compare against
        try:
            _copy_row_counts(con)
            _copy_check_history(con)
            _record_parameter_changes(con)
            _record_entity_merges(con)
        finally:
            con.execute("detach previous_build")


def recorded_raw_dir(con: Warehouse) -> Path | None:
    """The raw export a warehouse was built from: marts.build_info when the
    build recorded it, else the folder the views in schema `raw` read."""
    has_info = con.one(
        "select count(*) from duckdb_tables() where schema_name = 'marts' "
        "and table_name = 'build_info'"
    )
    if has_info and has_info[0]:
        row = con.one("select raw_dir from marts.build_info order by built_at desc limit 1")
        if row and row[0]:
            return Path(row[0])
    return _raw_dir_from_views(con)


def _raw_dir_from_views(con: Warehouse) -> Path | None:
    """The folder above `<table>/<file>` literals in the raw views' SQL."""
    candidates: Counter[str] = Counter()
    views = con.query(
        "select view_name, sql from duckdb_views() where schema_name = 'raw' and not internal"
    )
    for name, sql in views:
        for literal in re.findall(r"'((?:[^']|'')+)'", sql or ""):
            path = PurePath(literal.replace("''", "'"))
            if path.is_absolute() and path.parent.name == name:
                candidates[str(path.parent.parent)] += 1
    if not candidates:
        return None
    return Path(candidates.most_common(1)[0][0])


def record_build_state(
    con: Warehouse,
    raw: Path,
    *,
    mode: str,
    inputs: BuildInputs | None,
    config_path: Path | None,
) -> None:
    """Write marts.build_info (one row) and marts.build_raw_files into the
    warehouse `con` just built, on either engine: what the next build's
    plan (trustmart.incremental) compares against."""
    data_end = None
    if "int_data_end" in con.tables("intermediate"):
        row = con.one("select max(data_end_at) from intermediate.int_data_end")
        data_end = row[0] if row else None
    con.execute("drop table if exists marts.build_info")
    con.execute(
        "create table marts.build_info (raw_dir string, built_at timestamp, "
        "data_end_at timestamp, build_mode string, code_fingerprint string, "
        "config_fingerprint string, config_path string)"
    )
    con.execute(
        "insert into marts.build_info values "
        "(?, cast(? as timestamp), cast(? as timestamp), ?, ?, ?, ?)",
        [
            str(raw.resolve()),
            _timestamp_text(datetime.now(UTC).replace(tzinfo=None)),
            _timestamp_text(data_end),
            mode,
            inputs.code_fingerprint if inputs else None,
            inputs.config_fingerprint if inputs else None,
            str(config_path) if config_path else None,
        ],
    )
    record_raw_files(con, inputs.files if inputs else [])


def _timestamp_text(value: datetime | None) -> str | None:
    """A timestamp as ISO text, which both engines cast back exactly."""
    return value.isoformat(sep=" ") if value is not None else None


def _copy_row_counts(con: Warehouse) -> None:
    names = [
        name
        for (name,) in con.query(
            "select table_name from duckdb_tables() "
            "where database_name = 'previous_build' and schema_name = 'marts' "
            "order by table_name"
        )
        if name not in BOOKKEEPING_TABLES
    ]
    counts = []
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        row = con.one(f"select count(*) from previous_build.marts.{quoted}")
        counts.append((name, row[0] if row else 0))
    con.execute(
        "create or replace table marts.previous_build_row_counts "
        "(relation_name varchar, row_count bigint)"
    )
    if counts:
        con.executemany("insert into marts.previous_build_row_counts values (?, ?)", counts)


def _copy_check_history(con: Warehouse) -> None:
    exists = con.one(
        "select count(*) from duckdb_tables() where database_name = 'previous_build' "
        "and schema_name = 'marts' and table_name = 'dq_results'"
    )
    if not (exists and exists[0]):
        return
    write_results(con, datetime.now(UTC).replace(tzinfo=None), [])  # creates the table
    # an incremental build starts from a copy that already holds the history
    con.execute(f"delete from {DQ_RESULTS}")
    con.execute(f"insert into {DQ_RESULTS} by name select * from previous_build.{DQ_RESULTS}")


PARAMETER_CHANGES = "marts.metric_parameter_changes"
_PARAMETER_CHANGES_DDL = f"""
    create table if not exists {PARAMETER_CHANGES} (
        changed_at timestamp, metric_id varchar, metric_version integer, parameter varchar,
        parameter_key varchar, old_value varchar, new_value varchar, defined_by varchar
    )
"""


def _record_parameter_changes(con: Warehouse) -> None:
    """Carry the previous build's parameter history over, and add a row for
    every value of a metric's parameter that differs from the previous
    build's (metric versions in both builds; a key that appears or goes is
    a change from or to null)."""
    previous = _previous_tables(con)
    if "metric_parameter_changes" in previous:
        con.execute(
            f"insert into {PARAMETER_CHANGES} by name "
            f"select * from previous_build.{PARAMETER_CHANGES}"
        )
    if "metric_parameters" not in previous:
        return
    con.execute(
        f"""
        insert into {PARAMETER_CHANGES}
        with both_builds as (
            select distinct metric_id, metric_version from marts.metric_parameters
            intersect
            select distinct metric_id, metric_version
            from previous_build.marts.metric_parameters
        )
        select
            ? as changed_at,
            metric_id,
            metric_version,
            parameter,
            parameter_key,
            old.parameter_value as old_value,
            new.parameter_value as new_value,
            coalesce(new.defined_by, old.defined_by) as defined_by
        from marts.metric_parameters as new
        full join previous_build.marts.metric_parameters as old
            using (metric_id, metric_version, parameter, parameter_key)
        semi join both_builds using (metric_id, metric_version)
        where old.parameter_value is distinct from new.parameter_value
        order by metric_id, metric_version, parameter, parameter_key
        """,
        [datetime.now(UTC).replace(tzinfo=None)],
    )


ENTITY_MERGES = "marts.entity_merges"
_ENTITY_MERGES_DDL = f"""
    create or replace table {ENTITY_MERGES} (
        previous_built_at timestamp, merged_entities bigint
    )
"""


def _record_entity_merges(con: Warehouse) -> None:
    """Entities of the previous build that a new link merged into another:
    over the accounts in both builds, the previous entities of each current
    entity beyond the first (kpi-definitions.md: the build says how many
    entities merged since the previous build)."""
    previous = _previous_tables(con)
    if "dim_account_entities" not in previous:
        return
    current = {
        name
        for (name,) in con.query(
            "select table_name from duckdb_tables() where database_name = current_database() "
            "and schema_name = 'marts'"
        )
    }
    if "dim_account_entities" not in current:
        return
    previous_built_at = None
    if "build_info" in previous:
        row = con.one("select max(built_at) from previous_build.marts.build_info")
        previous_built_at = row[0] if row else None
    con.execute(f"delete from {ENTITY_MERGES}")
    con.execute(
        f"""
        insert into {ENTITY_MERGES}
        with previous_entities as (
            select
                current_entities.entity_id,
                count(distinct previous_entities.entity_id) as previous_entities
            from marts.dim_account_entities as current_entities
            inner join previous_build.marts.dim_account_entities as previous_entities
                on current_entities.account_id = previous_entities.account_id
            group by current_entities.entity_id
        )
        select ?, coalesce(sum(previous_entities - 1), 0) from previous_entities
        """,
        [previous_built_at],
    )


def _previous_tables(con: Warehouse) -> set[str]:
    return {
        name
        for (name,) in con.query(
            "select table_name from duckdb_tables() "
            "where database_name = 'previous_build' and schema_name = 'marts'"
        )
    }


def _quote(text: str) -> str:
    return text.replace("'", "''")

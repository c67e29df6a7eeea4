"""`trustmart import-dsa`: the EU DSA Transparency Database's statements of
reasons (daily CSV dumps, schema v1 and v2, plain or zipped) into the raw
contract.

Each statement becomes one `enforcements` row (see trustmart.adapters.dsa_sql
for the column mapping). The dumps hold decisions only: no notice, detection
or appeal times, so `reports`, `detections`, `appeals` and the exposure tables
are written empty (docs/adapters.md explains why no report rows are made up
from `source_type`). Exact duplicate statements are written once and counted;
nothing else is dropped: codes that do not map are written through and the
build quarantines them, naming the code.

DuckDB (a scratch file in a temporary folder) is the engine that reads the
dumps and writes the raw files; no warehouse is read, so this module
imports duckdb itself rather than going through trustmart.warehouse.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path

import duckdb

from trustmart.adapters.archives import InputFile, expand_inputs
from trustmart.adapters.dsa_sql import SOR_COLUMNS, SOR_REQUIRED, mapping_sql
from trustmart.adapters.manifest import ImportSummary
from trustmart.adapters.rawout import (
    check_extra_columns,
    data_file,
    prepare_out_dir,
    write_empty_tables,
)
from trustmart.contract import CODE_SETS, POLICY_CATEGORIES
from trustmart.errors import TrustmartError
from trustmart.settings import project_dir

SOURCE = "dsa_sor"
SUFFIXES = (".csv", ".csv.gz")
_CSV_OPTIONS = (
    "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', "
    "max_line_size = 16777216"
)
_TABLE_COLUMNS = "select name from pragma_table_info('statements')"
#: How many duplicate statement ids the manifest lists.
LISTED_DUPLICATES = 100


def default_category_map() -> Path:
    """The seed the warehouse also loads: seeds/dsa_category_map.csv."""
    return project_dir() / "seeds" / "dsa_category_map.csv"


def load_category_map(path: Path) -> dict[str, str]:
    """DSA category code -> trustmart policy category, checked against the contract."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise TrustmartError(
            f"Cannot read the category map {path} ({error}).", "Pass --category-map."
        ) from error
    mapping = {row["dsa_category"].strip(): row["policy_category"].strip() for row in rows}
    unknown = sorted({p for p in mapping.values() if p not in POLICY_CATEGORIES})
    if unknown:
        raise TrustmartError(
            f"{path} maps to unknown policy categories: {', '.join(unknown)}.",
            "Use the codes of seeds/policy_categories.csv.",
        )
    return mapping


def _header(con: duckdb.DuckDBPyConnection, file: InputFile) -> list[str]:
    rows = con.execute(
        f"select column_name from (describe select * from read_csv(?, {_CSV_OPTIONS}))",
        [str(file.path)],
    ).fetchall()
    return [str(row[0]) for row in rows]


def _schema_version(columns: Sequence[str]) -> str:
    version = "v2" if "content_id_ean" in columns else "v1"
    return version + ("" if "territorial_scope" in columns else "-light")


def _load_file(con: duckdb.DuckDBPyConnection, file: InputFile) -> dict[str, object]:
    """Append one dump file to table `statements`; returns its manifest entry."""
    columns = _header(con, file)
    missing = [c for c in SOR_REQUIRED if c not in columns]
    if missing:
        raise TrustmartError(
            f"{file.label} is not a statement-of-reasons CSV: no column(s) {', '.join(missing)}.",
            "Pass the Commission's daily dump files (full or light), schema v1 or v2.",
        )
    unknown = [c for c in columns if c not in SOR_COLUMNS]
    check_extra_columns("enforcements", unknown)
    known = {name for (name,) in con.execute(_TABLE_COLUMNS).fetchall()}
    for column in unknown:
        if column not in known:
            con.execute(f'alter table statements add column "{column}" varchar')
    version = _schema_version(columns)
    before = con.execute("select count(*) from statements").fetchone()
    con.execute(
        f"""
        insert into statements by name
        select *, ? as sor_file, ? as sor_schema_version, row_number() over () as sor_row
        from read_csv(?, {_CSV_OPTIONS})
        """,
        [file.label, version, str(file.path)],
    )
    after = con.execute("select count(*) from statements").fetchone()
    rows = (after[0] if after else 0) - (before[0] if before else 0)
    return {"file": file.label, "schema_version": version, "columns": len(columns), "rows": rows}


def _remove_exact_duplicates(con: duckdb.DuckDBPyConnection) -> tuple[int, list[str]]:
    """Keep the first copy of statements identical in every dump column."""
    dump_columns = [
        name
        for (name,) in con.execute(_TABLE_COLUMNS).fetchall()
        if name not in ("sor_file", "sor_schema_version", "sor_row")
    ]
    partition = ", ".join(f'"{c}"' for c in dump_columns)
    con.execute(
        f"""
        create table unique_statements as
        select * exclude (copy_number) from (
            select *, row_number() over (partition by {partition} order by sor_file, sor_row)
                as copy_number
            from statements
        ) where copy_number = 1
        """
    )
    ids = [
        row[0]
        for row in con.execute(
            f"select uuid from statements group by {partition} having count(*) > 1 "
            f"order by uuid limit {LISTED_DUPLICATES}"
        ).fetchall()
    ]
    total = con.execute(
        "select (select count(*) from statements) - (select count(*) from unique_statements)"
    ).fetchone()
    return (total[0] if total else 0), ids


def _unmapped(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Values written through because they map to no contract code."""
    checks = {
        "category": (
            "policy_category",
            "policy_category not in (select policy_category from policy_severities)",
        ),
        "decision": ("action", "action not in (select unnest(?))"),
        "automated_decision": ("decision_method", "decision_method not in (select unnest(?))"),
    }
    params = {
        "decision": [list(CODE_SETS["action"])],
        "automated_decision": [["automated", "human"]],
    }
    found: dict[str, dict[str, int]] = {}
    for name, (column, condition) in checks.items():
        rows = con.execute(
            f"select {column}, count(*) from mapped where {condition} group by 1 order by 1",
            params.get(name, []),
        ).fetchall()
        if rows:
            found[name] = {str(code): int(n) for code, n in rows}
    return found


def import_dsa(
    paths: Sequence[Path],
    out: Path,
    *,
    category_map: Path | None = None,
    work_dir: Path | None = None,
) -> ImportSummary:
    """Import statement-of-reasons dumps from `paths` into the raw export `out`."""
    mapping = load_category_map(category_map or default_category_map())
    prepare_out_dir(out, SOURCE)
    summary = ImportSummary(source=SOURCE, out=out)
    with tempfile.TemporaryDirectory(prefix="trustmart-dsa-", dir=work_dir) as tmp:
        found = expand_inputs(paths, Path(tmp), SUFFIXES)
        with duckdb.connect(str(Path(tmp) / "import.duckdb")) as con:
            columns = ", ".join(f'"{c}" varchar' for c in SOR_COLUMNS)
            con.execute(
                f"create table statements ({columns}, sor_file varchar, "
                "sor_schema_version varchar, sor_row bigint)"
            )
            summary.inputs = [_load_file(con, f) for f in found.files]
            con.execute("create table category_map (dsa_category varchar, policy_category varchar)")
            con.executemany("insert into category_map values (?, ?)", list(mapping.items()))
            con.execute(
                "create table policy_severities (policy_category varchar, severity varchar)"
            )
            con.executemany(
                "insert into policy_severities values (?, ?)",
                [(code, severity) for code, (_name, severity) in POLICY_CATEGORIES.items()],
            )
            summary.duplicates, summary.duplicate_ids = _remove_exact_duplicates(con)
            con.execute(
                "create table mapped as "
                + mapping_sql("unique_statements", "category_map", "policy_severities")
            )
            target = data_file(out, "enforcements", SOURCE)
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"copy mapped to '{target}' (format parquet)")
            written = con.execute("select count(*) from mapped").fetchone()
            summary.rows_written = {"enforcements": written[0] if written else 0}
            summary.unmapped = _unmapped(con)
            conflicts = con.execute(
                "select count(*) from (select uuid from mapped group by uuid having count(*) > 1)"
            ).fetchone()
    summary.rows_in = sum(int(str(entry["rows"])) for entry in summary.inputs)
    for table in write_empty_tables(out, SOURCE, summary.rows_written):
        summary.rows_written[table] = 0
    summary.notes = _notes(found.ignored_members, conflicts[0] if conflicts else 0)
    if not summary.is_balanced:  # pragma: no cover - an importer bug, never data
        raise TrustmartError("The DSA import lost rows.", "Report this as a bug.")
    summary.write()
    return summary


def _notes(ignored: list[str], conflicts: int) -> list[str]:
    notes = [
        "No notice, detection or appeal times exist in the dumps: reports, detections "
        "and appeals are empty; source_type is kept as an extra column (docs/adapters.md).",
    ]
    if conflicts:
        notes.append(
            f"{conflicts} statement id(s) occur with different contents; all copies were "
            "written and the build keeps the latest created_at (ties: duplicate_key quarantine)."
        )
    if ignored:
        notes.append(f"Ignored {len(ignored)} archive member(s) that are not CSV: {ignored[:5]}")
    return notes

"""Not-null guarantees of the contract-enforced tables are column constraints
(folded in from per-column `not_null` data tests): the built tables must
carry them, so the guarantee is checked on every insert instead of by a
query after the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import query
from trustmart.settings import project_dir


def _not_null_columns() -> dict[str, set[str]]:
    """Table name -> columns declared `constraints: [{type: not_null}]`, for
    every contract-enforced model materialised as a table."""
    declared: dict[str, set[str]] = {}
    for path in (project_dir() / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            if not model.get("config", {}).get("contract", {}).get("enforced"):
                continue
            sql = next((project_dir() / "models").rglob(f"{model['name']}*.sql")).read_text()
            if "materialized='view'" in sql:
                continue
            names = [
                v.get("config", {}).get("alias", f"{model['name']}_v{v['v']}")
                for v in model.get("versions", [])
            ] or [model["name"]]
            columns = {
                c["name"]
                for c in model.get("columns", [])
                if any(k.get("type") == "not_null" for k in c.get("constraints", []))
            }
            for name in names:
                declared[name] = columns
    return declared


def test_contract_not_null_constraints_are_in_the_built_tables(small_db: Path) -> None:
    declared = _not_null_columns()
    assert {"kpi_weekly", "kpi_daily", "rpt_kpi_trend", "rpt_glossary"} <= set(declared)
    assert sum(len(columns) for columns in declared.values()) >= 120
    rows = query(
        small_db,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and is_nullable = 'NO'",
    )
    built: dict[str, set[str]] = {}
    for table, column in rows:
        built.setdefault(table, set()).add(column)
    for table, columns in declared.items():
        missing = sorted(columns - built.get(table, set()))
        assert not missing, f"marts.{table}: no not-null constraint on {missing}"


def test_a_null_breaks_the_constraint(small_db: Path, tmp_path: Path) -> None:
    """DuckDB refuses the row, naming the column: what a data test reported."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_db, copy)
    refused = pytest.raises(duckdb.ConstraintException, match="metric_id")
    with duckdb.connect(str(copy)) as con, refused:
        con.execute(
            "insert into marts.kpi_weekly (week_start, metric_id, metric_version, dimension, "
            "dimension_value, is_upper_bound, is_final) "
            "values (date '2026-01-05', null, 1, 'overall', 'all', false, true)"
        )

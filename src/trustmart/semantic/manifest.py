"""The semantic manifest of a warehouse, stored in the warehouse itself.

dbt writes `semantic_manifest.json` (semantic models, metrics, time spine)
into its target folder at every parse. A build copies it into
`marts.semantic_manifest` of the database it publishes, so the definitions
a query uses are those the data was built with, and they move with the
file in the same atomic rename (trustmart.publish).

The relations are stored without their database name: a build writes a
sibling file (`.warehouse.building.duckdb`) that is then renamed, and a
reader opens the published file under its own name.

The manifest is stored in the DuckDB file only: a Spark build skips it
(`trustmart query` reads the DuckDB target).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trustmart.errors import TrustmartError
from trustmart.warehouse import Warehouse, open_duckdb

TABLE = "semantic_manifest"


def portable(manifest: dict[str, Any]) -> dict[str, Any]:
    """`manifest` with every relation named `schema.table` (no database)."""

    def visit(node: Any) -> Any:
        if isinstance(node, dict):
            node = {key: visit(value) for key, value in node.items()}
            if {"alias", "schema_name", "relation_name"} <= node.keys():
                node["database"] = None
                node["relation_name"] = f"{node['schema_name']}.{node['alias']}"
            return node
        if isinstance(node, list):
            return [visit(item) for item in node]
        return node

    return visit(manifest)


def record_semantic_manifest(database: Path, target_dir: Path) -> None:
    """Store dbt's `target_dir/semantic_manifest.json` in `database`
    (marts.semantic_manifest, one row)."""
    source = target_dir / "semantic_manifest.json"
    if not source.is_file():
        raise TrustmartError(
            f"dbt wrote no semantic manifest ({source}).",
            "Run the build again; if it persists, run `dbt parse` and read its errors.",
        )
    text = json.dumps(portable(json.loads(source.read_text(encoding="utf-8"))))
    with open_duckdb(database, read_only=False) as con:
        con.execute("create schema if not exists marts")
        con.execute(f"create or replace table marts.{TABLE} (manifest_json varchar)")
        con.execute(f"insert into marts.{TABLE} values (?)", [text])


def read_semantic_manifest(con: Warehouse) -> str:
    """The semantic manifest (JSON text) stored in the warehouse of `con`."""
    if TABLE not in con.tables():
        raise TrustmartError(
            "This warehouse has no semantic layer (no marts.semantic_manifest): "
            "it was built before `trustmart query` existed.",
            "Run `trustmart build` (or `trustmart demo`) to rebuild it, then query again.",
        )
    row = con.one(f"select manifest_json from marts.{TABLE}")
    if row is None:
        raise TrustmartError(
            "marts.semantic_manifest of this warehouse is empty.",
            "Run `trustmart build` to rebuild the warehouse, then query again.",
        )
    return str(row[0])

"""Importers that turn public enforcement logs into the raw contract layout.

- `trustmart.adapters.dsa`: the EU DSA Transparency Database's daily
  statement-of-reasons dumps (CSV, zip of CSVs, zip of zips of CSVs).
- `trustmart.adapters.wikipedia`: the English Wikipedia block log.

Both write `<out>/<table>/<source>.parquet` for the tables they fill, a
header-only `<out>/<table>/<source>.csv` for every other required table, and
`<out>/import_manifest.json` (rows in, rows written, duplicates, unmapped
codes). `trustmart build --raw <out>` then loads it like any export.
Mapping decisions: docs/adapters.md.
"""

from __future__ import annotations

from trustmart.adapters.manifest import ImportSummary, print_import_summary

__all__ = ["ImportSummary", "print_import_summary"]

"""The one-screen summary after a build, read from the published database."""

from __future__ import annotations

from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table


def print_build_summary(db: Path, console: Console) -> None:
    """Rows loaded and quarantined per table, quarantine reasons, location."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            """
            select source_table, raw_rows, staged_rows, superseded_rows,
                quarantined_rows, is_reconciled
            from marts.fct_raw_reconciliation
            order by source_table
            """
        ).fetchall()
        reasons = con.execute(
            """
            select source_table, reason, count(*) as row_count
            from marts.fct_quarantined_rows
            group by all
            order by source_table, row_count desc, reason
            """
        ).fetchall()
    loaded = Table(title="Raw rows loaded", title_justify="left")
    for name in ("table", "raw", "staged", "superseded", "quarantined", "reconciled"):
        loaded.add_column(name, justify="left" if name == "table" else "right")
    for name, raw, staged, superseded, quarantined, ok in tables:
        loaded.add_row(
            name,
            f"{raw:,}",
            f"{staged:,}",
            f"{superseded:,}",
            f"{quarantined:,}",
            "yes" if ok else "[red]NO[/red]",
        )
    console.print(loaded)
    if reasons:
        quarantine = Table(title="Quarantined rows by reason", title_justify="left")
        for name in ("table", "reason", "rows"):
            quarantine.add_column(name, justify="right" if name == "rows" else "left")
        for name, reason, count in reasons:
            quarantine.add_row(name, reason, f"{count:,}")
        console.print(quarantine)
        console.print("Inspect them: select * from marts.fct_quarantined_rows")
    else:
        console.print("No rows quarantined.")
    console.print(f"Database: [bold]{db}[/bold] (schema marts)")

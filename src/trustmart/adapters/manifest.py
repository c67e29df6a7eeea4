"""What an import read and wrote: `<out>/import_manifest.json` and its summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

MANIFEST_NAME = "import_manifest.json"


@dataclass
class ImportSummary:
    """Counts of one import run.

    `rows_in` = sum of `rows_written` + `duplicates` + sum of `skipped`:
    every input row is written to a raw table, or counted as an exact
    duplicate, or counted as skipped with its reason. `derived_rows` are
    rows an importer made from what input rows say (Wikipedia's `case`
    signals from block comments), outside that balance. Rows written with
    codes the importer could not map (`unmapped`) or with missing values
    are quarantined by the build, which names the column and value.
    """

    source: str
    out: Path
    inputs: list[dict[str, object]] = field(default_factory=list)
    rows_in: int = 0
    rows_written: dict[str, int] = field(default_factory=dict)
    derived_rows: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    duplicate_ids: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    expected_quarantine: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def is_balanced(self) -> bool:
        """True when every input row is accounted for."""
        accounted = sum(self.rows_written.values()) + self.duplicates + sum(self.skipped.values())
        return accounted == self.rows_in

    def to_dict(self) -> dict[str, object]:
        """The manifest as JSON-ready data."""
        data = asdict(self)
        data["out"] = str(self.out)
        data["is_balanced"] = self.is_balanced
        return data

    def write(self) -> Path:
        """Write `<out>/import_manifest.json` (outside every table folder)."""
        path = self.out / MANIFEST_NAME
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return path


def print_import_summary(summary: ImportSummary, console: Console) -> None:
    """Rows in, rows written per table, duplicates, skipped and unmapped codes."""
    table = Table(title=f"Imported {summary.source}", title_justify="left")
    table.add_column("count", justify="left")
    table.add_column("rows", justify="right")
    table.add_row("rows in", f"{summary.rows_in:,}")
    for name, rows in sorted(summary.rows_written.items()):
        if rows:
            table.add_row(f"written to {name}", f"{rows:,}")
    for name, rows in sorted(summary.derived_rows.items()):
        table.add_row(f"derived rows in {name}", f"{rows:,}")
    table.add_row("exact duplicates (not written)", f"{summary.duplicates:,}")
    for reason, rows in sorted(summary.skipped.items()):
        table.add_row(f"skipped: {reason}", f"{rows:,}")
    for reason, rows in sorted(summary.expected_quarantine.items()):
        table.add_row(f"will be quarantined: {reason}", f"{rows:,}")
    console.print(table)
    for column, codes in sorted(summary.unmapped.items()):
        listed = ", ".join(f"{code} ({n:,})" for code, n in sorted(codes.items()))
        console.print(f"Unmapped {column} codes (quarantined by the build): {listed}")
    for note in summary.notes:
        console.print(f"Note: {note}", highlight=False)
    console.print(
        f"Raw export: [bold]{summary.out}[/bold]; manifest {summary.out / MANIFEST_NAME}. "
        f"Next: trustmart build --raw {summary.out}"
    )

"""Running counts of what was written, for truth.json."""

from __future__ import annotations

from dataclasses import dataclass, field

from trustmart.contract import TABLES

from .badrows import REASONS
from .rows import NULL_TS, Rows
from .schema import KINDS


@dataclass
class Accounting:
    raw_rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    superseded_rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    offset_rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    bad_rows: dict[str, dict[str, int]] = field(
        default_factory=lambda: {t: dict.fromkeys(REASONS[t], 0) for t in TABLES}
    )
    files: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    data_end: int = NULL_TS

    def add_good(self, table: str, rows: Rows) -> None:
        self.raw_rows[table] += len(rows)
        self.superseded_rows[table] += int((~rows["_final"]).sum())
        if any(k == "ts" for k in KINDS[table].values()):
            self.offset_rows[table] += int((rows["_offset"] != 0).sum())
        for col, kind in KINDS[table].items():
            if kind == "ts" and col != "ingested_at" and len(rows):
                self.data_end = max(self.data_end, int(rows[col].max()))

    def add_bad(self, table: str, counts: dict[str, int]) -> None:
        for reason, n in counts.items():
            self.bad_rows[table][reason] += n
            self.raw_rows[table] += n

    def expected_staged_rows(self) -> dict[str, int]:
        return {
            t: self.raw_rows[t] - self.superseded_rows[t] - sum(self.bad_rows[t].values())
            for t in TABLES
        }

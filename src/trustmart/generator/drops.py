"""Hold back the last day of an export as a daily drop.

An incremental build is exercised (tests, benchmark) by building an export
without its last day of ingestion, then adding that day as new files. The
rows a table receives on a day are those whose arrival column (ingested_at,
or the event time for tables without one) falls on it.

DuckDB (an in-memory connection) is the file-processing engine that
rewrites the export's files here; no warehouse is read, so this module
imports duckdb itself rather than going through trustmart.warehouse.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

#: Column of each table whose time decides the day a row arrives.
ARRIVAL = {
    "reports": "ingested_at",
    "detections": "ingested_at",
    "enforcements": "ingested_at",
    "appeals": "ingested_at",
    "views_daily": "date",
    "active_users_daily": "date",
    "prevalence_samples": "labeled_at",
    "qa_reviews": "reviewed_at",
    "account_signals": "observed_at",
}


def arrival_day(column: str) -> str:
    """SQL: the UTC day of a raw text time column (null when unparsable)."""
    return f"cast(try_cast(\"{column}\" as timestamptz) at time zone 'UTC' as date)"


def hold_back_last_day(raw: Path, held: Path) -> dt.date:
    """Move the rows of the export's last day of ingestion (the latest
    report ingestion day) out of the Parquet files of `raw` into
    `held/<table>/<day>-z-day.parquet`; return the day. Moving those files
    into `raw` later delivers the day as a drop of new files; the files that
    stay are rewritten once, here."""
    with duckdb.connect() as con:
        row = con.execute(
            f"select max({arrival_day('ingested_at')}) "
            f"from read_parquet('{_quote(raw)}/reports/*.parquet')"
        ).fetchone()
        if row is None or row[0] is None:
            raise ValueError(f"no report with a readable ingested_at in {raw}/reports")
        day: dt.date = row[0]
        for table, column in ARRIVAL.items():
            day_file = f"{day}-z-day.parquet"
            (held / table).mkdir(parents=True, exist_ok=True)
            if (raw / table / day_file).is_file():
                # this day was held back and delivered before: hold it again
                os.replace(raw / table / day_file, held / table / day_file)
                continue
            files = sorted((raw / table).glob("*.parquet"))
            if not files:
                continue
            names = ", ".join(f"'{_quote(f)}'" for f in files)
            on_day = f"coalesce({arrival_day(column)} >= date '{day}', false)"
            con.execute(
                f"copy (select * from read_parquet([{names}], union_by_name = true) "
                f"where {on_day}) to '{_quote(held / table / day_file)}' (format parquet)"
            )
            keep_rows(con, files, f"not {on_day}")
    return day


def keep_rows(con: duckdb.DuckDBPyConnection, files: list[Path], where: str) -> None:
    """Rewrite each Parquet file in place with only its rows where `where` holds."""
    for f in files:
        kept = f.with_name(f.name + ".kept")
        con.execute(
            f"copy (select * from read_parquet('{_quote(f)}') where {where}) "
            f"to '{_quote(kept)}' (format parquet)"
        )
        os.replace(kept, f)


def deliver(held: Path, raw: Path) -> list[Path]:
    """Move the held files into the export (the day arrives)."""
    moved = []
    for f in sorted(held.glob("*/*.parquet")):
        target = raw / f.parent.name / f.name
        os.replace(f, target)
        moved.append(target)
    return moved


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")

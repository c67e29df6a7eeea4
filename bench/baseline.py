"""Run bench/baseline.sql over a raw export with the DuckDB Python API.

    python bench/baseline.py --raw DIR --db FILE [--memory-limit 2GB]
        [--threads N] [--timings FILE]

The database is a fresh file (replaced if it exists) with the settings the
build's dbt profile uses (memory_limit, TimeZone UTC, a temp directory
beside it, every core), so the two are compared like for like. Per-statement
timings go to --timings as JSON: [[label, seconds], ...].
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import duckdb

SCRIPT = Path(__file__).resolve().parent / "baseline.sql"
_LABEL = re.compile(r"create or replace (?:table|macro) (\w+)", re.IGNORECASE)


def statement_label(sql: str) -> str:
    """The table or macro a statement creates, else its first words."""
    match = _LABEL.search(sql)
    if match:
        return match.group(1)
    body = " ".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return " ".join(body.split())[:40]


def run_baseline(
    raw: Path, db: Path, memory_limit: str = "2GB", threads: int | None = None
) -> list[tuple[str, float]]:
    """Execute baseline.sql into `db`; returns (statement, seconds) per statement."""
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    temp_dir = db.parent / f".{db.stem}_tmp"
    shutil.rmtree(temp_dir, ignore_errors=True)
    config = {
        "memory_limit": memory_limit,
        "threads": threads or os.cpu_count() or 1,
        "temp_directory": str(temp_dir),
        "preserve_insertion_order": True,
    }
    timings: list[tuple[str, float]] = []
    with duckdb.connect(str(db), config=config) as con:
        con.execute("set TimeZone = 'UTC'")
        con.execute("set variable raw_dir = ?", [str(raw.resolve())])
        for statement in con.extract_statements(SCRIPT.read_text(encoding="utf-8")):
            started = time.perf_counter()
            con.execute(statement.query)
            timings.append((statement_label(statement.query), time.perf_counter() - started))
        started = time.perf_counter()
        con.execute("checkpoint")
        timings.append(("checkpoint", time.perf_counter() - started))
    shutil.rmtree(temp_dir, ignore_errors=True)
    return timings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--memory-limit", default=os.environ.get("TRUSTMART_MEMORY_LIMIT", "2GB"))
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--timings", type=Path, default=None)
    args = parser.parse_args(argv)
    timings = run_baseline(args.raw, args.db, args.memory_limit, args.threads)
    if args.timings:
        args.timings.write_text(json.dumps(timings), encoding="utf-8")
    total = sum(seconds for _, seconds in timings)
    print(f"baseline.sql: {len(timings)} statements in {total:.1f} s into {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

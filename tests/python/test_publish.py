"""Publishing: readers of the published database never see an error or a
half-built mart while a new build runs, and `export_marts` writes one
Parquet file per marts table.

The readers are separate processes (DuckDB's in-process database cache
could hide a lock or a torn file) that open the published file read-only in
a loop, read a snapshot of marts.kpi_weekly and close it again. The build
writes into a sibling file and publishes it with one rename, so every
snapshot must be the old build's or the new one's, and no open may fail.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from trustmart.build import build
from trustmart.errors import TrustmartError
from trustmart.export import export_marts
from trustmart.generator import GeneratorConfig, generate

READERS = 3
#: Hard limit of the readers' loops (and so of the second build), whatever happens.
READ_LIMIT_SECONDS = 120.0
#: How long readers may take to see the new build once it is published.
SEE_NEW_BUILD_SECONDS = 15.0
#: Models and seeds only: dbt's data and unit tests are covered elsewhere and
#: do not change how a build is published, so both builds skip them to stay
#: well inside the time limit on a busy machine.
MODELS_ONLY = ("--exclude", "resource_type:test", "resource_type:unit_test")

SNAPSHOT_SQL = """
    select
        count(*),
        min(week_start),
        max(week_start),
        sum(hash(
            week_start, metric_id, metric_version, dimension, dimension_value,
            numerator, denominator, value, ci_low, ci_high, is_upper_bound, is_final
        ))
    from marts.kpi_weekly
"""

# The second build, in its own process (killed if it overruns the limit).
BUILDER = """
import sys
from pathlib import Path
from trustmart.build import build

build(Path(sys.argv[1]), Path(sys.argv[2]), extra_args=tuple(sys.argv[3:]))
"""

# One reader process: until the stop file appears or the deadline passes,
# open the database read-only, read the snapshot, close; one JSON line per
# attempt ({"snapshot": [...]} or {"error": "..."}), flushed at once.
READER = """
import json, os, sys, time
import duckdb

db, out, stop, deadline, sql = sys.argv[1:6]
deadline = float(deadline)
with open(out, "w", encoding="utf-8") as log:
    while time.time() < deadline and not os.path.exists(stop):
        try:
            con = duckdb.connect(db, read_only=True)
            try:
                row = con.execute(sql).fetchone()
            finally:
                con.close()
            entry = {"snapshot": [str(value) for value in row]}
        except Exception as error:
            entry = {"error": f"{type(error).__name__}: {error}"}
        log.write(json.dumps(entry) + "\\n")
        log.flush()
        time.sleep(0.01)
"""


def snapshot(db: Path) -> list[str]:
    """The reader's view of `db`, read the same way (as text)."""
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(SNAPSHOT_SQL).fetchone()
    assert row is not None
    return [str(value) for value in row]


def read_log(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    # the last line may be half-written while the reader runs
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    """Poll `condition` until it holds or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@dataclass
class Published:
    """A published first build and a second export to build over it."""

    root: Path
    db: Path
    second_raw: Path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    root = tmp_path_factory.mktemp("publish")
    for seed, name in ((3, "raw_a"), (4, "raw_b")):
        generate(GeneratorConfig(out=root / name, seed=seed, days=14, scale=0.1))
    db = build(root / "raw_a", root / "warehouse.duckdb", extra_args=MODELS_ONLY).db
    return Published(root=root, db=db, second_raw=root / "raw_b")


def stop_process(process: subprocess.Popen, timeout: float = 30) -> None:
    """Wait for `process`; kill its whole session when it does not end in time."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_readers_see_old_or_new_build_never_an_error(published: Published) -> None:
    db, root = published.db, published.root
    old = snapshot(db)
    stop = root / "stop-readers"
    stop.unlink(missing_ok=True)
    started = time.monotonic()
    deadline = time.time() + READ_LIMIT_SECONDS
    logs = [root / f"reader-{i}.jsonl" for i in range(READERS)]
    readers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                READER,
                str(db),
                str(log),
                str(stop),
                str(deadline),
                SNAPSHOT_SQL,
            ],
            start_new_session=True,
        )
        for log in logs
    ]
    builder: subprocess.Popen | None = None
    try:
        # every reader reads the first build before the second one starts
        assert wait_until(lambda: all(read_log(log) for log in logs), 30), "readers did not start"
        builder = subprocess.Popen(
            [sys.executable, "-c", BUILDER, str(published.second_raw), str(db), *MODELS_ONLY],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        budget = READ_LIMIT_SECONDS - SEE_NEW_BUILD_SECONDS - (time.monotonic() - started)
        try:
            output, _ = builder.communicate(timeout=budget)
        except subprocess.TimeoutExpired:
            os.killpg(builder.pid, signal.SIGKILL)
            builder.communicate()
            pytest.fail(f"the second build took longer than {budget:.0f} s")
        assert builder.returncode == 0, f"the second build failed:\n{output[-3000:]}"
        new = snapshot(db)
        assert new != old, "the two exports should give different marts"
        # let every reader see the published second build, then stop them
        wait_until(
            lambda: all(any(e.get("snapshot") == new for e in read_log(log)[-5:]) for log in logs),
            SEE_NEW_BUILD_SECONDS,
        )
    finally:
        stop.touch()
        for reader in readers:
            stop_process(reader)
        if builder is not None and builder.poll() is None:
            stop_process(builder, timeout=0)

    exits = [reader.returncode for reader in readers]
    assert exits == [0] * READERS, f"reader processes died: exit codes {exits}"
    for log in logs:
        entries = read_log(log)
        errors = [e["error"] for e in entries if "error" in e]
        assert not errors, f"{log.name}: {len(errors)} failed reads, first: {errors[0]}"
        seen = [e["snapshot"] for e in entries]
        others = [s for s in seen if s not in (old, new)]
        assert not others, f"{log.name}: snapshots of neither build, e.g. {others[0]}"
        assert old in seen and new in seen, f"{log.name}: did not see both builds"
        # once a reader has seen the new build it never sees the old one again
        first_new = seen.index(new)
        assert old not in seen[first_new:], f"{log.name}: saw the old build after the new one"
        assert len(seen) >= 10, f"{log.name}: only {len(seen)} reads"


def test_export_marts_writes_one_parquet_per_table(published: Published) -> None:
    out = published.root / "export"
    files = export_marts(published.db, out)
    with duckdb.connect(str(published.db), read_only=True) as con:
        names = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() "
                "where database_name = current_database() and schema_name = 'marts'"
            ).fetchall()
        ]
        counts = {
            name: con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for name in names
        }
    assert {"kpi_weekly", "kpi_daily", "metric_definitions"} <= set(counts)
    assert sorted(f.name for f in files) == sorted(f"{name}.parquet" for name in counts)
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in files), "leftovers"
    with duckdb.connect() as con:
        for name, rows in counts.items():
            exported = con.execute(
                f"select count(*) from read_parquet('{out / (name + '.parquet')}')"
            ).fetchone()[0]
            assert exported == rows, name
        columns = con.execute(
            f"select column_name from (describe select * from "
            f"read_parquet('{out / 'kpi_weekly.parquet'}'))"
        ).fetchall()
    assert ("metric_id",) in columns and ("week_start",) in columns

    # a second export replaces the files in place
    again = export_marts(published.db, out)
    assert again == files
    assert sorted(p.name for p in out.iterdir()) == sorted(f.name for f in files)


def test_export_marts_without_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(TrustmartError, match="No database"):
        export_marts(tmp_path / "missing.duckdb", tmp_path / "out")
    assert not (tmp_path / "out").exists()

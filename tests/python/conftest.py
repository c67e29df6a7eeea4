"""Shared fixtures: build warehouses from raw exports in temporary folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from trustmart.build import build
from trustmart.settings import QUIET_ENV

os.environ.update(QUIET_ENV)

FIXTURES = Path(__file__).resolve().parent.parent / "data"


def query(db: Path, sql: str) -> list[tuple]:
    """Rows of `sql` against a built warehouse, opened read-only."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="session")
def small_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made raw_small export, with detections converted to Parquet
    so that Parquet, CSV and JSONL are all read."""
    raw = tmp_path_factory.mktemp("raw_small") / "raw"
    shutil.copytree(FIXTURES / "raw_small", raw)
    csv = raw / "detections" / "a.csv"
    with duckdb.connect() as con:
        con.execute(
            f"copy (select * replace (try_cast(score as double) as score) "
            f"from read_csv('{csv}', all_varchar = true)) "
            f"to '{raw / 'detections' / 'a.parquet'}' (format parquet)"
        )
    csv.unlink()
    return raw


@pytest.fixture(scope="session")
def small_db(small_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse built from raw_small."""
    return build(small_raw, tmp_path_factory.mktemp("small_db") / "warehouse.duckdb").db


@pytest.fixture
def build_raw(tmp_path: Path) -> Callable[[Path], Path]:
    """Build a warehouse from a raw folder into this test's tmp folder."""

    def _build(raw: Path) -> Path:
        return build(raw, tmp_path / "warehouse.duckdb").db

    return _build


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """A seeded export with bad rows (140 days, so 90-day recurrence has
    final weeks), built: (raw folder, database, truth)."""
    from trustmart.generator import GeneratorConfig, generate

    root = tmp_path_factory.mktemp("generated")
    truth = generate(
        GeneratorConfig(out=root / "raw", seed=11, days=140, scale=0.7, bad_row_share=0.02)
    )
    db = build(root / "raw", root / "warehouse.duckdb").db
    return root / "raw", db, truth

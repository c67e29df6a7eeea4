"""Shared fixtures: build warehouses from raw exports in temporary folders."""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from trustmart.build import build
from trustmart.settings import QUIET_ENV

os.environ.update(QUIET_ENV)

# A pytest-xdist worker runs with a bare __main__ (no __spec__, no
# __file__). pyspark, which the Spark lane installs into the same .venv,
# takes that for its own doctest runner and exits the worker when
# great_expectations imports it (pyspark/sql/connect/utils.py,
# check_dependencies): give __main__ a file name so it does not.
_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<pytest-xdist worker>"

FIXTURES = Path(__file__).resolve().parent.parent / "data"


#: Columns stamped with the build's own run time.
RUN_TIME_COLUMNS = frozenset({"loaded_at", "built_at"})

#: Build bookkeeping written by trustmart itself, not by dbt.
BOOKKEEPING = frozenset(
    {
        "build_info",
        "build_raw_files",
        "dq_results",
        "entity_merges",
        "metric_parameter_changes",
        "previous_build_row_counts",
        "semantic_manifest",
    }
)


def relation_differences(
    first: Path,
    second: Path,
    *,
    schemas: tuple[str, ...] = ("marts",),
    significant_digits: int | None = None,
) -> dict[str, int]:
    """Rows of each table of `schemas` found in one warehouse and not in the
    other (except all, both ways), leaving out run-time columns and
    trustmart's bookkeeping tables; DOUBLE columns rounded to
    `significant_digits` unless None (bit for bit). Views are left out (they
    name their own catalog, so they cannot be read from an attached copy;
    they select from the tables compared)."""
    with duckdb.connect() as con:
        con.execute(f"attach '{first}' as first_build (read_only)")
        con.execute(f"attach '{second}' as second_build (read_only)")
        listing = (
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_catalog = ? and table_schema in (select unnest(?)) "
            "and table_type = 'BASE TABLE'"
        )
        relations = {
            catalog: {r[0] for r in con.execute(listing, [catalog, list(schemas)]).fetchall()}
            - {f"marts.{name}" for name in BOOKKEEPING}
            for catalog in ("first_build", "second_build")
        }
        assert relations["first_build"] == relations["second_build"]
        assert relations["first_build"], f"no relations in {schemas}"
        differences = {}
        for name in sorted(relations["first_build"]):
            schema, table = name.split(".")
            columns = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'first_build' and table_schema = ? "
                "and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            selected = []
            for column, data_type in columns:
                if column in RUN_TIME_COLUMNS:
                    continue
                c = f'"{column}"'
                if data_type == "DOUBLE" and significant_digits:
                    c = (
                        f"case when {c} = 0 or not isfinite({c}) then {c} else round({c}, "
                        f"{significant_digits - 1} - cast(floor(log10(abs({c}))) as integer)) end"
                    )
                selected.append(c)
            select = ", ".join(selected)
            for a, b in (("first_build", "second_build"), ("second_build", "first_build")):
                (differing,) = con.execute(
                    f"select count(*) from (select {select} from {a}.{name} "
                    f"except all select {select} from {b}.{name})"
                ).fetchone()
                if differing:
                    differences[f"{name} ({a} not in {b})"] = differing
        return differences


def query(db: Path, sql: str) -> list[tuple]:
    """Rows of `sql` against a built warehouse, opened read-only."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def shared_session_data(
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
    name: str,
    make: Callable[[Path], Any],
) -> Any:
    """`make(folder)` once per test run, even when pytest-xdist runs the
    tests in several processes: the first worker to ask builds it under a
    file lock in the run's shared temporary folder, and the others wait
    for it and reuse the (pickled) result. The tests only read what it
    holds (they copy a warehouse before changing it), so the processes can
    share it. Without xdist, a plain per-session folder."""
    if worker_id == "master":
        return make(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent
    folder, result = shared / name, shared / f"{name}.pickle"
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if result.exists():
            return pickle.loads(result.read_bytes())
        folder.mkdir()
        value = make(folder)
        result.write_bytes(pickle.dumps(value))
        return value


def _small_raw(root: Path) -> Path:
    raw = root / "raw"
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
def small_raw(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The hand-made raw_small export, with detections converted to Parquet
    so that Parquet, CSV and JSONL are all read."""
    return shared_session_data(tmp_path_factory, worker_id, "raw_small", _small_raw)


@pytest.fixture(scope="session")
def small_db(small_raw: Path, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The warehouse built from raw_small."""
    return shared_session_data(
        tmp_path_factory,
        worker_id,
        "small_db",
        lambda root: build(small_raw, root / "warehouse.duckdb").db,
    )


@pytest.fixture
def build_raw(tmp_path: Path) -> Callable[[Path], Path]:
    """Build a warehouse from a raw folder into this test's tmp folder."""

    def _build(raw: Path) -> Path:
        return build(raw, tmp_path / "warehouse.duckdb").db

    return _build


#: The seeded export of `generated` (140 days, so 90-day recurrence has
#: final weeks) and `generated_platform`.
GENERATED = {"seed": 11, "days": 140, "scale": 0.7, "bad_row_share": 0.02}


def _generated(root: Path) -> tuple[Path, Path, dict]:
    from trustmart.generator import GeneratorConfig, generate

    truth = generate(GeneratorConfig(out=root / "raw", **GENERATED))
    db = build(root / "raw", root / "warehouse.duckdb").db
    return root / "raw", db, truth


def _generated_platform(root: Path) -> tuple[Path, Path, dict]:
    from trustmart.config import load_config
    from trustmart.generator import GeneratorConfig, generate

    truth = generate(GeneratorConfig(out=root / "raw", vocabulary="platform", **GENERATED))
    config = load_config(root / "raw" / truth["vocabulary"]["config"])
    db = build(root / "raw", root / "warehouse.duckdb", config=config).db
    return root / "raw", db, truth


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Path, Path, dict]:
    """A seeded export with bad rows, built: (raw folder, database, truth)."""
    return shared_session_data(tmp_path_factory, worker_id, "generated", _generated)


@pytest.fixture(scope="session")
def generated_platform(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> tuple[Path, Path, dict]:
    """The same export in a platform's own vocabulary, built with the config
    the generator wrote beside it: (raw folder, database, truth)."""
    return shared_session_data(
        tmp_path_factory, worker_id, "generated_platform", _generated_platform
    )


def _retargeted(root: Path) -> tuple[Path, Path, Path]:
    from trustmart.config import load_config
    from trustmart.demo import demo_config
    from trustmart.generator import generate

    generate(demo_config(root / "raw", seed=5))
    first = build(root / "raw", root / "first" / "warehouse.duckdb").db
    rebuilt = root / "rebuilt" / "warehouse.duckdb"
    rebuilt.parent.mkdir()
    shutil.copy2(first, rebuilt)
    config = root / "trustmart.yml"
    config.write_text("severity_targets:\n  high: {p90: 2}\n")
    build(root / "raw", rebuilt, config=load_config(config))
    return root / "raw", first, rebuilt


@pytest.fixture(scope="session")
def retargeted(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Path, Path, Path]:
    """The demo's export (about 12 weeks ending yesterday) built with the
    built-in targets, and that warehouse rebuilt with a platform config
    that moves the high-severity P90 target from 8 h to 2 h, so the rebuild
    records a setting change: (raw folder, first build, rebuild). Read
    only: copy a warehouse before changing it."""
    return shared_session_data(tmp_path_factory, worker_id, "retargeted", _retargeted)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the modules that build the Evidence site (tests marked `report`,
    the longest) first: with pytest-xdist handing out whole modules
    (`--dist loadfile`, scripts/test.sh), a long module started last would
    leave the other worker idle at the end."""
    heavy = {item.module.__name__ for item in items if item.get_closest_marker("report")}
    items.sort(key=lambda item: item.module.__name__ not in heavy)

"""trustmart.publish: the one way `trustmart build` and `trustmart check`
publish a DuckDB file (a sibling draft, checkpointed, renamed over the
published file), on small files: readers see the old file until the rename,
a failed draft is kept or removed, its write-ahead log is folded in, and a
published file replaced meanwhile is never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from trustmart.errors import TrustmartError
from trustmart.publish import DatabaseDraft


def make_db(path: Path, value: int) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t as select ? as x", [value])
    return path


def value(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("select x from t").fetchone()
    assert row is not None
    return int(row[0])


def write(path: Path, new: int, *, keep_wal: bool = False) -> None:
    with duckdb.connect(str(path)) as con:
        if keep_wal:  # leave the write in the write-ahead log
            con.execute("checkpoint")
            con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute("update t set x = ?", [new])


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_readers_see_the_old_file_until_one_rename(tmp_path: Path) -> None:
    published = make_db(tmp_path / "warehouse.duckdb", 1)
    inode = published.stat().st_ino
    with DatabaseDraft(published, "checking", rerun="trustmart check") as draft:
        assert draft.path == tmp_path / ".warehouse.checking.duckdb"
        draft.copy_published()
        write(draft.path, 2)
        assert value(published) == 1 and published.stat().st_ino == inode
        draft.publish()
    assert value(published) == 2
    assert siblings(tmp_path) == ["warehouse.duckdb"]


def test_the_write_ahead_log_is_folded_in_before_the_rename(tmp_path: Path) -> None:
    published = make_db(tmp_path / "warehouse.duckdb", 1)
    with DatabaseDraft(published, "building") as draft:
        draft.copy_published()
        write(draft.path, 3, keep_wal=True)
        assert Path(f"{draft.path}.wal").exists()
        draft.publish()
    assert siblings(tmp_path) == ["warehouse.duckdb"]
    assert value(published) == 3


def test_a_failed_build_is_kept_and_a_later_publish_removes_it(tmp_path: Path) -> None:
    published = make_db(tmp_path / "warehouse.duckdb", 1)
    with pytest.raises(RuntimeError), DatabaseDraft(published, "building", keep_failed=True) as d:
        make_db(d.path, 5)
        raise RuntimeError("dbt failed")
    assert value(published) == 1
    assert siblings(tmp_path) == ["warehouse.duckdb", "warehouse.failed.duckdb"]
    assert value(tmp_path / "warehouse.failed.duckdb") == 5
    with DatabaseDraft(published, "building", keep_failed=True) as draft:
        make_db(draft.path, 6)
        draft.publish()
    assert siblings(tmp_path) == ["warehouse.duckdb"]
    assert value(published) == 6


def test_an_abandoned_check_leaves_nothing_behind(tmp_path: Path) -> None:
    published = make_db(tmp_path / "warehouse.duckdb", 1)
    with pytest.raises(RuntimeError), DatabaseDraft(published, "checking") as draft:
        draft.copy_published()
        write(draft.path, 2)
        raise RuntimeError("a suite failed to run")
    assert siblings(tmp_path) == ["warehouse.duckdb"]
    assert value(published) == 1


def test_a_stale_draft_is_removed_first(tmp_path: Path) -> None:
    published = make_db(tmp_path / "warehouse.duckdb", 1)
    stale = make_db(tmp_path / ".warehouse.building.duckdb", 9)
    Path(f"{stale}.wal").write_bytes(b"left by a killed build")
    with DatabaseDraft(published, "building") as draft:
        assert not draft.path.exists() and not Path(f"{draft.path}.wal").exists()
        make_db(draft.path, 2)
        draft.publish()
    assert value(published) == 2


def test_a_published_file_replaced_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    published = make_db(tmp_path / "warehouse.duckdb", 1)
    with (
        pytest.raises(TrustmartError) as failure,
        DatabaseDraft(published, "checking", rerun="trustmart check") as draft,
    ):
        draft.copy_published()
        write(draft.path, 2)
        rebuilt = make_db(tmp_path / "rebuilt.duckdb", 7)
        os.replace(rebuilt, published)  # a build published meanwhile
        draft.publish()
    assert "was replaced (rebuilt?)" in failure.value.what
    assert "Run `trustmart check` again" in failure.value.fix
    assert value(published) == 7
    assert siblings(tmp_path) == ["warehouse.duckdb"]

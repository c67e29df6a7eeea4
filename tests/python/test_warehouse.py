"""The warehouse seam (trustmart.warehouse): the same small API on a DuckDB
file and on Spark over a Thrift server."""

from __future__ import annotations

import builtins
import datetime as dt
import socket
import subprocess
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from trustmart.errors import TrustmartError
from trustmart.settings import project_dir
from trustmart.warehouse import (
    Warehouse,
    WarehouseError,
    open_duckdb,
    open_spark,
    open_warehouse,
)
from trustmart.warehouse.spark import pyformat, spark_address


@pytest.fixture
def tiny_db(tmp_path: Path) -> Path:
    """A DuckDB file with marts.tiny (a table), marts.tiny_view (a view)
    and staging.other (a table)."""
    path = tmp_path / "tiny.duckdb"
    with open_duckdb(path, read_only=False) as con:
        con.execute("create schema marts")
        con.execute("create schema staging")
        con.execute("create table marts.tiny (id integer, label varchar, seen date)")
        con.executemany(
            "insert into marts.tiny values (?, ?, ?)",
            [(1, "one", dt.date(2024, 1, 1)), (2, "two", dt.date(2024, 1, 2))],
        )
        con.execute("create view marts.tiny_view as select id from marts.tiny")
        con.execute("create table staging.other (x integer)")
    return path


def test_duckdb_catalog(tiny_db: Path) -> None:
    with open_duckdb(tiny_db) as con:
        assert con.target == "duckdb" and con.location == str(tiny_db)
        assert con.tables() == {"tiny"}  # base tables only, default schema marts
        assert con.tables("staging") == {"other"}
        assert con.tables("nowhere") == set()
        assert con.columns("tiny") == {"id", "label", "seen"}
        assert con.columns("tiny_view") == {"id"}
        assert con.columns("other", "staging") == {"x"}
        assert con.columns("absent") == set()


def test_duckdb_query_one_frame(tiny_db: Path) -> None:
    with open_duckdb(tiny_db) as con:
        assert con.query("select id, label from marts.tiny order by id") == [
            (1, "one"),
            (2, "two"),
        ]
        assert con.query("select label from marts.tiny where id = ?", [2]) == [("two",)]
        assert con.one("select count(*) from marts.tiny") == (2,)
        assert con.one("select id from marts.tiny where id > ?", [5]) is None
        frame = con.frame("select * from marts.tiny order by id")
        assert isinstance(frame, pd.DataFrame)
        assert list(frame.columns) == ["id", "label", "seen"]
        assert frame["label"].tolist() == ["one", "two"]


def test_duckdb_errors_keep_duckdbs_message(tiny_db: Path, tmp_path: Path) -> None:
    with open_duckdb(tiny_db) as con:
        with pytest.raises(WarehouseError, match="Table with name absent does not exist"):
            con.query("select * from marts.absent")
        with pytest.raises(WarehouseError, match="read-only"):
            con.execute("create table marts.more (x integer)")
    with pytest.raises(WarehouseError, match="database does not exist"):
        open_duckdb(tmp_path / "missing.duckdb")


def test_duckdb_read_write_and_close(tmp_path: Path) -> None:
    con = open_duckdb(tmp_path / "rw.duckdb", read_only=False)
    con.execute("create table t (x integer)")
    con.execute("insert into t values (?)", [7])
    assert con.one("select x from t") == (7,)
    con.close()
    con.close()  # again: a no-op
    with open_warehouse("duckdb", str(tmp_path / "rw.duckdb")) as again:
        assert isinstance(again, Warehouse) and again.read_only
        assert again.tables("main") == {"t"}


def test_pyformat_rewrites_placeholders_only_outside_literals() -> None:
    sql = "select '?', `a?` from t where b = ? and c like '%x' and d % 2 = ? -- ?"
    assert pyformat(sql) == (
        "select '?', `a?` from t where b = %s and c like '%%x' and d %% 2 = %s -- ?"
    )
    assert pyformat(sql) % ("'v'", 1) == (
        "select '?', `a?` from t where b = 'v' and c like '%x' and d % 2 = 1 -- ?"
    )


def test_spark_without_pyhive_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pyhive(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pyhive" or name.startswith("pyhive."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyhive)
    with pytest.raises(TrustmartError) as raised:
        open_spark()
    assert "PyHive" in raised.value.what
    assert "bash scripts/bootstrap.sh spark" in raised.value.fix


def test_spark_address_follows_the_profiles_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TRUSTMART_SPARK_HOST", "TRUSTMART_SPARK_PORT", "TRUSTMART_SPARK_USER"):
        monkeypatch.delenv(name, raising=False)
    assert spark_address() == ("127.0.0.1", 10000, "trustmart")
    monkeypatch.setenv("TRUSTMART_SPARK_HOST", "spark.example")
    monkeypatch.setenv("TRUSTMART_SPARK_PORT", "10001")
    assert spark_address()[:2] == ("spark.example", 10001)


# ------------------------------------------------------- Spark over a Thrift server


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def thrift_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A Spark Thrift server on TRUSTMART_SPARK_HOST/PORT (127.0.0.1:10000):
    the one running, else a local one started with scripts/spark-thrift.sh
    (and stopped afterwards, only then)."""
    pytest.importorskip("pyhive", reason="the Spark lane is not installed")
    host, port, _user = spark_address()
    if _answers(host, port):
        yield
        return
    if host not in ("127.0.0.1", "localhost"):
        pytest.skip(f"no Spark Thrift server answers on {host}:{port}")
    script = project_dir() / "scripts" / "spark-thrift.sh"
    # the script's output to a file, not a pipe: nothing waits for its end
    log = tmp_path_factory.mktemp("spark") / "spark-thrift.out"

    def run(action: str) -> subprocess.CompletedProcess[bytes]:
        with log.open("ab") as out:
            return subprocess.run(["bash", str(script), action], stdout=out, stderr=out)

    if run("start").returncode != 0:
        pytest.fail(f"the Spark Thrift server did not start:\n{log.read_text()}")
    try:
        yield
    finally:
        run("stop")


@pytest.mark.spark
def test_spark_seam_reads_back_a_tiny_table(thrift_server: None) -> None:
    scratch = f"trustmart_scratch_{uuid.uuid4().hex[:8]}"
    with open_spark() as con:
        assert con.target == "spark" and con.location.startswith("thrift://")
        con.execute(f"create database {scratch}")
        try:
            con.execute(
                f"create table {scratch}.tiny "
                "(id int, label string, seen date, at timestamp, share decimal(5, 2)) "
                "using parquet"
            )
            con.executemany(
                f"insert into {scratch}.tiny values (?, ?, date'2024-01-01', "
                "timestamp'2024-01-01 10:00:00', 1.50)",
                [(1, "one"), (2, "it's 100%")],
            )
            con.execute(f"create view {scratch}.tiny_view as select id from {scratch}.tiny")
            assert con.tables(scratch) == {"tiny"}
            assert con.tables("trustmart_no_such_database") == set()
            assert con.columns("tiny", scratch) == {"id", "label", "seen", "at", "share"}
            assert con.columns("tiny_view", scratch) == {"id"}
            assert con.columns("absent", scratch) == set()
            assert con.query(f"select id, label from {scratch}.tiny order by id") == [
                (1, "one"),
                (2, "it's 100%"),
            ]
            assert con.query(f"select label from {scratch}.tiny where id = ?", [2]) == [
                ("it's 100%",)
            ]
            assert con.one(f"select count(*) from {scratch}.tiny") == (2,)
            assert con.one(f"select seen, at, share from {scratch}.tiny where id = 1") == (
                dt.date(2024, 1, 1),
                dt.datetime(2024, 1, 1, 10),
                Decimal("1.50"),
            )
            frame = con.frame(f"select id, label from {scratch}.tiny order by id")
            assert list(frame.columns) == ["id", "label"]
            assert frame["id"].tolist() == [1, 2]
            with pytest.raises(WarehouseError, match=r"cannot be found|not found"):
                con.query(f"select * from {scratch}.absent")
        finally:
            con.execute(f"drop database if exists {scratch} cascade")

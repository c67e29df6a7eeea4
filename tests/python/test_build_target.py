"""`trustmart build --target`: the Spark target runs dbt with `--target spark`
in place, incremental when Spark's record of the last build allows it, and
says what it skips (no dbt run here: dbt is replaced by a recorder, and
Spark's `marts` by a DuckDB file read through the same warehouse seam)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trustmart import build as build_module
from trustmart.build import SPARK_SKIPPED, build
from trustmart.cli import app
from trustmart.config import LoadedConfig
from trustmart.config.schema import PlatformConfig
from trustmart.dbt_runner import DbtResult
from trustmart.errors import TrustmartError
from trustmart.warehouse import open_duckdb


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "reports").mkdir(parents=True)
    (folder / "reports" / "part-0.csv").write_text("report_id\nr1\n", encoding="utf-8")
    return folder


@pytest.fixture
def spark_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Spark's `marts` database, stood in for by a DuckDB file: the Spark
    build reads and writes its record of loaded files there through the
    warehouse seam, as it does on a Thrift server."""
    path = tmp_path / "spark-marts.duckdb"
    with open_duckdb(path, read_only=False) as con:
        con.execute("create schema marts")
    monkeypatch.setattr(build_module, "open_spark", lambda: open_duckdb(path, read_only=False))
    monkeypatch.setattr(build_module, "check_spark_lane", lambda: None)
    return path


def _recording_dbt(monkeypatch: pytest.MonkeyPatch, returncode: int = 0) -> list:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def recorder(args, *, env, log_path, on_progress=None, project=None):  # type: ignore[no-untyped-def]
        calls.append((list(args), dict(env)))
        return DbtResult(returncode, log_path, "boom")

    monkeypatch.setattr(build_module, "run_dbt", recorder)
    return calls


def test_spark_build_runs_dbt_with_the_spark_target_in_place(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spark_record: Path
) -> None:
    calls = _recording_dbt(monkeypatch)
    db = tmp_path / "data" / "warehouse.duckdb"
    config = LoadedConfig(PlatformConfig(), None)
    result = build(raw, db, config=config, target="spark")
    ((args, env),) = calls
    assert args[0] == "build"
    assert args[args.index("--target") + 1] == "spark"
    assert "--full-refresh" in args and "--vars" in args
    assert env == {"TRUSTMART_RAW_DIR": str(raw.resolve())}
    assert result.target == "spark" and result.db is None and not result.plan.incremental
    assert result.skipped == SPARK_SKIPPED
    assert not any(db.parent.glob("*.duckdb")) and not any(db.parent.glob(".*.duckdb"))
    # the record in Spark's marts: the next build of the same files plus a
    # new one is incremental (no --full-refresh), and records that
    (raw / "reports" / "part-1.csv").write_text("report_id\nr2\n", encoding="utf-8")
    second = build(raw, db, config=config, target="spark")
    assert second.plan.incremental and "1 new raw file" in second.plan.reason
    assert "--full-refresh" not in calls[1][0]
    with open_duckdb(spark_record) as con:
        assert con.query("select build_mode, raw_dir from marts.build_info") == [
            ("incremental", str(raw.resolve()))
        ]
        assert con.one("select count(*) from marts.build_raw_files") == (2,)
    assert build(raw, db, config=config, target="spark", full_refresh=True).plan.reason == (
        "full refresh asked for (--full-refresh)"
    )


def test_failed_spark_build_says_the_databases_were_written_in_place(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spark_record: Path
) -> None:
    config = LoadedConfig(PlatformConfig(), None)
    _recording_dbt(monkeypatch)
    build(raw, tmp_path / "w.duckdb", config=config, target="spark")
    calls = _recording_dbt(monkeypatch, returncode=1)
    with pytest.raises(TrustmartError, match="in place") as raised:
        build(raw, tmp_path / "w.duckdb", config=config, target="spark")
    assert "boom" in raised.value.what and "--target spark" in raised.value.fix
    assert "--full-refresh" not in calls[0][0]  # it started as an incremental build
    # a failed build leaves no record to continue from: the next one is full
    _recording_dbt(monkeypatch)
    after = build(raw, tmp_path / "w.duckdb", config=config, target="spark")
    assert not after.plan.incremental and "no record" in after.plan.reason


def test_spark_build_without_the_spark_lane_says_how_to_install_it(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(TrustmartError, match="dbt-spark") as raised:
        build(raw, tmp_path / "w.duckdb", target="spark")
    assert "bash scripts/bootstrap.sh spark" in raised.value.fix


def test_spark_build_without_a_thrift_server_says_how_to_start_one(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module.importlib.util, "find_spec", lambda name: object())
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("TRUSTMART_SPARK_HOST", "127.0.0.1")
    monkeypatch.setenv("TRUSTMART_SPARK_PORT", str(port))
    with pytest.raises(TrustmartError, match=f"127.0.0.1:{port}") as raised:
        build(raw, tmp_path / "w.duckdb", target="spark")
    assert "bash scripts/spark-thrift.sh start" in raised.value.fix
    assert "TRUSTMART_SPARK_HOST" in raised.value.fix


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_target_option_and_its_environment_variable(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    monkeypatch.setenv("TRUSTMART_TARGET", "oracle")
    result = runner.invoke(app, ["build", "--raw", str(raw), "--db", str(tmp_path / "w.duckdb")])
    # the console wraps long lines at the terminal's width: compare words
    assert result.exit_code != 0 and "Unknown build target 'oracle'" in _words(result.output)
    monkeypatch.delenv("TRUSTMART_TARGET")
    result = runner.invoke(
        app, ["build", "--target", "spark", "--raw", str(raw), "--export", str(tmp_path / "x")]
    )
    assert result.exit_code != 0 and "not offered with --target spark" in _words(result.output)

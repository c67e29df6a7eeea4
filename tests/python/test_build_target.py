"""`trustmart build --target`: the Spark target runs dbt with `--target spark`,
in full and in place, and says what it skips (no dbt run here: dbt is
replaced by a recorder)."""

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


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    (folder / "reports").mkdir(parents=True)
    (folder / "reports" / "part-0.csv").write_text("report_id\nr1\n", encoding="utf-8")
    return folder


def test_spark_build_runs_dbt_with_the_spark_target_in_place(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def recorder(args, *, env, log_path, on_progress=None, project=None):  # type: ignore[no-untyped-def]
        calls.append((list(args), dict(env)))
        return DbtResult(0, log_path, "")

    monkeypatch.setattr(build_module, "run_dbt", recorder)
    monkeypatch.setattr(build_module, "check_spark_lane", lambda: None)
    db = tmp_path / "data" / "warehouse.duckdb"
    result = build(raw, db, config=LoadedConfig(PlatformConfig(), None), target="spark")
    ((args, env),) = calls
    assert args[0] == "build"
    assert args[args.index("--target") + 1] == "spark"
    assert "--full-refresh" in args and "--vars" in args
    assert env == {"TRUSTMART_RAW_DIR": str(raw.resolve())}
    assert result.target == "spark" and result.db is None and not result.plan.incremental
    assert result.skipped == SPARK_SKIPPED
    assert not any(db.parent.glob("*.duckdb")) and not any(db.parent.glob(".*.duckdb"))


def test_failed_spark_build_says_the_databases_were_written_in_place(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        build_module,
        "run_dbt",
        lambda args, *, env, log_path, on_progress=None: DbtResult(1, log_path, "boom"),
    )
    monkeypatch.setattr(build_module, "check_spark_lane", lambda: None)
    with pytest.raises(TrustmartError, match="in place") as raised:
        build(
            raw, tmp_path / "w.duckdb", config=LoadedConfig(PlatformConfig(), None), target="spark"
        )
    assert "boom" in raised.value.what and "--target spark" in raised.value.fix


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

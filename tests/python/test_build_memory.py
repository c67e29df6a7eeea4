"""A build whose models run out of DuckDB's memory limit (trustmart.dbt_memory).

Two heavy models running at once on dbt's two threads can together ask for
more than DuckDB's one buffer pool holds, though each fits alone. The build
then runs the failed and skipped nodes again one at a time
(`dbt retry --threads 1`) and publishes; when memory runs out anyway, the
message says which models and what to change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import trustmart.build as build_module
from conftest import relation_differences
from trustmart.dbt_memory import (
    FIRST_RUN_RESULTS,
    dbt_threads,
    out_of_memory_fix,
    out_of_memory_nodes,
    retry_one_at_a_time,
)
from trustmart.dbt_runner import DbtResult

#: Small enough that the demo export's base models run out of memory
#: (measured: they fail at 40MB; the landing and the seeds still fit).
STARVED = "40MB"


def test_models_that_ran_out_of_memory_run_again_one_at_a_time(
    retargeted: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first `dbt build` gets a starved memory limit, so models fail
    with DuckDB's out-of-memory error; the retry (normal limit, one thread)
    finishes the build, and the warehouse equals an ordinary build's."""
    raw, ordinary, _rebuilt = retargeted
    real_run_dbt = build_module.run_dbt

    def starved_build(args, *, env, **kwargs) -> DbtResult:
        return real_run_dbt(args, env={**env, "TRUSTMART_MEMORY_LIMIT": STARVED}, **kwargs)

    monkeypatch.setattr(build_module, "run_dbt", starved_build)
    result = build_module.build(raw, tmp_path / "warehouse.duckdb")

    assert result.out_of_memory, "the starved run should have run out of memory"
    logs = tmp_path / "logs"
    assert "Out of Memory Error" in (logs / "dbt-build.log").read_text(encoding="utf-8")
    assert dbt_threads(logs / "dbt-build.log") == 2
    assert dbt_threads(logs / "dbt-retry.log") == 1
    first = json.loads((tmp_path / ".dbt-target" / FIRST_RUN_RESULTS).read_text(encoding="utf-8"))
    statuses = {r["status"] for r in first["results"]}
    assert {"error", "skipped"} <= statuses, statuses
    # every table equals the ordinary build's (run stamps aside)
    differences = relation_differences(
        result.db, ordinary, schemas=("staging", "intermediate", "marts")
    )
    assert differences == {}


def _failed_run(tmp_path: Path, threads: int, message: str) -> DbtResult:
    """A failed dbt run as the build leaves it: its log and run_results.json."""
    target = tmp_path / ".dbt-target"
    target.mkdir(parents=True)
    results = {
        "results": [
            {
                "unique_id": "model.trustmart.int_report_outcomes",
                "status": "error",
                "message": message,
            },
            {"unique_id": "model.trustmart.kpi_weekly.v1", "status": "skipped", "message": None},
            {
                "unique_id": "model.trustmart.int_object_timeline",
                "status": "success",
                "message": "OK",
            },
        ]
    }
    (target / "run_results.json").write_text(json.dumps(results), encoding="utf-8")
    log = tmp_path / "logs" / "dbt-build.log"
    log.parent.mkdir()
    log.write_text(f"00:00:01  Concurrency: {threads} threads (target='dev')\n", encoding="utf-8")
    return DbtResult(1, log, "Runtime Error in model int_report_outcomes")


OOM_MESSAGE = (
    "Runtime Error in model int_report_outcomes (models/...)\n  Out of Memory Error: could "
    "not allocate block of size 256.0 KiB (1.8 GiB/1.8 GiB used)"
)


def test_one_thread_out_of_memory_is_not_retried_and_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failed = _failed_run(tmp_path, threads=1, message=OOM_MESSAGE)
    monkeypatch.setenv("TRUSTMART_MEMORY_LIMIT", "3GB")
    target = tmp_path / ".dbt-target"
    result, retried = retry_one_at_a_time(failed, target, tmp_path / "logs", env={})
    assert (result, retried) == (failed, ())
    assert out_of_memory_nodes(target) == ("int_report_outcomes",)
    fix = out_of_memory_fix(target)
    assert fix is not None
    assert "int_report_outcomes" in fix and "(3GB)" in fix
    assert "TRUSTMART_MEMORY_LIMIT" in fix


def test_other_failures_are_not_retried(tmp_path: Path) -> None:
    failed = _failed_run(tmp_path, threads=2, message="Runtime Error: division by zero")
    target = tmp_path / ".dbt-target"
    assert retry_one_at_a_time(failed, target, tmp_path / "logs", env={}) == (failed, ())
    assert out_of_memory_fix(target) is None
    assert not (target / FIRST_RUN_RESULTS).exists()

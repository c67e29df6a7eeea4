"""Incremental builds (issue 7): a daily build that loads only the new raw
files gives exactly the warehouse a full build of the same files gives.

One generated export (seed 5, 35 days) is cut at its last day of ingestion:
the rows ingested before it stay in their files, the last day's rows move to
new "day drop" files, together with forced late rows: decisions re-delivered
with a changed action, pending appeals of earlier weeks now resolved, and
the decision of an appeal that was loaded before its decision (quarantined
as `unknown_enforcement` until the decision arrives), and an identity signal
that merges two account entities of the first build into one (the entities
of past weeks are restated). The export without the
day files is built (full), the day files are added and it is built again
(incremental), and the same files are built from scratch (`full_refresh`):
every table of the staging, intermediate and marts schemas must be equal
row for row, bit for bit.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import query, relation_differences
from support.day_drop import (
    FORCED,
    move_a_decision_late,
    write_merging_signal,
    write_redeliveries,
)
from trustmart.build import build
from trustmart.config import parse_config
from trustmart.config.dbt_vars import dbt_vars, vars_fingerprint
from trustmart.generator import GeneratorConfig, generate
from trustmart.generator.drops import deliver, hold_back_last_day
from trustmart.incremental import BuildInputs, code_fingerprint, plan_build, raw_files
from trustmart.settings import project_dir


@dataclass(frozen=True)
class Scenario:
    raw: Path
    day: str
    incremental_db: Path
    full_db: Path
    late_appeal_ids: list[str]
    redelivered_enforcement_ids: list[str]
    resolved_appeal_ids: list[str]
    merged_accounts: list[str]
    entities_before: list[str]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    raw = (tmp_path_factory.mktemp("incremental") / "raw").resolve()
    held = raw.parent / "day"
    generate(GeneratorConfig(out=raw, seed=5, days=35, scale=0.3, bad_row_share=0.01))
    day = str(hold_back_last_day(raw, held))
    late_file = move_a_decision_late(raw, held, day)
    incremental_db = raw.parent / "incremental" / "warehouse.duckdb"
    first = build(raw, incremental_db)
    assert not first.plan.incremental
    ids = {
        "late": query(
            incremental_db,
            "select appeal_id from staging.base_raw__appeals "
            "where quarantine_reason = 'unknown_enforcement' and enforcement_id in "
            f"(select enforcement_id from '{late_file}')",
        ),
    }
    write_redeliveries(incremental_db, held, day)
    merged = write_merging_signal(incremental_db, held, day)
    placeholders = ", ".join(f"'{a}'" for a in merged)
    before = query(
        incremental_db,
        "select entity_id from marts.dim_account_entities "
        f"where account_id in ({placeholders}) order by account_id",
    )
    deliver(held, raw)
    second = build(raw, incremental_db)
    assert second.plan.incremental, second.plan.reason
    full_db = build(raw, raw.parent / "full" / "warehouse.duckdb", full_refresh=True).db
    with duckdb.connect() as con:
        redelivered = con.execute(
            f"select enforcement_id from '{raw}/enforcements/{day}-z-redelivered.parquet'"
        ).fetchall()
        resolved = con.execute(
            f"select appeal_id from '{raw}/appeals/{day}-z-resolved.parquet'"
        ).fetchall()
    return Scenario(
        raw=raw,
        day=day,
        incremental_db=incremental_db,
        full_db=full_db,
        late_appeal_ids=sorted(r[0] for r in ids["late"]),
        redelivered_enforcement_ids=sorted(r[0] for r in redelivered),
        resolved_appeal_ids=sorted(r[0] for r in resolved),
        merged_accounts=merged,
        entities_before=[r[0] for r in before],
    )


def test_the_day_drop_holds_late_and_redelivered_rows(scenario: Scenario) -> None:
    """The scenario is not trivial: late appeals waiting for their decision,
    decisions re-delivered with a change, appeals resolved weeks later."""
    assert scenario.late_appeal_ids
    assert len(scenario.redelivered_enforcement_ids) == FORCED
    assert len(scenario.resolved_appeal_ids) == FORCED
    (mode,) = query(scenario.incremental_db, "select build_mode from marts.build_info")[0]
    assert mode == "incremental"


def test_incremental_build_equals_full_build(scenario: Scenario) -> None:
    differences = relation_differences(
        scenario.incremental_db,
        scenario.full_db,
        schemas=("staging", "intermediate", "marts"),
        significant_digits=None,
    )
    assert differences == {}


def test_late_rows_took_effect(scenario: Scenario) -> None:
    """The incremental build did apply the day: the waiting appeals are
    staged, the re-delivered decisions superseded their first version, and
    the resolved appeals are resolved."""
    db = scenario.incremental_db
    placeholders = ", ".join(f"'{i}'" for i in scenario.late_appeal_ids)
    fates = query(
        db,
        "select distinct row_status, quarantine_reason from staging.base_raw__appeals "
        f"where appeal_id in ({placeholders})",
    )
    assert ("staged", None) in fates
    assert all(reason != "unknown_enforcement" for _, reason in fates)
    redelivered = ", ".join(f"'{i}'" for i in scenario.redelivered_enforcement_ids)
    rows = query(
        db,
        "select enforcement_id, list(row_status order by ingested_at) "
        f"from staging.base_raw__enforcements where enforcement_id in ({redelivered}) "
        "group by enforcement_id",
    )
    assert len(rows) == FORCED
    for enforcement_id, statuses in rows:
        assert statuses[-1] == "staged", enforcement_id
        assert "superseded" in statuses[:-1], enforcement_id
    resolved = ", ".join(f"'{i}'" for i in scenario.resolved_appeal_ids)
    statuses = query(
        db, f"select distinct status from staging.stg_raw__appeals where appeal_id in ({resolved})"
    )
    assert statuses == [("reversed",)]


def test_a_new_signal_merged_two_entities(scenario: Scenario) -> None:
    """The day's signal joined two entities of the first build: the
    incremental build (equal to the full one above) has them as one, and
    says one entity of the previous build merged into another."""
    assert len(set(scenario.entities_before)) == 2
    placeholders = ", ".join(f"'{a}'" for a in scenario.merged_accounts)
    after = query(
        scenario.incremental_db,
        "select distinct entity_id from marts.dim_account_entities "
        f"where account_id in ({placeholders})",
    )
    assert after == [(min(scenario.merged_accounts),)]
    (merged,) = query(scenario.incremental_db, "select merged_entities from marts.entity_merges")[0]
    assert merged >= 1
    (fresh,) = query(scenario.full_db, "select merged_entities from marts.entity_merges")[0]
    assert fresh == 0


def test_a_build_is_full_when_anything_it_loaded_changed(
    scenario: Scenario, tmp_path: Path
) -> None:
    db = scenario.incremental_db

    def plan(raw: Path, *, published: Path = db, full_refresh: bool = False, config: str = ""):
        settings = dbt_vars(parse_config(config, Path("t.yml")))
        inputs = BuildInputs(
            code_fingerprint(project_dir()), vars_fingerprint(settings), raw_files(raw)
        )
        return plan_build(published, raw, inputs, full_refresh=full_refresh)

    assert plan(scenario.raw).incremental
    assert not plan(scenario.raw, full_refresh=True).incremental
    assert not plan(scenario.raw, published=tmp_path / "none.duckdb").incremental
    changed_config = plan(scenario.raw, config="severity_targets: {high: {p90: 6}}")
    assert not changed_config.incremental
    assert "platform config" in changed_config.reason
    moved = tmp_path / "raw"
    shutil.copytree(scenario.raw, moved)
    moved_plan = plan(moved)
    assert not moved_plan.incremental
    assert "raw export folder changed" in moved_plan.reason
    touched = next((scenario.raw / "reports").glob("*-a.parquet"))
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    try:
        touched_plan = plan(scenario.raw)
        assert not touched_plan.incremental
        assert f"reports/{touched.name}" in touched_plan.reason
    finally:
        os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_the_code_fingerprint_follows_models_macros_and_seeds(tmp_path: Path) -> None:
    for name in ("models", "macros", "seeds"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.sql").write_text("select 1")
    (tmp_path / "dbt_project.yml").write_text("name: x")
    before = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == before
    (tmp_path / "macros" / "a.sql").write_text("select 2")
    assert code_fingerprint(tmp_path) != before

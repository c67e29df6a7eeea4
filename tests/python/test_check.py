"""`trustmart check`: suites, results in marts.dq_results, atomic publish,
data docs, and that tampered marts fail the right check."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import query
from trustmart.cli import app
from trustmart.errors import TrustmartError
from trustmart.quality.freshness import parse_sources
from trustmart.quality.history import record_build, recorded_raw_dir
from trustmart.quality.runner import CheckOutcome, run_check
from trustmart.quality.summary import print_check_summary
from trustmart.warehouse import open_duckdb

# raw_small quarantines up to 5 of 9 rows per table on purpose; a threshold
# above that keeps the quarantine checks green where they are not the point.
LENIENT = 0.6
SUITES = {
    "kpi_weekly",
    "kpi_weekly_percentiles",
    "kpi_weekly_completeness",
    "kpi_daily",
    "kpi_daily_completeness",
    "metric_coverage",
    "fct_raw_reconciliation",
    "quarantine_share",
    "raw_load",
    "kpi_alerts",
    "row_counts",
    "source_freshness",
}
# Fails on raw_small until fct_prevalence_weekly caps its rule-of-three upper
# bound (3 / n_eff) at 1; see test_rate_upper_bounds_within_0_1.
KNOWN_MODEL_ISSUE = "kpi_weekly.rate_upper_bound_within_0_1"


def copy_db(small_db: Path, folder: Path) -> Path:
    """A private copy of the small warehouse (check rewrites its file)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "warehouse.duckdb"
    shutil.copyfile(small_db, db)
    return db


def tamper(db: Path, *statements: str) -> None:
    with duckdb.connect(str(db)) as con:
        for sql in statements:
            con.execute(sql)


def statuses(db: Path) -> dict[str, str]:
    """suite.check -> status of the latest run."""
    rows = query(
        db,
        "select suite || '.' || check_name, status from marts.dq_results "
        "where run_at = (select max(run_at) from marts.dq_results)",
    )
    return dict(rows)


@pytest.fixture(scope="module")
def checked(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> CheckOutcome:
    """One full check (with dbt source freshness) of a copy of raw_small."""
    db = copy_db(small_db, tmp_path_factory.mktemp("checked"))
    return run_check(db, max_quarantine_share=LENIENT)


def test_results_land_in_dq_results_for_every_suite(checked: CheckOutcome) -> None:
    rows = query(
        checked.db,
        "select suite, check_name, severity, status, observed_value, threshold "
        "from marts.dq_results",
    )
    assert {row[0] for row in rows} == SUITES
    assert len(rows) == len(checked.rows)
    assert {row[2] for row in rows} <= {"error", "warning"}
    assert {row[3] for row in rows} <= {"pass", "warn", "fail", "skip"}
    status = statuses(checked.db)
    assert status["kpi_weekly.rate_within_0_1"] == "pass"
    assert status["kpi_weekly.ci_low_le_value"] == "pass"
    assert status["kpi_weekly_percentiles.p50_le_p90"] == "pass"
    assert status["kpi_weekly_completeness.overall_row_every_week"] == "pass"
    assert status["kpi_daily_completeness.overall_row_every_day"] == "pass"
    assert status["fct_raw_reconciliation.all_rows_reconciled"] == "pass"
    assert status["quarantine_share.reports"] == "pass"
    assert status["kpi_alerts.no_critical_alerts"] == "pass"
    # recurrence needs 30/90 days of history; raw_small has three days
    assert status["metric_coverage.registered_metric_published"] == "warn"
    # no previous build was recorded in this warehouse
    assert status["row_counts.previous_build"] == "skip"
    # error-level checks pass on the clean fixture
    assert {r.qualified_name for r in checked.failed_errors} <= {KNOWN_MODEL_ISSUE}


def test_source_freshness_per_table_is_a_warning(checked: CheckOutcome) -> None:
    fresh = {r.check_name: r for r in checked.rows if r.suite == "source_freshness"}
    assert set(fresh) == {"reports", "detections", "enforcements", "appeals"}
    for result in fresh.values():
        # the fixture's ingested_at is in January 2026: always stale
        assert (result.severity, result.status) == ("warning", "warn")
        assert result.observed_value and result.observed_value.endswith(" h")
        assert result.threshold == "warn after 48 hour(s)"
        assert "latest ingested_at 2026-01-0" in (result.details or "")


def test_quarantine_share_observed_per_table(checked: CheckOutcome) -> None:
    reports = next(r for r in checked.rows if r.qualified_name == "quarantine_share.reports")
    assert reports.observed_value == "0.555556"
    assert reports.threshold == f"<= {LENIENT:g}"
    assert reports.details == "5 of 9 raw rows quarantined; 1 of them with unknown codes"
    # the fix names the unknown codes and the config line that would map them
    assert "reporter_type 'robot' (1 rows)" in reports.fix
    assert "codes.reporter_type.robot: <contract value>" in reports.fix


def test_data_docs_and_atomic_publish(checked: CheckOutcome) -> None:
    assert checked.data_docs == checked.db.parent / "quality" / "data_docs" / "index.html"
    html = checked.data_docs.read_text(encoding="utf-8")
    assert "kpi_weekly_completeness" in html and "quarantine_share" in html
    leftovers = [p.name for p in checked.db.parent.iterdir() if ".checking." in p.name]
    assert leftovers == []


def test_summary_names_suites_and_problems(checked: CheckOutcome) -> None:
    console = Console(record=True, width=200)
    print_check_summary(checked, console)
    text = console.export_text()
    assert "quarantine_share" in text and "source_freshness.reports" in text
    assert str(checked.data_docs) in text


def test_cli_table_rows_stay_whole_in_a_log(small_db: Path, tmp_path: Path) -> None:
    """`trustmart check` printing to a pipe (CliRunner: not a terminal, no
    COLUMNS): each failed check's row is one line, with its threshold and
    details, not folded at 80 columns."""
    db = copy_db(small_db, tmp_path)
    result = CliRunner().invoke(
        app,
        ["check", "--db", str(db), "--no-freshness", "--max-quarantine-share", "0"],
        env={"COLUMNS": None, "TRUSTMART_CONFIG": None},
    )
    assert result.exit_code == 1, result.output
    sql = "select suite || '.' || check_name, details from marts.dq_results where status = 'fail'"
    failed = dict(query(db, sql))
    assert "quarantine_share.reports" in failed
    lines = result.stdout.splitlines()
    for name, details in failed.items():
        rows = [line for line in lines if f" {name} " in line]
        assert len(rows) == 1, (name, rows)
        assert details[:300] in rows[0], (name, rows[0])
    assert max(len(line) for line in lines) > 80


def test_rate_upper_bounds_within_0_1(checked: CheckOutcome) -> None:
    assert KNOWN_MODEL_ISSUE not in {r.qualified_name for r in checked.failed_errors}


def test_history_is_appended(small_db: Path, tmp_path: Path) -> None:
    db = copy_db(small_db, tmp_path)
    first = run_check(db, LENIENT, freshness=False)
    second = run_check(db, LENIENT, freshness=False)
    runs = query(db, "select run_at, count(*) from marts.dq_results group by 1 order by 1")
    assert [count for _, count in runs] == [len(first.rows), len(second.rows)]
    assert runs[0][0] < runs[1][0]


@pytest.mark.parametrize(
    ("statements", "threshold", "failed_check", "detail"),
    [
        pytest.param(
            [
                "update marts.kpi_weekly set value = 1.7 "
                "where metric_id = 'appeal_rate' and dimension = 'overall'"
            ],
            LENIENT,
            "kpi_weekly.rate_within_0_1",
            "appeal_rate v1 overall=all 2026-01-05 (rate_value=1.7)",
            id="rate-out-of-range",
        ),
        pytest.param(
            [
                "delete from marts.kpi_weekly "
                "where metric_id = 'appeal_rate' and dimension = 'overall'"
            ],
            LENIENT,
            "kpi_weekly_completeness.overall_row_every_week",
            "appeal_rate v1 overall 2026-01-05",
            id="missing-overall-week",
        ),
        pytest.param(
            [
                "update marts.kpi_weekly set value = 99 "
                "where metric_id = 'tta_p50_hours' and dimension = 'overall'"
            ],
            LENIENT,
            "kpi_weekly_percentiles.p50_le_p90",
            "tta_pNN_hours v1 overall=all 2026-01-05",
            id="p50-above-p90",
        ),
        pytest.param(
            [
                "update marts.fct_raw_reconciliation set is_reconciled = false, "
                "unaccounted_rows = 1 where source_table = 'appeals'"
            ],
            LENIENT,
            "fct_raw_reconciliation.all_rows_reconciled",
            "appeals",
            id="unreconciled",
        ),
        pytest.param(
            [
                # the contract's not-null constraint refuses this update, so
                # the table is first rewritten without it, as a tool other
                # than dbt might: the check still catches the null
                "create or replace table marts.kpi_weekly as select * from marts.kpi_weekly",
                "update marts.kpi_weekly set dimension_value = null "
                "where metric_id = 'appeal_rate' and dimension = 'category'",
            ],
            LENIENT,
            "kpi_weekly.dimension_value_not_null",
            "appeal_rate v1 category=null 2026-01-05",
            id="null-dimension-value",
        ),
        pytest.param([], 0.01, "quarantine_share.reports", "5 of 9 raw rows", id="quarantine"),
    ],
)
def test_tampered_marts_fail_the_named_check(
    small_db: Path,
    tmp_path: Path,
    statements: list[str],
    threshold: float,
    failed_check: str,
    detail: str,
) -> None:
    db = copy_db(small_db, tmp_path)
    tamper(db, *statements)
    outcome = run_check(db, threshold, freshness=False)
    failed = {r.qualified_name: r for r in outcome.failed_errors}
    assert failed_check in failed
    assert failed[failed_check].status == "fail"
    assert detail in (failed[failed_check].details or "")
    assert statuses(db)[failed_check] == "fail"
    error = outcome.error()
    assert error is not None and failed_check in error.what and error.fix


def test_row_counts_against_previous_build_warn(small_db: Path, tmp_path: Path) -> None:
    db = copy_db(small_db, tmp_path)
    (weekly,) = query(db, "select count(*) from marts.kpi_weekly")[0]
    (daily,) = query(db, "select count(*) from marts.kpi_daily")[0]
    tamper(
        db,
        "create table marts.previous_build_row_counts (relation_name varchar, row_count bigint)",
        f"insert into marts.previous_build_row_counts values "
        f"('kpi_weekly', {weekly * 3}), ('kpi_daily', {daily}), ('dropped_mart', 10)",
    )
    outcome = run_check(db, LENIENT, freshness=False)
    by_name = {r.qualified_name: r for r in outcome.rows}
    assert by_name["row_counts.kpi_weekly"].status == "warn"
    assert by_name["row_counts.kpi_weekly"].observed_value == "0.333333"
    assert by_name["row_counts.kpi_daily"].status == "pass"
    assert by_name["row_counts.dropped_mart"].status == "warn"
    assert "no longer exists" in (by_name["row_counts.dropped_mart"].details or "")
    assert not any(r.suite == "row_counts" for r in outcome.failed_errors)


def test_failed_check_leaves_published_db_untouched(small_db: Path, tmp_path: Path) -> None:
    db = copy_db(small_db, tmp_path)
    tamper(db, "drop table marts.kpi_alerts")
    before = db.read_bytes()
    with pytest.raises(TrustmartError, match=r"marts\.kpi_alerts"):
        run_check(db, LENIENT, freshness=False)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


def test_missing_db_and_bad_threshold(tmp_path: Path) -> None:
    with pytest.raises(TrustmartError, match="trustmart build"):
        run_check(tmp_path / "absent.duckdb")
    with pytest.raises(TrustmartError, match="not in"):
        run_check(tmp_path / "absent.duckdb", max_quarantine_share=5)


def test_record_build_keeps_counts_history_and_raw_dir(
    small_db: Path, small_raw: Path, tmp_path: Path
) -> None:
    previous = copy_db(small_db, tmp_path / "previous")
    run_check(previous, LENIENT, freshness=False)
    (history,) = query(previous, "select count(*) from marts.dq_results")[0]
    building = copy_db(small_db, tmp_path / "building")
    with open_duckdb(building) as con:
        assert recorded_raw_dir(con) == small_raw  # read from the raw views
    record_build(previous=previous, building=building, raw=tmp_path / "raw")
    counts = dict(query(building, "select * from marts.previous_build_row_counts"))
    assert counts["kpi_weekly"] == query(previous, "select count(*) from marts.kpi_weekly")[0][0]
    assert "dq_results" not in counts
    assert query(building, "select count(*) from marts.dq_results")[0][0] == history
    (raw_dir, built_at, data_end_at, mode) = query(
        building, "select raw_dir, built_at, data_end_at, build_mode from marts.build_info"
    )[0]
    assert raw_dir == str((tmp_path / "raw").resolve()) and built_at and data_end_at
    assert mode == "full"
    with open_duckdb(building) as con:
        assert recorded_raw_dir(con) == (tmp_path / "raw").resolve()


def test_parse_sources_maps_dbt_statuses() -> None:
    document = {
        "results": [
            {
                "unique_id": "source.trustmart.raw.reports",
                "status": "pass",
                "max_loaded_at": "2026-01-07T10:00:00+00:00",
                "max_loaded_at_time_ago_in_s": 7200.0,
                "criteria": {"warn_after": {"count": 48, "period": "hour"}, "error_after": {}},
            },
            {
                "unique_id": "source.trustmart.raw.appeals",
                "status": "runtime error",
                "error": "Binder Error: column ingested_at not found",
            },
        ]
    }
    appeals, reports = parse_sources(document)
    assert (reports.check_name, reports.status, reports.observed_value) == (
        "reports",
        "pass",
        "2.0 h",
    )
    assert (appeals.status, appeals.severity) == ("warn", "warning")
    assert "Binder Error" in (appeals.details or "")

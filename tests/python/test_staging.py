"""Staging on the hand-made raw_small export: every row's fate, worked out
by hand in tests/fixtures/raw_small/README.md."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from conftest import FIXTURES, query
from trustmart.errors import TrustmartError


def test_every_rule_quarantines_with_its_reason(small_db: Path) -> None:
    rows = query(
        small_db,
        "select source_table, reason, reason_detail from marts.fct_quarantined_rows order by 1, 2",
    )
    assert [(t, r) for t, r, _ in rows] == [
        ("appeals", "resolved_before_appealed"),
        ("appeals", "unknown_enforcement"),
        ("detections", "invalid_value"),
        ("enforcements", "missing_value"),
        ("prevalence_samples", "probability_out_of_range"),
        ("qa_reviews", "unknown_enforcement"),
        ("reports", "duplicate_key"),
        ("reports", "event_after_ingestion"),
        ("reports", "null_key"),
        ("reports", "unknown_code"),
        ("reports", "unparsable_timestamp"),
        ("views_daily", "duplicate_key"),
    ]
    details = {(t, r): d for t, r, d in rows}
    assert details[("reports", "unknown_code")] == "reporter_type: robot"
    assert details[("reports", "unparsable_timestamp")] == "reported_at: garbage"
    assert details[("appeals", "unknown_enforcement")] == "enforcement_id e9"
    assert details[("prevalence_samples", "probability_out_of_range")] == (
        "inclusion_probability: 0"
    )


def test_quarantined_rows_keep_the_raw_row(small_db: Path) -> None:
    (raw_row,) = query(
        small_db,
        "select raw_row::varchar from marts.fct_quarantined_rows where reason = 'unknown_code'",
    )[0]
    assert '"report_id":"r4"' in raw_row
    assert '"reporter_type":"robot"' in raw_row


def test_reconciliation_is_exact(small_db: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in query(
            small_db,
            "select source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows, "
            "is_reconciled from marts.fct_raw_reconciliation",
        )
    }
    assert rows["reports"] == (9, 3, 5, 1, True)
    assert rows["appeals"] == (4, 1, 2, 1, True)
    assert rows["views_daily"] == (2, 1, 1, 0, True)
    assert rows["qa_reviews"] == (2, 1, 1, 0, True)
    assert rows["account_signals"] == (0, 0, 0, 0, True)
    assert all(r[-1] for r in rows.values())


def test_redelivery_keeps_latest_version_once(small_db: Path) -> None:
    reports = query(
        small_db,
        "select report_id, reported_category, ingested_at from staging.stg_raw__reports "
        "order by report_id",
    )
    assert [r[0] for r in reports] == ["r1", "r2", "r6"]
    assert reports[1][1:] == ("harassment", datetime(2026, 1, 6, 10, 30))
    appeal = query(small_db, "select appeal_id, status, resolved_at from staging.stg_raw__appeals")
    assert appeal == [("ap1", "reversed", datetime(2026, 1, 7, 10, 0))]
    views = query(
        small_db, "select view_date::varchar, surface, views from staging.stg_raw__views_daily"
    )
    assert views == [("2026-01-05", "feed", 1200)]


def test_offsets_convert_to_utc_and_codes_normalise(small_db: Path) -> None:
    rows = dict(query(small_db, "select report_id, reported_at from staging.stg_raw__reports"))
    assert rows["r2"] == datetime(2026, 1, 5, 10, 0)  # 12:00+02:00
    assert rows["r6"] == datetime(2026, 1, 5, 15, 0)  # 10:00-05:00
    surface = query(small_db, "select surface from staging.stg_raw__reports where report_id = 'r6'")
    assert surface == [("comments",)]


def test_extra_columns_pass_through_staging(small_db: Path) -> None:
    rows = dict(query(small_db, "select report_id, extra_col from staging.stg_raw__reports"))
    assert rows == {"r1": "x", "r2": None, "r6": None}


def test_parquet_input_is_typed_and_checked(small_db: Path) -> None:
    assert query(small_db, "select detection_id, score from staging.stg_raw__detections") == [
        ("d1", 0.9)
    ]


def test_missing_required_column_names_table_file_and_column(tmp_path: Path, build_raw) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "raw_small", raw)
    report_csv = raw / "reports" / "a.csv"
    lines = report_csv.read_text().splitlines()
    header = lines[0].split(",")
    drop = header.index("surface")
    report_csv.write_text(
        "\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in lines)
        + "\n"
    )
    with pytest.raises(TrustmartError) as failure:
        build_raw(raw)
    message = str(failure.value)
    assert "reports" in message
    assert str(report_csv) in message
    assert "missing required column(s) surface" in message
    assert not (tmp_path / "warehouse.duckdb").exists()


@pytest.mark.parametrize("make_dir", [False, True])
def test_empty_or_missing_raw_folder_says_what_to_do(
    tmp_path: Path, build_raw, make_dir: bool
) -> None:
    raw = tmp_path / "raw"
    if make_dir:
        (raw / "reports").mkdir(parents=True)
    with pytest.raises(TrustmartError) as failure:
        build_raw(raw)
    assert "trustmart generate" in str(failure.value)
    assert "--raw" in str(failure.value)

"""Staging on a generated export with every kind of bad row: quarantine,
re-deliveries and reconciliation agree exactly with the generator's counts."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import query
from trustmart.build import build
from trustmart.generator import GeneratorConfig, generate


def test_every_bad_row_is_quarantined_with_its_reason(generated) -> None:
    _, db, truth = generated
    counted = {
        (table, reason): count
        for table, reason, count in query(
            db,
            "select source_table, reason, count(*) from marts.fct_quarantined_rows group by all",
        )
    }
    expected = {
        (table, reason): count
        for table, reasons in truth["bad_rows"].items()
        for reason, count in reasons.items()
        if count
    }
    assert counted == expected
    assert sum(expected.values()) > 500


def test_reconciliation_matches_the_generator_exactly(generated) -> None:
    _, db, truth = generated
    rows = query(
        db,
        "select source_table, raw_rows, staged_rows, superseded_rows, quarantined_rows, "
        "is_reconciled from marts.fct_raw_reconciliation",
    )
    for table, raw, staged, superseded, quarantined, reconciled in rows:
        assert reconciled, table
        assert raw == truth["raw_rows"][table], table
        assert superseded == truth["superseded_rows"][table], table
        assert staged == truth["expected_staged_rows"][table], table
        assert quarantined == sum(truth["bad_rows"][table].values()), table


def test_redelivered_rows_are_not_double_counted(generated) -> None:
    _, db, truth = generated
    assert truth["superseded_rows"]["appeals"] > 0
    assert truth["superseded_rows"]["enforcements"] > 0
    (distinct_ids, rows) = query(
        db, "select count(distinct enforcement_id), count(*) from staging.stg_raw__enforcements"
    )[0]
    assert distinct_ids == rows == truth["expected_staged_rows"]["enforcements"]
    # every re-delivered appeal keeps only its latest state
    (pending_with_resolution,) = query(
        db,
        "select count(*) from staging.stg_raw__appeals "
        "where status = 'pending' and resolved_at is not null",
    )[0]
    assert pending_with_resolution == 0


def test_offsets_convert_to_utc(generated) -> None:
    raw, db, truth = generated
    assert truth["offset_rows"]["reports"] > 0

    def utc(text: str) -> datetime:
        return datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None)

    with_offsets = query(
        db,
        f"""
        select report_id, reported_at, ingested_at
        from read_parquet('{raw}/reports/*.parquet')
        where regexp_matches(reported_at, '[+-]\\d\\d:\\d\\d$')
        """,
    )
    staged = {
        r[0]: r[1:]
        for r in query(
            db, "select report_id, reported_at, ingested_at from staging.stg_raw__reports"
        )
    }
    checked = 0
    for report_id, reported_text, ingested_text in with_offsets:
        if report_id in staged and staged[report_id][1] == utc(ingested_text):
            assert staged[report_id][0] == utc(reported_text), reported_text
            checked += 1
    assert checked > 10


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_csv_and_jsonl_exports_reconcile(tmp_path: Path, fmt: str) -> None:
    truth = generate(
        GeneratorConfig(
            out=tmp_path / "raw", seed=5, days=14, scale=0.1, fmt=fmt, bad_row_share=0.03
        )
    )
    assert any(p.suffix == f".{fmt}" for p in (tmp_path / "raw" / "reports").iterdir())
    db = build(tmp_path / "raw", tmp_path / "warehouse.duckdb").db
    counted = dict(
        query(db, "select source_table, count(*) from marts.fct_quarantined_rows group by all")
    )
    for table, reasons in truth["bad_rows"].items():
        assert counted.get(table, 0) == sum(reasons.values()), table
    staged = dict(query(db, "select source_table, staged_rows from marts.fct_raw_reconciliation"))
    assert staged == truth["expected_staged_rows"]


def test_a_drop_split_into_many_files_reads_the_same(tmp_path: Path, generated) -> None:
    raw, db, _ = generated
    split = tmp_path / "raw"
    shutil.copytree(raw, split)
    first = sorted((split / "reports").glob("*.parquet"))[0]
    from duckdb import connect

    with connect() as con:
        con.execute(
            f"copy (select *, row_number() over () % 40 as part from read_parquet('{first}')) "
            f"to '{tmp_path / 'parts'}' (format parquet, partition_by (part))"
        )
    first.unlink()
    for i, part in enumerate(sorted((tmp_path / "parts").rglob("*.parquet"))):
        shutil.move(part, split / "reports" / f"{first.stem}-part{i:03d}.parquet")
    split_db = build(split, tmp_path / "warehouse.duckdb").db
    sql = (
        "select source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows "
        "from marts.fct_raw_reconciliation order by 1"
    )
    assert query(split_db, sql) == query(db, sql)

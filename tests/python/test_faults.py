"""Fault injection (issue 4): every kind of bad input, injected with known
counts into a small clean generated export, is accounted for exactly.

One clean export (seed 3, 21 days, scale 0.15, no bad rows) is generated;
each row-level fault is written as its own CSV file in the right table
folder, so every fault is traceable through `_source_file` /
fct_quarantined_rows.source_file. The faulty export is built twice (the
two builds must agree exactly); the clean export plus an empty drop is built
once more, and serves as the "previously published" warehouse for the
failure cases (missing required column, build killed part-way).
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from conftest import query, relation_differences
from trustmart.build import build
from trustmart.errors import TrustmartError
from trustmart.generator import GeneratorConfig, generate
from trustmart.settings import tool_env

CLEAN = {"seed": 3, "days": 21, "scale": 0.15, "bad_row_share": 0.0}
SKEW = timedelta(minutes=60)  # var clock_skew_minutes in dbt_project.yml

#: Per injected file: its table and the fate of its rows (the quarantine
#: reason, else `staged` or `superseded`), exactly.
FAULTS: dict[str, tuple[str, dict[str, int]]] = {
    "null-keys": ("reports", {"null_key": 3}),
    "duplicate-ids": ("reports", {"duplicate_key": 3}),
    "redelivered-changed": ("reports", {"staged": 4}),
    "redelivered-stale": ("reports", {"superseded": 2}),
    "redelivered-same-ingested-at": ("reports", {"staged": 2}),
    "unknown-codes": ("reports", {"unknown_code": 4, "staged": 1}),
    "unparsable-timestamps": ("reports", {"unparsable_timestamp": 5}),
    "offsets": ("reports", {"staged": 3}),
    "event-after-ingestion": ("reports", {"event_after_ingestion": 2, "staged": 1}),
    "unknown-enforcement": ("appeals", {"unknown_enforcement": 3}),
    "probabilities": ("prevalence_samples", {"probability_out_of_range": 4, "staged": 1}),
    "extra-column": ("detections", {"staged": 3}),
}
#: Re-deliveries also change the fate of the rows they re-deliver: the 4
#: originals of `redelivered-changed` are superseded (older ingested_at); the
#: 2 originals of `redelivered-same-ingested-at` lose the tie to the later
#: file name and are quarantined as duplicate_key.
REPLACED_ORIGINALS = {"superseded": 4, "duplicate_key": 2}
SPLIT_PARTS = 20

OFFSETS = {
    "+05:30": timezone(timedelta(hours=5, minutes=30)),
    "-08:00": timezone(timedelta(hours=-8)),
    "+13:45": timezone(timedelta(hours=13, minutes=45)),
}
BAD_TIMESTAMPS = ("not-a-date", "2026-02-30T10:00:00Z", "2026-01-05T25:61:00Z", "2026-13-45")
BAD_PROBABILITIES = ("0", "-0.25", "1.5", "2")


@dataclass
class Injected:
    """The faulty export and what was injected into it."""

    raw: Path
    truth: dict
    files: dict[str, Path]  # fault name -> injected file
    rows: dict[str, list[dict]]  # fault name -> rows written
    originals: dict[str, list[dict]]  # re-delivery fault -> rows it re-delivers


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _iso(moment: datetime, tz: timezone = UTC) -> str:
    local = moment.astimezone(tz)
    suffix = "Z" if tz is UTC else local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    return local.strftime("%Y-%m-%dT%H:%M:%S") + suffix


def _naive_utc(text: str) -> datetime:
    return _ts(text).replace(tzinfo=None)


def _write_csv(path: Path, rows: list[dict]) -> None:
    """Every value quoted, None as an empty (null) field."""
    columns = list(dict.fromkeys(c for row in rows for c in row))
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([None if row.get(c) is None else str(row[c]) for c in columns])


def _templates(raw: Path, table: str, key: str, time_columns: tuple[str, ...]) -> list[dict]:
    """Rows of a clean table (timestamps in UTC `Z` form), in key order, with
    the name of the file each came from under `_file`."""
    where = " and ".join(f"{c} like '%Z'" for c in time_columns)
    with duckdb.connect() as con:
        cursor = con.execute(
            f"select * exclude (filename), parse_filename(filename) as _file "
            f"from read_parquet('{raw}/{table}/*.parquet', filename = true) "
            f"where {where} order by {key}"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _strip(row: dict, **changes: object) -> dict:
    return {k: v for k, v in row.items() if k != "_file"} | changes


def _inject(raw: Path) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Write every fault file; returns (rows per fault, re-delivered originals)."""
    reports = _templates(raw, "reports", "report_id", ("reported_at", "ingested_at"))
    take = iter(reports)

    def pick(n: int) -> list[dict]:
        return [next(take) for _ in range(n)]

    def new_reports(prefix: str, n: int) -> list[dict]:
        return [_strip(r, report_id=f"r_{prefix}_{i}") for i, r in enumerate(pick(n))]

    rows: dict[str, list[dict]] = {}
    originals: dict[str, list[dict]] = {}

    blank_ids = (None, "", "   ")
    rows["null-keys"] = [
        _strip(r, report_id=blank) for r, blank in zip(pick(3), blank_ids, strict=True)
    ]
    rows["duplicate-ids"] = [_strip(r) for r in pick(3)]

    originals["redelivered-changed"] = pick(4)
    rows["redelivered-changed"] = [
        _strip(
            r,
            reported_category="harassment" if r["reported_category"] != "harassment" else "spam",
            ingested_at=_iso(_ts(r["ingested_at"]) + timedelta(days=1)),
        )
        for r in originals["redelivered-changed"]
    ]
    originals["redelivered-stale"] = pick(2)
    rows["redelivered-stale"] = [
        _strip(
            r,
            surface="profile" if r["surface"] != "profile" else "feed",
            ingested_at=_iso(_ts(r["ingested_at"]) - timedelta(minutes=1)),
        )
        for r in originals["redelivered-stale"]
    ]
    originals["redelivered-same-ingested-at"] = pick(2)
    rows["redelivered-same-ingested-at"] = [
        _strip(r, surface="profile" if r["surface"] != "profile" else "feed")
        for r in originals["redelivered-same-ingested-at"]
    ]

    unknown = new_reports("unknown", 5)
    for row, (column, value) in zip(
        unknown,
        [
            ("reporter_type", "robot"),
            ("surface", "metaverse"),
            ("reported_category", "jaywalking"),
            ("object_type", "hashtag"),
            ("surface", " Feed "),  # a known code, badly cased and padded: staged as feed
        ],
        strict=True,
    ):
        row[column] = value
    rows["unknown-codes"] = unknown

    unparsable = new_reports("unparsable", 5)
    for row, value in zip(unparsable, BAD_TIMESTAMPS, strict=False):
        row["reported_at"] = value
    unparsable[-1]["ingested_at"] = "yesterday"
    rows["unparsable-timestamps"] = unparsable

    offsets = new_reports("offset", 3)
    for row, tz in zip(offsets, OFFSETS.values(), strict=True):
        row["reported_at"] = _iso(_ts(row["reported_at"]), tz)
        row["ingested_at"] = _iso(_ts(row["ingested_at"]), tz)
    rows["offsets"] = offsets

    late = new_reports("late", 3)
    for row, after in zip(
        late, (timedelta(hours=2), SKEW + timedelta(minutes=1), SKEW / 2), strict=True
    ):
        row["reported_at"] = _iso(_ts(row["ingested_at"]) + after)
    late[1]["reported_at"] = _iso(_ts(late[1]["reported_at"]), OFFSETS["-08:00"])
    rows["event-after-ingestion"] = late

    appeals = _templates(raw, "appeals", "appeal_id", ("appealed_at", "ingested_at"))
    rows["unknown-enforcement"] = [
        _strip(r, appeal_id=f"ap_orphan_{i}", enforcement_id=f"e_never_decided_{i}")
        for i, r in enumerate(appeals[:3])
    ]

    samples = _templates(raw, "prevalence_samples", "sample_id", ("viewed_at",))
    rows["probabilities"] = [
        _strip(r, sample_id=f"s_prob_{i}", inclusion_probability=p)
        for i, (r, p) in enumerate(zip(samples, (*BAD_PROBABILITIES, "1"), strict=False))
    ]

    detections = _templates(raw, "detections", "detection_id", ("detected_at", "ingested_at"))
    rows["extra-column"] = [
        _strip(r, detection_id=f"d_extra_{i}", model_run_id=f"run-{i}")
        for i, r in enumerate(detections[:3])
    ]
    return rows, originals


def _file_name(fault: str) -> str:
    # duplicate ids sort before the clean files, so the injected copies lose
    # the tie (same ingested_at) and are the ones quarantined
    return f"0-{fault}.csv" if fault == "duplicate-ids" else f"zz-{fault}.csv"


def _split_into_small_csv_files(folder: Path, parts: int) -> int:
    """Replace the folder's last Parquet file by `parts` small CSV files."""
    last = sorted(folder.glob("*.parquet"))[-1]
    with duckdb.connect() as con:
        cursor = con.execute(f"select * from read_parquet('{last}')")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    for i in range(parts):
        _write_csv(folder / f"{last.stem}-part{i:02d}.csv", rows[i::parts])
    last.unlink()
    return len(rows)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kpi_checksum(db: Path) -> tuple:
    return query(db, "select count(*), sum(hash(k)) from marts.kpi_weekly as k")[0]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The clean export: (raw folder, truth)."""
    raw = (tmp_path_factory.mktemp("clean") / "raw").resolve()
    return raw, generate(GeneratorConfig(out=raw, **CLEAN))


@pytest.fixture(scope="module")
def injected(clean, tmp_path_factory: pytest.TempPathFactory) -> Injected:
    raw = (tmp_path_factory.mktemp("faulty") / "raw").resolve()
    shutil.copytree(clean[0], raw)
    rows, originals = _inject(raw)
    files = {}
    for fault, (table, _) in FAULTS.items():
        files[fault] = raw / table / _file_name(fault)
        _write_csv(files[fault], rows[fault])
    _split_into_small_csv_files(raw / "detections", SPLIT_PARTS)
    return Injected(raw, clean[1], files, rows, originals)


@pytest.fixture(scope="module")
def empty_drop_raw(clean, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean export plus an empty drop: a 0-byte file and a header-only CSV."""
    raw = tmp_path_factory.mktemp("empty_drop") / "raw"
    shutil.copytree(clean[0], raw)
    (raw / "reports" / "2026-02-01-empty.csv").touch()
    header = _templates(raw, "enforcements", "enforcement_id", ("decided_at",))[0]
    columns = [c for c in header if c != "_file"]
    (raw / "enforcements" / "2026-02-01-header-only.csv").write_text(",".join(columns) + "\n")
    (raw / "appeals" / "2026-02-01-empty.jsonl").touch()
    return raw


@pytest.fixture(scope="module")
def builds(
    injected: Injected, empty_drop_raw: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Three builds, two at a time (a build is mostly single-threaded): the
    faulty export twice (`faulty`, `faulty_again`) and the clean export with
    an empty drop."""
    jobs = {
        "faulty": injected.raw,
        "faulty_again": injected.raw,
        "empty_drop": empty_drop_raw,
    }
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            name: pool.submit(build, raw, tmp_path_factory.mktemp(name) / "warehouse.duckdb")
            for name, raw in jobs.items()
        }
        return {name: future.result().db for name, future in futures.items()}


@pytest.fixture
def published(builds: dict[str, Path], tmp_path: Path) -> Path:
    """A copy of a good published warehouse, for builds that must not touch it."""
    db = tmp_path / "published" / "warehouse.duckdb"
    db.parent.mkdir()
    shutil.copy2(builds["empty_drop"], db)
    return db


# ------------------------------------------------------------ row faults


@pytest.mark.parametrize("fault", list(FAULTS))
def test_each_injected_file_has_exactly_its_expected_fate(
    fault: str, injected: Injected, builds
) -> None:
    table, expected = FAULTS[fault]
    fates = dict(
        query(
            builds["faulty"],
            f"select coalesce(quarantine_reason, row_status), count(*) "
            f"from staging.base_raw__{table} where _source_file = '{injected.files[fault]}' "
            f"group by all",
        )
    )
    assert fates == expected
    assert sum(expected.values()) == len(injected.rows[fault])


def test_quarantine_holds_exactly_the_injected_bad_rows(injected: Injected, builds) -> None:
    expected: Counter[tuple[str, str, str]] = Counter()
    for fault, (table, fates) in FAULTS.items():
        for fate, n in fates.items():
            if fate not in ("staged", "superseded"):
                expected[(table, injected.files[fault].name, fate)] += n
    for row in injected.originals["redelivered-same-ingested-at"]:
        expected[("reports", row["_file"], "duplicate_key")] += 1
    counted = {
        (table, Path(file).name, reason): n
        for table, file, reason, n in query(
            builds["faulty"],
            "select source_table, source_file, reason, count(*) "
            "from marts.fct_quarantined_rows group by all",
        )
    }
    assert counted == dict(expected)


def test_reconciliation_accounts_for_every_injected_row(injected: Injected, builds) -> None:
    truth = injected.truth
    delta = {name: Counter() for name in ("raw", "staged", "superseded", "quarantined")}
    for fault, (table, fates) in FAULTS.items():
        delta["raw"][table] += len(injected.rows[fault])
        for fate, n in fates.items():
            delta[fate if fate in ("staged", "superseded") else "quarantined"][table] += n
    # the re-delivered originals change fate: staged -> superseded / duplicate_key
    delta["staged"]["reports"] -= sum(REPLACED_ORIGINALS.values())
    delta["superseded"]["reports"] += REPLACED_ORIGINALS["superseded"]
    delta["quarantined"]["reports"] += REPLACED_ORIGINALS["duplicate_key"]
    rows = query(
        builds["faulty"],
        "select source_table, raw_rows, staged_rows, superseded_rows, quarantined_rows, "
        "unaccounted_rows, is_reconciled from marts.fct_raw_reconciliation",
    )
    assert {r[0] for r in rows} == set(truth["raw_rows"])
    for table, raw, staged, superseded, quarantined, unaccounted, reconciled in rows:
        assert raw == truth["raw_rows"][table] + delta["raw"][table], table
        assert staged == truth["expected_staged_rows"][table] + delta["staged"][table], table
        assert superseded == truth["superseded_rows"][table] + delta["superseded"][table], table
        assert quarantined == delta["quarantined"][table], table
        assert (unaccounted, reconciled) == (0, True), table


def test_quarantine_details_name_the_column_and_value(builds) -> None:
    details = query(
        builds["faulty"],
        "select reason, reason_detail from marts.fct_quarantined_rows "
        "where reason in ('unknown_code', 'unparsable_timestamp', 'unknown_enforcement', "
        "'probability_out_of_range', 'null_key') order by all",
    )
    assert set(details) == {
        ("null_key", "report_id is empty"),
        ("unknown_code", "reporter_type: robot"),
        ("unknown_code", "surface: metaverse"),
        ("unknown_code", "reported_category: jaywalking"),
        ("unknown_code", "object_type: hashtag"),
        *(("unparsable_timestamp", f"reported_at: {v}") for v in BAD_TIMESTAMPS),
        ("unparsable_timestamp", "ingested_at: yesterday"),
        *(("unknown_enforcement", f"enforcement_id e_never_decided_{i}") for i in range(3)),
        *(("probability_out_of_range", f"inclusion_probability: {p}") for p in BAD_PROBABILITIES),
    }


def test_quarantined_rows_keep_the_row_as_delivered(builds) -> None:
    (raw_row,) = query(
        builds["faulty"],
        "select raw_row::varchar from marts.fct_quarantined_rows "
        "where reason_detail = 'reporter_type: robot'",
    )[0]
    assert '"reporter_type":"robot"' in raw_row
    assert '"report_id":"r_unknown_0"' in raw_row


def test_redelivery_with_changed_values_keeps_the_latest_version_once(
    injected: Injected, builds
) -> None:
    db = builds["faulty"]

    def staged(fault: str, column: str) -> dict[str, object]:
        ids = "', '".join(r["report_id"] for r in injected.originals[fault])
        rows = query(
            db,
            f"select report_id, {column}, ingested_at from staging.stg_raw__reports "
            f"where report_id in ('{ids}')",
        )
        assert len(rows) == len(injected.originals[fault]), "each id is staged exactly once"
        return {r[0]: (r[1], r[2]) for r in rows}

    # a later ingested_at wins; the earlier version is superseded
    changed = staged("redelivered-changed", "reported_category")
    for row in injected.rows["redelivered-changed"]:
        assert changed[row["report_id"]] == (
            row["reported_category"],
            _naive_utc(row["ingested_at"]),
        )
    # an older version delivered later (in a later file) does not win
    stale = staged("redelivered-stale", "surface")
    for row in injected.originals["redelivered-stale"]:
        assert stale[row["report_id"]] == (row["surface"], _naive_utc(row["ingested_at"]))
    # same ingested_at: the last file name wins
    tie = staged("redelivered-same-ingested-at", "surface")
    for row in injected.rows["redelivered-same-ingested-at"]:
        assert tie[row["report_id"]][0] == row["surface"]
    # the exact copies in a file sorting first are the ones quarantined
    ids = "', '".join(r["report_id"] for r in injected.rows["duplicate-ids"])
    (copies,) = query(
        db, f"select count(*) from staging.stg_raw__reports where report_id in ('{ids}')"
    )[0]
    assert copies == 3
    (distinct_ids, staged_rows) = query(
        db, "select count(distinct report_id), count(*) from staging.stg_raw__reports"
    )[0]
    assert distinct_ids == staged_rows


def test_offsets_convert_to_utc(injected: Injected, builds) -> None:
    staged = {
        r[0]: r[1:]
        for r in query(
            builds["faulty"],
            "select report_id, reported_at, ingested_at from staging.stg_raw__reports "
            "where report_id like 'r_offset_%' or report_id like 'r_late_%'",
        )
    }
    offsets = injected.rows["offsets"]
    assert [r["reported_at"][-6:] for r in offsets] == list(OFFSETS)
    for row in offsets:
        assert staged[row["report_id"]] == (
            _naive_utc(row["reported_at"]),
            _naive_utc(row["ingested_at"]),
        )
    # within the clock skew: staged as delivered
    within = injected.rows["event-after-ingestion"][2]
    assert staged[within["report_id"]][0] == _naive_utc(within["reported_at"])
    assert staged[within["report_id"]][0] > staged[within["report_id"]][1]


def test_event_after_ingestion_beyond_skew_is_quarantined(injected: Injected, builds) -> None:
    rows = query(
        builds["faulty"],
        "select reason_detail from marts.fct_quarantined_rows "
        "where reason = 'event_after_ingestion' order by source_row",
    )
    late = injected.rows["event-after-ingestion"]
    # one of them only 1 minute beyond the skew, and written with an offset
    assert late[1]["reported_at"].endswith("-08:00")
    assert rows == [
        (f"reported_at {r['reported_at']} after ingested_at {r['ingested_at']}",) for r in late[:2]
    ]


def test_unknown_codes_are_quarantined_but_known_codes_normalise(builds) -> None:
    assert query(
        builds["faulty"],
        "select surface from staging.stg_raw__reports where report_id like 'r_unknown_%'",
    ) == [("feed",)]


def test_probability_boundaries(builds) -> None:
    assert query(
        builds["faulty"],
        "select sample_id, inclusion_probability from staging.stg_raw__prevalence_samples "
        "where sample_id like 's_prob_%'",
    ) == [("s_prob_4", 1.0)]


def test_extra_column_is_carried_into_staging_untouched(builds) -> None:
    rows = query(
        builds["faulty"],
        "select detection_id, model_run_id from staging.stg_raw__detections "
        "where model_run_id is not null or detection_id like 'd_extra_%' order by 1",
    )
    assert rows == [(f"d_extra_{i}", f"run-{i}") for i in range(3)]
    (with_null,) = query(
        builds["faulty"],
        "select count(*) from staging.stg_raw__detections where model_run_id is null",
    )[0]
    assert with_null > 0


def test_a_drop_split_across_many_small_files(injected: Injected, builds) -> None:
    parts = list((injected.raw / "detections").glob("*-part*.csv"))
    assert len(parts) == SPLIT_PARTS
    per_file = query(
        builds["faulty"],
        "select count(distinct _source_file), count(*) from staging.base_raw__detections "
        "where _source_file like '%-part__.csv' and row_status = 'staged'",
    )
    assert per_file[0][0] == SPLIT_PARTS
    assert per_file[0][1] == sum(len(p.read_text().splitlines()) - 1 for p in parts)


# ------------------------------------------------------------ whole builds


def test_rebuilding_the_same_input_gives_identical_marts(builds) -> None:
    """Every relation of schema marts, row for row, up to the last bits of
    floating-point sums (doubles compared to 9 significant digits)."""
    assert (
        relation_differences(builds["faulty"], builds["faulty_again"], significant_digits=9) == {}
    )


def test_rebuilding_the_same_input_gives_bit_identical_marts(builds) -> None:
    assert (
        relation_differences(builds["faulty"], builds["faulty_again"], significant_digits=None)
        == {}
    )


def test_an_empty_drop_changes_nothing(clean, empty_drop_raw: Path, builds) -> None:
    truth = clean[1]
    rows = query(
        builds["empty_drop"],
        "select source_table, raw_rows, staged_rows, superseded_rows, quarantined_rows "
        "from marts.fct_raw_reconciliation",
    )
    for table, raw, staged, superseded, quarantined in rows:
        assert (raw, staged, superseded, quarantined) == (
            truth["raw_rows"][table],
            truth["expected_staged_rows"][table],
            truth["superseded_rows"][table],
            0,
        ), table


def test_missing_required_column_is_a_clear_error_and_publishes_nothing(
    clean, published: Path, tmp_path: Path
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(clean[0], raw)
    rows = _templates(raw, "enforcements", "enforcement_id", ("decided_at", "ingested_at"))[:2]
    bad_file = raw / "enforcements" / "zz-missing-column.csv"
    _write_csv(
        bad_file,
        [
            {k: v for k, v in _strip(r, enforcement_id=f"e_x{i}").items() if k != "decision_method"}
            for i, r in enumerate(rows)
        ],
    )
    before = (_sha256(published), published.stat().st_ino)
    with pytest.raises(TrustmartError) as failure:
        build(raw, published)
    message = str(failure.value)
    assert "enforcements" in message
    assert str(bad_file) in message
    assert "missing required column(s) decision_method" in message
    assert "left unchanged" in message
    assert (_sha256(published), published.stat().st_ino) == before


def test_a_killed_build_leaves_the_published_database_readable_and_unchanged(
    clean, published: Path
) -> None:
    before = (_sha256(published), published.stat().st_ino, _kpi_checksum(published))
    building = published.with_name(f".{published.stem}.building.duckdb")
    trustmart = Path(sys.executable).parent / "trustmart"
    process = subprocess.Popen(
        [str(trustmart), "build", "--raw", str(clean[0]), "--db", str(published)],
        env=tool_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not building.exists() and time.monotonic() < deadline:
            assert process.poll() is None, "the build ended before it could be killed"
            time.sleep(0.1)
        assert building.exists(), "dbt never started writing the new warehouse"
        time.sleep(2)  # let dbt get well into the models
        assert process.poll() is None, "the build ended before it could be killed"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert building.exists()  # the half-built file stays aside ...
    # ... and the published file is the same file, byte for byte, and readable
    after = (_sha256(published), published.stat().st_ino, _kpi_checksum(published))
    assert after == before
    assert before[2][0] > 0

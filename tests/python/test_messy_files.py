"""Malformed lines and unreadable files (docs/raw-contract.md): by default
the build stops before publishing and names the file, the line and what is
wrong; told to tolerate them (--max-bad-lines, --skip-unreadable-files), it
quarantines them, the reconciliation accounts for both and `trustmart
check` fails on them.

Each fault is one extra file beside the hand-made raw_small export (its
other rows are the same as in test_staging.py). The default builds hold
several faults at once, one file each, and the message must name every
one: a fault that did not stop the build alone would be missing from it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import query
from trustmart.build import Tolerance, build
from trustmart.errors import TrustmartError
from trustmart.quality.runner import run_check

REPORT_HEADER = (
    "report_id,reported_at,reporter_id,reporter_type,object_type,object_id,account_id,"
    "surface,reported_category,ingested_at\n"
)
GOOD_REPORT = "{id},2026-01-06T10:00:00Z,u7,user,content,o7,a7,feed,spam,2026-01-06T10:05:00Z\n"


def _csv(lines: list[bytes], name: str = "messy.csv") -> Callable[[Path], Path]:
    def write(raw: Path) -> Path:
        path = raw / "reports" / name
        path.write_bytes(
            REPORT_HEADER.encode() + GOOD_REPORT.format(id="r70").encode() + b"".join(lines)
        )
        return path

    return write


def _broken_jsonl(raw: Path) -> Path:
    path = raw / "appeals" / "messy.jsonl"
    good = (
        '{"appeal_id": "ap70", "enforcement_id": "e1", "appealed_at": "2026-01-06T10:00:00Z", '
        '"status": "pending", "ingested_at": "2026-01-06T10:05:00Z"}'
    )
    path.write_text(good + "\n" + '{"appeal_id": "ap71", "enforcement_id": \n\n')
    return path


def _truncated_parquet(raw: Path) -> Path:
    source = raw / "detections" / "a.parquet"
    path = raw / "detections" / "messy.parquet"
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _empty_parquet(raw: Path) -> Path:
    path = raw / "detections" / "empty.parquet"
    path.touch()
    return path


#: fault -> (writer, line named in the message or None for a file, what
#: the message says, quarantine reason)
FAULTS: dict[str, tuple[Callable[[Path], Path], int | None, str, str]] = {
    "non_utf8_line": (
        _csv(
            [GOOD_REPORT.format(id="r71").replace("spam", "sp\xe4m").encode("latin-1")],
            name="messy-non-utf8.csv",
        ),
        3,
        "invalid encoding",
        "malformed_line",
    ),
    "wrong_field_count": (
        _csv(
            [GOOD_REPORT.format(id="r72").replace(",feed,", ",feed,extra,").encode()],
            name="messy-field-count.csv",
        ),
        3,
        "too many columns",
        "malformed_line",
    ),
    "unterminated_quote": (
        _csv(
            [GOOD_REPORT.format(id="r73").replace(",u7,", ',"u7,').encode()],
            name="messy-quote.csv",
        ),
        3,
        "unquoted value",
        "malformed_line",
    ),
    "broken_jsonl_line": (_broken_jsonl, 2, "broken json", "malformed_line"),
    "truncated_parquet": (_truncated_parquet, None, "truncated parquet", "unreadable_file"),
    "zero_byte_parquet": (_empty_parquet, None, "empty (0 bytes)", "unreadable_file"),
}


@dataclass(frozen=True)
class Stopped:
    """A default build (nothing tolerated) of raw_small plus faulty files:
    the files written per fault, the failure's message, and whether a
    database was published."""

    files: dict[str, Path]
    message: str
    published: bool


@pytest.fixture(scope="module")
def stopped(small_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Stopped]:
    """Two default builds, each stopped by several faults at once, every
    fault in a file of its own: the malformed lines (one CSV file per
    fault, a broken JSONL file) and the unreadable files (a truncated and
    an empty Parquet file). A fault -> the build it was in."""
    groups = {
        "lines": [fault for fault, spec in FAULTS.items() if spec[1] is not None],
        "files": [fault for fault, spec in FAULTS.items() if spec[1] is None],
    }
    result: dict[str, Stopped] = {}
    for group, faults in groups.items():
        root = tmp_path_factory.mktemp(f"stopped_{group}")
        raw = root / "raw"
        shutil.copytree(small_raw, raw)
        files = {fault: FAULTS[fault][0](raw) for fault in faults}
        db = root / "warehouse.duckdb"
        with pytest.raises(TrustmartError) as caught:
            build(raw, db)
        outcome = Stopped(files, str(caught.value), db.exists())
        result.update(dict.fromkeys(faults, outcome))
    return result


@pytest.mark.parametrize("fault", list(FAULTS))
def test_by_default_the_build_stops_naming_file_and_line(
    fault: str, stopped: dict[str, Stopped]
) -> None:
    """Every fault, alone in its file, is named in the message of the build
    it stopped: its file, its line (for a malformed line), what is wrong and
    the option that would tolerate it; nothing is published."""
    _write, line, says, _reason = FAULTS[fault]
    outcome = stopped[fault]
    path = outcome.files[fault]
    named = [text for text in outcome.message.splitlines() if str(path) in text]
    assert named, f"{path} is not named in:\n{outcome.message}"
    assert says in named[0].lower(), named[0]
    message = outcome.message.replace("\n", " ")
    if line is not None:
        assert f"{path}', line {line}:" in named[0], named[0]
        # what to do: tolerate as many lines as the build found
        assert f"--max-bad-lines {len(outcome.files)}" in message
    else:
        assert "--skip-unreadable-files" in message
    assert not outcome.published


@pytest.fixture(scope="module")
def tolerant(small_raw: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Every fault at once, built with the tolerance flags: (db, files)."""
    root = tmp_path_factory.mktemp("messy")
    raw = root / "raw"
    shutil.copytree(small_raw, raw)
    files = {}
    for fault, (write, *_rest) in FAULTS.items():
        if fault in ("non_utf8_line", "wrong_field_count", "unterminated_quote"):
            continue
        files[fault] = write(raw)
    # the three CSV faults in one file, the unterminated quote last (it
    # swallows the rest of the file)
    csv_lines = [
        GOOD_REPORT.format(id="r71").replace("spam", "sp\xe4m").encode("latin-1"),
        GOOD_REPORT.format(id="r72").replace(",feed,", ",feed,extra,").encode(),
        GOOD_REPORT.format(id="r74").encode(),
        GOOD_REPORT.format(id="r73").replace(",u7,", ',"u7,').encode(),
    ]
    files["csv"] = _csv(csv_lines)(raw)
    db = build(
        raw,
        root / "warehouse.duckdb",
        tolerance=Tolerance(max_bad_lines=4, skip_unreadable_files=True),
    ).db
    return db, files


def test_tolerated_faults_are_quarantined_with_file_and_line(tolerant) -> None:
    db, _files = tolerant
    rows = query(
        db,
        "select source_file, reason, source_row, reason_detail from marts.fct_quarantined_rows "
        "where reason in ('malformed_line', 'unreadable_file') order by source_file, source_row",
    )
    found = {(Path(f).name, reason, line) for f, reason, line, _ in rows}
    assert found == {
        ("messy.csv", "malformed_line", 3),  # not UTF-8
        ("messy.csv", "malformed_line", 4),  # a field too many
        ("messy.csv", "malformed_line", 6),  # unterminated quote
        ("messy.jsonl", "malformed_line", 2),  # broken JSON
        ("messy.parquet", "unreadable_file", None),
        ("empty.parquet", "unreadable_file", None),
    }
    details = {(Path(f).name, line): detail for f, _, line, detail in rows}
    assert details[("empty.parquet", None)].startswith("unreadable file (0 bytes)")
    # the good lines of the messy files are staged
    staged = {r[0] for r in query(db, "select report_id from staging.stg_raw__reports")}
    assert {"r70", "r74"} <= staged and not {"r71", "r72", "r73"} & staged
    assert query(db, "select count(*) from staging.stg_raw__appeals where appeal_id = 'ap70'") == [
        (1,)
    ]


def test_reconciliation_accounts_for_lines_and_files(tolerant) -> None:
    db, _ = tolerant
    rows = {
        r[0]: r[1:]
        for r in query(
            db,
            "select source_table, malformed_lines, unreadable_files, raw_rows, "
            "staged_rows + quarantined_rows + superseded_rows, is_reconciled "
            "from marts.fct_raw_reconciliation",
        )
    }
    assert rows["reports"][:2] == (3, 0)
    assert rows["appeals"][:2] == (1, 0)
    assert rows["detections"][:2] == (0, 2)
    assert all(raw == accounted and ok for _, _, raw, accounted, ok in rows.values())


def test_check_fails_on_malformed_lines_and_unreadable_files(tolerant, tmp_path: Path) -> None:
    db, _ = tolerant
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy2(db, copy)
    outcome = run_check(copy, max_quarantine_share=1.0, freshness=False, docs_dir=tmp_path / "docs")
    failed = {r.qualified_name for r in outcome.failed_errors}
    assert {"raw_load.no_malformed_lines", "raw_load.no_unreadable_files"} <= failed
    error = outcome.error()
    assert error is not None and "malformed_line" in error.fix

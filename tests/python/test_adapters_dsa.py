"""`trustmart import-dsa` on the real DSA statement-of-reasons samples
(tests/data/public/dsa_sor, provenance in its README): the import, the
warehouse built on it, and the DSA marts, checked against figures counted
by hand from the CSV files.

One build serves the module. Its input: the 2024 sample (schema v1, 50
rows, rows 1 and 2 identical) as a plain CSV; the 2025 sample (schema v2, 50
rows) inside a zip of zips, as the Commission ships its dumps; and one
test-made statement (a copy of a 2025 row with a new uuid and a category
code that does not exist) to prove that unmapped codes are quarantined,
named. Every hand-checked figure below comes from the two real files only.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import duckdb
import pytest

from conftest import query
from trustmart.adapters.dsa import import_dsa, load_category_map
from trustmart.build import build
from trustmart.contract import POLICY_CATEGORIES, TABLES
from trustmart.errors import TrustmartError

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "public" / "dsa_sor"
V1 = FIXTURES / "sor-global-2024-03-14-sample.csv"
V2 = FIXTURES / "sor-global-2025-07-01-sample.csv"
UNMAPPED_CODE = "STATEMENT_CATEGORY_NOT_A_REAL_CODE"
UNMAPPED_UUID = "00000000-0000-4000-8000-000000000001"
DUPLICATE_UUID = "03b1b1c9-a860-4bf6-afff-0d8f0d944871"


def zip_of_zips(csv_file: Path, target: Path) -> Path:
    """The dump shape: target.zip holding <name>-00000.csv.zip holding the CSV."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(csv_file, csv_file.name)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{csv_file.stem}-00000.csv.zip", inner.getvalue())
    return target


def unmapped_statement(target: Path) -> Path:
    """The first 2025 statement with a new uuid and a category that maps nowhere."""
    with V2.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        row = next(reader)
        fields = reader.fieldnames or []
    row |= {"uuid": UNMAPPED_UUID, "category": UNMAPPED_CODE}
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerow(row)
    return target


@pytest.fixture(scope="module")
def dsa(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, Path]:
    """(raw export, manifest, database) of the module's import and build."""
    root = tmp_path_factory.mktemp("dsa")
    inputs = root / "inputs"
    inputs.mkdir()
    dump = zip_of_zips(V2, inputs / "sor-global-2025-07-01-full.zip")
    extra = unmapped_statement(inputs / "test-made-unmapped-category.csv")
    raw = root / "raw"
    import_dsa([V1, dump, extra], raw)
    manifest = json.loads((raw / "import_manifest.json").read_text())
    db = build(raw, root / "warehouse.duckdb").db
    return raw, manifest, db


def test_manifest_counts_every_statement(dsa: tuple[Path, dict, Path]) -> None:
    _, manifest, _ = dsa
    files = {Path(str(i["file"]).split("!")[0]).name: i for i in manifest["inputs"]}
    assert files[V1.name]["rows"] == 50 and files[V1.name]["schema_version"] == "v1"
    assert files[V1.name]["columns"] == 37
    zipped = files["sor-global-2025-07-01-full.zip"]
    assert zipped["rows"] == 50 and zipped["schema_version"] == "v2" and zipped["columns"] == 38
    assert zipped["file"].endswith(
        "!sor-global-2025-07-01-sample-00000.csv.zip!sor-global-2025-07-01-sample.csv"
    )
    assert manifest["rows_in"] == 101
    assert manifest["duplicates"] == 1 and manifest["duplicate_ids"] == [DUPLICATE_UUID]
    assert manifest["rows_written"]["enforcements"] == 100
    assert manifest["unmapped"] == {"category": {UNMAPPED_CODE: 1}}
    assert manifest["is_balanced"]


def test_required_tables_are_present_and_empty_ones_have_headers(
    dsa: tuple[Path, dict, Path],
) -> None:
    raw, manifest, _ = dsa
    empty = ("reports", "detections", "appeals", "views_daily", "active_users_daily")
    for table in (*empty, "prevalence_samples"):
        lines = (raw / table / "dsa_sor.csv").read_text().splitlines()
        assert lines == [",".join(TABLES[table].columns)]
        assert manifest["rows_written"][table] == 0
    assert (raw / "enforcements" / "dsa_sor.parquet").is_file()


def test_statements_reconcile_with_the_files(dsa: tuple[Path, dict, Path]) -> None:
    """statements in = decisions staged + quarantined + duplicates, exactly."""
    _, manifest, db = dsa
    raw_rows, staged, quarantined, superseded, ok = query(
        db,
        "select raw_rows, staged_rows, quarantined_rows, superseded_rows, is_reconciled "
        "from marts.fct_raw_reconciliation where source_table = 'enforcements'",
    )[0]
    assert ok and superseded == 0
    # 50 + 50 real statements + 1 test-made one = 101 in; 99 distinct real ones staged
    assert (staged, quarantined, manifest["duplicates"]) == (99, 1, 1)
    assert manifest["rows_in"] == staged + quarantined + manifest["duplicates"] == 101
    assert raw_rows == staged + quarantined
    other_tables = query(
        db,
        "select sum(raw_rows) from marts.fct_raw_reconciliation "
        "where source_table <> 'enforcements'",
    )[0][0]
    assert other_tables == 0


def test_unmapped_category_is_quarantined_with_its_code(dsa: tuple[Path, dict, Path]) -> None:
    _, _, db = dsa
    rows = query(
        db,
        "select source_table, reason, reason_detail, raw_row::varchar "
        "from marts.fct_quarantined_rows",
    )
    assert len(rows) == 1
    table, reason, detail, raw_row = rows[0]
    assert (table, reason) == ("enforcements", "unknown_code")
    assert detail == f"policy_category: {UNMAPPED_CODE}"
    assert UNMAPPED_UUID in raw_row


def test_statements_by_file_and_platform(dsa: tuple[Path, dict, Path]) -> None:
    # Counted from the CSVs (platform_name column, duplicate row 2 of the
    # 2024 file removed): 2024 TikTok 8 - 1, Pinterest 5, Google Shopping
    # 31, AliExpress 6; 2025 Hotel Hideaway 39, Discord Netherlands B.V. 4,
    # Idealo 3, Kleinanzeigen 2, Wallapop 1, Habbo 1.
    _, _, db = dsa
    counts = dict(
        query(db, "select platform_name, count(*) from marts.dsa_sor_statements group by 1")
    )
    assert counts == {
        "TikTok": 7,
        "Pinterest": 5,
        "Google Shopping": 31,
        "AliExpress": 6,
        "Hotel Hideaway": 39,
        "Discord Netherlands B.V.": 4,
        "Idealo": 3,
        "Kleinanzeigen": 2,
        "Wallapop": 1,
        "Habbo": 1,
    }
    versions = dict(
        query(db, "select sor_schema_version, count(*) from marts.dsa_sor_statements group by 1")
    )
    assert versions == {"v1": 49, "v2": 50}


def test_categories_map_through_the_seed(dsa: tuple[Path, dict, Path]) -> None:
    # From the CSVs: 2024 has 33 STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE
    # (v1-only) and 4 PORNOGRAPHY_OR_SEXUALIZED_CONTENT (v1-only); 2025 has
    # 37 ILLEGAL_OR_HARMFUL_SPEECH and 6 PROTECTION_OF_MINORS; 2024 has 5
    # PROTECTION_OF_MINORS rows, one of them the duplicate -> 4.
    _, _, db = dsa
    rows = dict(
        ((dsa_category, policy), n)
        for dsa_category, policy, n in query(
            db,
            "select dsa_category, policy_category, count(*) from marts.dsa_sor_statements "
            "group by 1, 2",
        )
    )
    assert rows[("STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", "other")] == 33
    assert rows[("STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT", "adult_nudity")] == 4
    assert rows[("STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "hate_speech")] == 37
    assert rows[("STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "child_safety")] == 10


def test_decisions_grounds_and_automation_by_hand(dsa: tuple[Path, dict, Path]) -> None:
    # Counted from the CSVs without the duplicate: automated_decision =
    # AUTOMATED_DECISION_FULLY 35 (2024, 36 with the duplicate) + 44 (2025);
    # automated_detection = Yes 39 + 46; decision_visibility non-empty 49 +
    # 48; decision_account 3 (2025: two Discord rows with no visibility
    # decision, one Kleinanzeigen row with removal + account + total service
    # termination); decision_provision 1; no monetary decision; every
    # decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT; every
    # source_type is SOURCE_VOLUNTARY.
    _, _, db = dsa
    totals = query(
        db,
        "select sum(statements), sum(automated_decision_fully), sum(automated_detection_yes), "
        "sum(visibility_decisions), sum(account_decisions), sum(service_provision_decisions), "
        "sum(monetary_decisions), sum(incompatible_content_ground), sum(illegal_content_ground), "
        "sum(source_voluntary), sum(source_article_16 + source_trusted_flagger "
        "+ source_other_notification) from marts.dsa_sor_weekly",
    )[0]
    assert tuple(int(v) for v in totals) == (99, 79, 85, 97, 3, 1, 0, 99, 0, 99, 0)
    # the two account-only Discord statements are account objects, banned;
    # Kleinanzeigen's removal + termination is a ban of a content object
    actions = query(
        db,
        "select object_type, action, count(*) from staging.stg_raw__enforcements "
        "where action = 'ban' group by 1, 2 order by 1",
    )
    assert actions == [("account", "ban", 2), ("content", "ban", 1)]
    methods = dict(
        query(db, "select decision_method, count(*) from staging.stg_raw__enforcements group by 1")
    )
    assert methods == {"automated": 79, "human": 20}


def test_time_to_action_proxy_by_hand(dsa: tuple[Path, dict, Path]) -> None:
    # application_date - content_date in days, from the CSVs:
    # Google Shopping (31): 0 x8, 1 x5, 6, 14, 17, 35, 50, 81, 82, 152, 164,
    #   201, 292, 309, 437, 743, 747, 871, 1038, 1384 -> median = 16th = 17;
    #   P90 rank 0.9 * 30 = 27 -> 28th value = 747.
    # Pinterest (5): 153, 1232, 1309, 1695, 2181 -> median 1309;
    #   P90 rank 3.6 -> 1695 + 0.6 * (2181 - 1695) = 1986.6.
    # Google Shopping, week of 2024-03-04 (11): 0, 0, 0, 1, 1, 82, 164, 292,
    #   437, 743, 1384 -> median 82; P90 rank 9 -> 743.
    _, _, db = dsa
    by_platform = {
        name: (n, p50, p90)
        for name, n, p50, p90 in query(
            db,
            "select platform_name, count(*), quantile_cont(days_to_action, 0.5), "
            "quantile_cont(days_to_action, 0.9) from marts.dsa_sor_statements group by 1",
        )
    }
    assert by_platform["Google Shopping"] == (31, 17.0, 747.0)
    assert by_platform["Pinterest"][:2] == (5, 1309.0)
    assert by_platform["Pinterest"][2] == pytest.approx(1986.6)
    week = query(
        db,
        "select statements, tta_p50_days, tta_p90_days from marts.dsa_sor_weekly "
        "where platform_name = 'Google Shopping' and week_start = '2024-03-04'",
    )
    assert week == [(11, 82.0, 743.0)]


def test_transparency_tables_say_what_the_logs_cannot_fill(
    dsa: tuple[Path, dict, Path],
) -> None:
    # data_end = 2025-07-01 (latest application_date) -> H2 2025 by default;
    # the 50 statements of 2025-07-01 are own-initiative (no reports at all)
    _, _, db = dsa
    period = query(
        db, "select period_start, period_end, period_source from marts.dsa_report_period"
    )
    assert [(str(a), str(b), c) for a, b, c in period] == [
        ("2025-07-01", "2025-12-31", "half-year of data_end")
    ]
    (actions, automated), *_ = query(
        db,
        "select actions, actions_decided_automatically from marts.dsa_report_own_initiative "
        "where policy_category = 'all' and restriction_type = 'all'",
    )
    assert (actions, automated) == (50, 44)
    unavailable = query(
        db,
        "select restriction_type, row_note from marts.dsa_report_own_initiative "
        "where actions is null order by 1",
    )
    assert [r[0] for r in unavailable] == ["monetary_restriction", "service_provision_restriction"]
    assert all(note.startswith("not available from these logs") for _, note in unavailable)
    notes = query(
        db,
        "select distinct not_available_note from marts.dsa_report_complaints "
        "where out_of_court_disputes is null",
    )
    assert len(notes) == 1 and "not available from these logs" in notes[0][0]
    sections = {
        r[0] for r in query(db, "select template_section from marts.dsa_report_not_available")
    }
    assert {"orders", "complaints", "suspensions"} <= sections


def test_zip_of_csvs_imports_like_the_csv(tmp_path: Path) -> None:
    flat = tmp_path / "sor-global-2024-03-14-full.zip"
    with zipfile.ZipFile(flat, "w") as zf:
        zf.write(V1, "sor-global-2024-03-14-full-00000.csv")
        zf.writestr("README.txt", "not a dump")
    from_zip = import_dsa([flat], tmp_path / "from_zip")
    from_csv = import_dsa([V1], tmp_path / "from_csv")
    assert from_zip.rows_in == from_csv.rows_in == 50
    assert from_zip.duplicates == from_csv.duplicates == 1
    assert any("README.txt" in note for note in from_zip.notes)
    compare = "select * exclude (sor_file) from read_parquet('{}') order by enforcement_id"
    with duckdb.connect() as con:
        a = con.execute(compare.format(tmp_path / "from_zip/enforcements/dsa_sor.parquet"))
        rows_zip = a.fetchall()
        b = con.execute(compare.format(tmp_path / "from_csv/enforcements/dsa_sor.parquet"))
        assert rows_zip == b.fetchall()


def test_category_map_seed_covers_every_code_and_maps_to_the_contract() -> None:
    mapping = load_category_map(
        Path(__file__).resolve().parents[2] / "seeds" / "dsa_category_map.csv"
    )
    assert len(mapping) == 20  # 16 v2 codes + 4 v1-only codes (notes/dsa.md)
    assert set(mapping.values()) <= set(POLICY_CATEGORIES)
    for v1_only in (
        "NON_CONSENSUAL_BEHAVIOUR",
        "PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
        "SCOPE_OF_PLATFORM_SERVICE",
        "UNSAFE_AND_ILLEGAL_PRODUCTS",
    ):
        assert f"STATEMENT_CATEGORY_{v1_only}" in mapping


def test_import_refuses_other_exports_and_non_dumps(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "platform.csv").write_text("report_id\n")
    with pytest.raises(TrustmartError, match="another export"):
        import_dsa([V1], out)
    not_a_dump = tmp_path / "x.csv"
    not_a_dump.write_text("a,b\n1,2\n")
    with pytest.raises(TrustmartError, match="not a statement-of-reasons CSV"):
        import_dsa([not_a_dump], tmp_path / "raw2")


def test_unknown_or_empty_decisions_are_written_through(tmp_path: Path) -> None:
    """Codes the mapping does not know reach staging as they are (quarantined
    there as unknown_code, named); an empty decision leaves action empty
    (missing_value); the three automated_decision codes map to two methods."""
    with V2.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        template = next(reader)
        fields = reader.fieldnames or []
    blank = dict.fromkeys(
        ("decision_visibility", "decision_monetary", "decision_provision", "decision_account"), ""
    )
    cases = [
        blank | {"decision_visibility": '["DECISION_VISIBILITY_NEW_KIND"]'},
        blank | {"decision_visibility": "[]"},
        blank | {"decision_monetary": "DECISION_MONETARY_OTHER"},
        blank | {"decision_provision": "DECISION_PROVISION_TOTAL_SUSPENSION"},
        blank
        | {
            "decision_visibility": '["DECISION_VISIBILITY_CONTENT_LABELLED"]',
            "automated_decision": "Yes",
        },
    ]
    source = tmp_path / "cases.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for i, case in enumerate(cases):
            writer.writerow(template | case | {"uuid": f"case-{i}"})
    summary = import_dsa([source], tmp_path / "raw")
    with duckdb.connect() as con:
        rows = con.execute(
            "select action, object_type, decision_method from read_parquet(?) order by uuid",
            [str(tmp_path / "raw" / "enforcements" / "dsa_sor.parquet")],
        ).fetchall()
    assert rows == [
        # the template row is AUTOMATED_DECISION_PARTIALLY -> human
        ('["DECISION_VISIBILITY_NEW_KIND"]', "content", "human"),
        (None, "content", "human"),
        ("restrict", "content", "human"),
        ("suspend", "account", "human"),
        ("label", "content", "Yes"),
    ]
    assert summary.unmapped == {
        "decision": {'["DECISION_VISIBILITY_NEW_KIND"]': 1},
        "automated_decision": {"Yes": 1},
    }

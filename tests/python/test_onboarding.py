"""A real platform's export on day one: the generator's platform vocabulary,
`trustmart init` (profile the export, draft trustmart.yml), and builds of
that export without a config and with the draft.

One small platform-vocabulary export (35 days, scale 0.3) is built twice:
without a config (what a user sees first) and with the drafted config (its
active suggestions taken as confirmed)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import query
from trustmart.build import build
from trustmart.cli import app
from trustmart.config import load_config
from trustmart.config.dbt_vars import dbt_vars
from trustmart.contract import CODE_SETS, POLICY_CATEGORIES, SURFACES, TABLES
from trustmart.generator import GeneratorConfig, generate
from trustmart.generator.vocabulary import PLATFORM_WORDS, code_maps
from trustmart.onboarding.draft import code_values, draft_text
from trustmart.onboarding.profile import CodeColumn, ExportProfile, TableProfile
from trustmart.onboarding.suggest import MIN_ROWS, MIN_SHARE, suggest
from trustmart.summary import print_build_summary

#: sha256 of the CSV export of seed 3, 7 days, scale 0.05, bad-row share
#: 0.05 (file names and bytes, truth.json without its `out` path) as the
#: generator wrote it before the vocabulary option existed. If you change
#: the generating process on purpose, bump GENERATOR_VERSION and update it.
#: Updated for GENERATOR_VERSION 1.1.0 (account linking: evaders and
#: newcomers in account_signals, the truth's account_linking section).
CONTRACT_CSV_DIGEST = "777ca839191e256b9277377cccc9cfe230e4ba4959599443bc5529c481860c70"

SMALL = {"seed": 7, "days": 35, "scale": 0.3, "bad_row_share": 0.02}


def export_digest(out: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name == "truth.json":
            truth = json.loads(data)
            truth["config"]["out"] = "OUT"
            data = json.dumps(truth, indent=2).encode()
        digest.update(str(path.relative_to(out)).encode() + b"\0" + data)
    return digest.hexdigest()


def invoke(*args: str) -> tuple[int, str]:
    """Run the CLI; (exit code, everything it printed)."""
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def flat(text: str) -> str:
    """Text with all whitespace removed (rich wraps lines where it likes)."""
    return "".join(text.split())


def draft_entries(text: str) -> dict[tuple[str, str], bool]:
    """(code set, value) -> active? for every value line of a draft."""
    entries: dict[tuple[str, str], bool] = {}
    code_set = None
    for line in text.splitlines():
        if re.match(r"^  [a-z_]+:$", line):
            code_set = line.strip().rstrip(":")
            continue
        found = re.match(r"^    (# )?(\"(?:[^\"\\]|\\.)*\"|[^:#\s]+): ", line)
        if found and code_set:
            key = found.group(2)
            value = json.loads(key) if key.startswith('"') else key
            entries[(code_set, value)] = found.group(1) is None
    return entries


# -- the generator's platform vocabulary ----------------------------------


def test_contract_vocabulary_writes_what_it_always_wrote(tmp_path: Path) -> None:
    config = GeneratorConfig(
        out=tmp_path / "raw", seed=3, days=7, scale=0.05, fmt="csv", bad_row_share=0.05
    )
    assert config.vocabulary == "contract"
    generate(config)
    assert not (tmp_path / "raw" / "trustmart.yml").exists()
    assert export_digest(tmp_path / "raw") == CONTRACT_CSV_DIGEST


def test_platform_words_are_suggested_back_to_their_contract_codes() -> None:
    for code_set, words in PLATFORM_WORDS.items():
        known = set(CODE_SETS.get(code_set, ())) | (
            set(SURFACES) if code_set == "surface" else set(POLICY_CATEGORIES)
        )
        for code, word in words.items():
            assert code in known and word not in known, (code_set, word)
            found = suggest(code_set, word)
            assert found is not None and (found.code, found.reason) == (code, "synonym"), word


def test_platform_vocabulary_differs_only_in_codes(tmp_path: Path) -> None:
    small = {"seed": 5, "days": 14, "scale": 0.1, "bad_row_share": 0.03}
    contract = generate(GeneratorConfig(out=tmp_path / "contract", **small))
    platform = generate(GeneratorConfig(out=tmp_path / "platform", vocabulary="platform", **small))
    # the same truth: same expected KPIs, same exact bad-row counts
    vocabulary = platform.pop("vocabulary")
    for truth in (contract, platform):
        truth["config"].pop("out")
    assert platform == contract
    assert vocabulary["codes"] == code_maps()
    # the config written beside truth.json maps exactly the platform's words
    written = load_config(tmp_path / "platform" / vocabulary["config"])
    assert written.config.code_maps() == code_maps()

    def listing(root: Path) -> list[str]:
        return sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet"))

    assert listing(tmp_path / "contract") == listing(tmp_path / "platform")
    back = code_maps()
    renamed = 0
    with duckdb.connect() as con:
        for name in listing(tmp_path / "contract"):
            table = TABLES[name.split("/")[0]]
            first = con.execute(f"select * from '{tmp_path / 'contract' / name}'").fetchall()
            second = con.execute(f"select * from '{tmp_path / 'platform' / name}'").fetchall()
            assert len(first) == len(second), name
            codes = table.code_columns
            for row_a, row_b in zip(first, second, strict=True):
                for column, a, b in zip(table.columns, row_a, row_b, strict=True):
                    if column not in codes or a is None:
                        assert a == b, (name, column)
                        continue
                    words = back.get(codes[column], {})
                    word = b.strip().lower()
                    assert words.get(word, word) == a.strip().lower(), (name, column, a, b)
                    # a renamed code never reaches the platform export
                    assert word not in PLATFORM_WORDS.get(codes[column], {}), (name, column)
                    renamed += word in words
    assert renamed > 1000


# -- init on a platform export, builds without and with the draft ----------


@pytest.fixture(scope="module")
def platform_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    raw = tmp_path_factory.mktemp("platform") / "raw"
    return raw, generate(GeneratorConfig(out=raw, vocabulary="platform", **SMALL))


@pytest.fixture(scope="module")
def plain_db(platform_export, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The platform export built without a config."""
    raw, _ = platform_export
    return build(raw, tmp_path_factory.mktemp("plain") / "warehouse.duckdb").db


@pytest.fixture(scope="module")
def drafted(platform_export, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`trustmart init` on the platform export: (draft, what it printed)."""
    raw, _ = platform_export
    draft = tmp_path_factory.mktemp("init") / "trustmart.yml"
    code, output = invoke("init", "--raw", str(raw), "--out", str(draft))
    assert code == 0, output
    return draft, output


@pytest.fixture(scope="module")
def draft_db(platform_export, drafted, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The platform export built with the draft (its suggestions confirmed)."""
    raw, _ = platform_export
    db = tmp_path_factory.mktemp("drafted") / "warehouse.duckdb"
    return build(raw, db, config=load_config(drafted[0])).db


def test_init_drafts_every_unknown_value_the_build_finds(plain_db: Path, drafted) -> None:
    draft, output = drafted
    text = draft.read_text()
    load_config(draft)  # the draft loads
    entries = draft_entries(text)
    unknown = query(
        plain_db, "select distinct code_set, platform_value from marts.fct_unknown_codes"
    )
    assert len(unknown) > 15
    missing = [(s, v) for s, v in unknown if (s, v) not in entries]
    assert not missing, missing
    # the platform's words are active; the generator's bad codes are commented out
    for code_set, words in PLATFORM_WORDS.items():
        for code, word in words.items():
            assert entries[(code_set, word)] is True, word
            assert re.search(rf"^    {word}: {code}   # SUGGESTED \(synonym\)", text, re.M)
    for bad in ("metaverse", "shadowban", "jaywalking", "fingerprint", "extreme"):
        assert any(v == bad and not active for (_, v), active in entries.items()), bad
    assert re.search(r"^    # fingerprint: device   # \d+ rows \(0\.\d\d%\).*rare", text, re.M)
    # the screen: tables, code columns, the draft and what to do next
    said = flat(output)
    for words in (
        "reports",
        "timeline",
        "metaverse",
        f"Draftconfigwrittento{draft}",
        "trustmartbuild--raw",
        f"--config{draft}",
        f"trustmartcheck--config{draft}",
    ):
        assert flat(words) in said, words


def test_init_refuses_to_overwrite_without_force(platform_export, drafted) -> None:
    raw, _ = platform_export
    draft, _ = drafted
    before = draft.read_text()
    code, output = invoke("init", "--raw", str(raw), "--out", str(draft))
    assert code == 1 and "alreadyexists" in flat(output) and "--force" in output
    assert draft.read_text() == before


def test_build_summary_names_each_unknown_value_with_its_rows(plain_db: Path) -> None:
    record = Console(file=io.StringIO(), width=300, record=True)
    print_build_summary(plain_db, record)
    lines = record.export_text().splitlines()
    unknown = query(
        plain_db,
        "select source_table, column_name, platform_value, quarantined_rows "
        "from marts.fct_unknown_codes",
    )
    for table, column, value, rows in unknown:
        cells = [table, column, value, f"{rows:,}"]
        assert any([c.strip() for c in line.split("│")[1:5]] == cells for line in lines), cells
    # the platform's frequent words come with a suggestion; the deliberate
    # bad codes are rare and get none (the same rule as init's draft)
    text = "\n".join(lines)
    assert "codes: {surface: {timeline: feed}}  # suggested (synonym)" in text
    shadowban = next(line for line in lines if "│ shadowban " in line)
    assert "<contract value>}}  # rare: probably bad data" in shadowban


def test_build_with_the_draft_quarantines_exactly_the_bad_rows(
    platform_export, drafted, draft_db: Path
) -> None:
    raw, truth = platform_export
    counted = {
        (table, reason): rows
        for table, reason, rows in query(
            draft_db,
            "select source_table, reason, count(*) from marts.fct_quarantined_rows group by all",
        )
    }
    expected = {
        (table, reason): rows
        for table, reasons in truth["bad_rows"].items()
        for reason, rows in reasons.items()
        if rows
    }
    assert counted == expected
    staged = dict(
        query(draft_db, "select source_table, staged_rows from marts.fct_raw_reconciliation")
    )
    assert staged == truth["expected_staged_rows"]
    # the generator's own config tells dbt exactly what the draft does, so
    # both give the same staged data
    generator_config = load_config(raw / truth["vocabulary"]["config"]).config
    assert dbt_vars(load_config(drafted[0]).config) == dbt_vars(generator_config)


def test_the_draft_build_stages_contract_codes_only(draft_db: Path) -> None:
    surfaces = {
        s for (s,) in query(draft_db, "select distinct surface from staging.stg_raw__reports")
    }
    assert surfaces == set(SURFACES)
    raw_values = dict(
        query(
            draft_db,
            "select distinct surface_raw, surface from staging.stg_raw__views_daily",
        )
    )
    assert raw_values["timeline"] == "feed" and raw_values["inbox"] == "messages"


# -- the rule for rare values -----------------------------------------------


def profile_of(values: dict[str, int], code_set: str = "appeal_status") -> ExportProfile:
    column = CodeColumn("appeals", "status", code_set, sum(values.values()))
    column.values.update(values)
    table = TableProfile("appeals", files=1, files_read=1, rows=column.non_blank)
    table.code_columns["status"] = column
    return ExportProfile(Path("/raw"), {"appeals": table}, [], [], [], [])


def test_rare_or_unsuggested_values_are_never_mapped_silently(tmp_path: Path) -> None:
    values = {
        "pending": 200_000,
        "upheld": 100_000,
        "open": 60_000,  # frequent, a synonym: active
        "xyz": 4_000,  # frequent, no suggestion: commented
        "pendingg": 3_000,  # frequent, only a look-alike spelling: commented
        "in_review": 6,  # a synonym, but rare: commented
        "cancelled": MIN_ROWS - 1,  # a synonym, under the row count: commented
        "no": 2_000,  # a YAML word, rare by share
        'weird: "#value"': 30_000,
        "x" * 250: 25_000,  # too long for a config key: commented
    }
    assert 2_000 / sum(values.values()) < MIN_SHARE < 3_000 / sum(values.values())
    text = draft_text(profile_of(values))
    path = tmp_path / "trustmart.yml"
    path.write_text(text)
    assert load_config(path).config.code_maps() == {"appeal_status": {"open": "pending"}}
    entries = draft_entries(text)
    unknown = {v for v in values if v not in CODE_SETS["appeal_status"]}
    assert {v for (_, v) in entries} == unknown
    assert [v for (_, v), active in entries.items() if active] == ["open"]
    lines = {v: line for line in text.splitlines() for v in unknown if f" {v}:" in line}
    assert (
        "6 rows (<0.01%)" in lines["in_review"] and "rare, probably bad data" in lines["in_review"]
    )
    assert lines["in_review"].startswith("    # in_review: pending")
    assert (
        lines["xyz"].startswith("    # xyz: ?")
        and "no suggestion; map it to one of" in lines["xyz"]
    )
    assert "4,000 rows" in lines["xyz"]
    assert "spelling only" in lines["pendingg"]
    # the statuses the screen shows come from the same rule
    statuses = {v.value: v.status for v in code_values(profile_of(values))["appeal_status"]}
    assert statuses["open"] == "suggested" and statuses["in_review"] == "rare"


def test_an_export_in_the_contract_vocabulary_drafts_no_codes(tmp_path: Path) -> None:
    text = draft_text(profile_of({"pending": 500, "upheld": 400}))
    assert "\ncodes:" not in text and "No unknown codes" in text
    path = tmp_path / "trustmart.yml"
    path.write_text(text)
    assert load_config(path).config.code_maps() == {}


# -- a messy export ---------------------------------------------------------


def test_init_reports_missing_tables_columns_and_unreadable_files(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    generate(GeneratorConfig(out=raw, seed=3, days=14, scale=0.05, fmt="csv"))
    shutil.rmtree(raw / "views_daily")
    with duckdb.connect() as con:
        # a file without the required column decision_method, another gzipped
        first, second = sorted((raw / "enforcements").glob("*-a.csv"))
        con.execute(
            "copy (select * exclude (decision_method) from "
            f"read_csv('{first}', all_varchar = true)) to '{first}' (header)"
        )
        con.execute(
            f"copy (select * from read_csv('{second}', all_varchar = true)) "
            f"to '{second}.gz' (header, compression gzip)"
        )
    second.unlink()
    # an appeals file in JSON lines with a broken line, and a truncated Parquet file
    appeals = sorted((raw / "appeals").glob("*.csv"))[0]
    with duckdb.connect() as con:
        lines = [
            line
            for (line,) in con.execute(
                f"select to_json(t) from read_csv('{appeals}', all_varchar = true) as t limit 5"
            ).fetchall()
        ]
    (raw / "appeals" / "extra.jsonl").write_text(
        "\n".join(lines) + '\n{"appeal_id": "ap1", broken\n'
    )
    (raw / "detections" / "truncated.parquet").write_bytes(b"PAR1" + b"\0" * 64)
    # a CSV line with a field too many
    reports = sorted((raw / "reports").glob("*.csv"))[0]
    with reports.open("a") as handle:
        handle.write("r1,2026-01-05T00:00:00Z,u1,user,content,c1,a1,feed,spam,x,y,z\n")
    out = tmp_path / "trustmart.yml"
    code, output = invoke("init", "--raw", str(raw), "--out", str(out))
    assert code == 0, output
    said = flat(output)
    assert flat("Missing table: views_daily") in said
    assert flat("Missing column: enforcements.decision_method (required)") in said
    enforcement_files = len(list((raw / "enforcements").iterdir()))
    assert flat(f"absent from 1 of {enforcement_files} file(s): {first.name}") in said
    assert flat(f"Skipped file: {raw / 'detections' / 'truncated.parquet'}") in said
    assert flat("Malformed lines: 2 line(s)") in said
    load_config(out)
    # the gzipped CSV and the readable JSON lines were read
    appeal_files = len(list((raw / "appeals").iterdir()))
    assert re.search(rf"│ enforcements\s+│ {enforcement_files} of {enforcement_files} ", output)
    assert re.search(rf"│ appeals\s+│ {appeal_files} of {appeal_files} ", output)
    assert re.search(r"│ detections\s+│ 2 of 3 ", output)

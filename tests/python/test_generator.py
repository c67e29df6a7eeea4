"""Tests of the synthetic raw export generator (trustmart.generator).

The contract rules are re-applied here in plain SQL over the written files
(independently of the dbt models), and must reproduce the generator's
truth.json counts exactly.
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from trustmart.contract import (
    CLOCK_SKEW_MINUTES,
    CODE_SETS,
    POLICY_CATEGORIES,
    QUARANTINE_REASONS,
    SURFACES,
    TABLES,
)
from trustmart.generator import GeneratorConfig, generate

SMALL = {"scale": 0.2, "days": 28}
FORMATS = ("parquet", "csv", "jsonl")

# -- the contract, as the checker needs it --------------------------------
TIMESTAMPS = {
    "reported_at",
    "detected_at",
    "decided_at",
    "appealed_at",
    "resolved_at",
    "ingested_at",
    "viewed_at",
    "labeled_at",
    "reviewed_at",
    "observed_at",
}
EVENTS = {"reported_at", "detected_at", "decided_at", "appealed_at", "resolved_at"}
DATES = {"date"}
BOOLEANS = {"is_violation", "is_violating", "agrees"}
NUMBERS = {
    "score": ("double", "unit_interval"),
    "views": ("bigint", "non_negative"),
    "active_users": ("bigint", "non_negative"),
    "inclusion_probability": ("double", "probability"),
}
#: The contract's nullable columns and code columns, read from it (the
#: sources YAML, through trustmart.contract), never restated here.
NULLABLE = {c.name for t in TABLES.values() for c in t.column_meta if c.nullable}


def _code_set(name: str) -> tuple[str, ...]:
    if name == "surface":
        return tuple(SURFACES)
    if name == "policy_category":
        return tuple(POLICY_CATEGORIES)
    return CODE_SETS[name]


CODES = {
    column: _code_set(code_set)
    for t in TABLES.values()
    for column, code_set in t.code_columns.items()
}
TS_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def _blank(c: str) -> str:
    return f"nullif(trim(\"{c}\"), '') is null"


def _typed(c: str) -> str:
    if c in TIMESTAMPS:
        return f"timezone('UTC', try_cast(trim(\"{c}\") as timestamptz))"
    if c in DATES:
        return f'try_cast(trim("{c}") as date)'
    if c in BOOLEANS:
        return f'try_cast(lower(trim("{c}")) as boolean)'
    if c in NUMBERS:
        return f'try_cast(trim("{c}") as {NUMBERS[c][0]})'
    if c in CODES:
        return f"nullif(lower(trim(\"{c}\")), '')"
    return f"nullif(trim(\"{c}\"), '')"


def _reader(raw: Path, table: str, fmt: str) -> str:
    cols = TABLES[table].columns
    glob = f"{raw / table}/*.{fmt}"
    if fmt == "jsonl":
        sel = ", ".join(f"json_extract_string(json, '$.{c}') as \"{c}\"" for c in cols)
        return f"select {sel}, filename from read_ndjson_objects('{glob}', filename = true)"
    if fmt == "csv":
        src = f"read_csv('{glob}', all_varchar = true, header = true, filename = true)"
    else:
        src = f"read_parquet('{glob}', filename = true)"
    sel = ", ".join(f'cast("{c}" as varchar) as "{c}"' for c in cols)
    return f"select {sel}, filename from {src}"


def _checks(table: str) -> list[tuple[str, str]]:
    t = TABLES[table]
    checks = [("null_key", _blank(k)) for k in t.key]
    checks += [
        ("missing_value", _blank(c)) for c in t.columns if c not in t.key and c not in NULLABLE
    ]
    if table == "enforcements":
        checks.append(
            (
                "missing_value",
                f"{_typed('is_violation')} and "
                f"({_blank('policy_category')} or {_blank('severity')})",
            )
        )
    checks += [
        ("unparsable_timestamp", f"not {_blank(c)} and {_typed(c)} is null")
        for c in t.columns
        if c in TIMESTAMPS | DATES
    ]
    checks += [
        ("invalid_value", f"not {_blank(c)} and {_typed(c)} is null")
        for c in t.columns
        if c in BOOLEANS or c in NUMBERS
    ]
    for c in t.columns:
        if c in NUMBERS and NUMBERS[c][1] == "unit_interval":
            checks.append(("invalid_value", f"{_typed(c)} < 0 or {_typed(c)} > 1"))
        if c in NUMBERS and NUMBERS[c][1] == "non_negative":
            checks.append(("invalid_value", f"{_typed(c)} < 0"))
    for c in t.columns:
        if c in CODES:
            allowed = ", ".join(f"'{v}'" for v in CODES[c])
            checks.append(("unknown_code", f"{_typed(c)} not in ({allowed})"))
    if "inclusion_probability" in t.columns:
        v = _typed("inclusion_probability")
        checks.append(("probability_out_of_range", f"{v} <= 0 or {v} > 1"))
    if "ingested_at" in t.columns:
        checks += [
            (
                "event_after_ingestion",
                f"{_typed(c)} > {_typed('ingested_at')} + interval {CLOCK_SKEW_MINUTES} minute",
            )
            for c in t.columns
            if c in EVENTS
        ]
    if table == "appeals":
        checks.append(
            ("resolved_before_appealed", f"{_typed('resolved_at')} < {_typed('appealed_at')}")
        )
    if "enforcement_id" in t.columns and table != "enforcements":
        checks.append(
            (
                "unknown_enforcement",
                "nullif(trim(enforcement_id), '') not in "
                "(select enforcement_id from fated_enforcements where fate = 'staged')",
            )
        )
    order = {r: i for i, r in enumerate(QUARANTINE_REASONS)}
    return sorted(checks, key=lambda rc: order[rc[0]])


def check_export(raw: Path, fmt: str) -> duckdb.DuckDBPyConnection:
    """Tables fated_<table>: the raw rows as text, `fate` (staged / superseded
    / quarantined), `reason`, and the typed columns `t_<column>`."""
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    for table in ("enforcements", *[t for t in TABLES if t != "enforcements"]):
        t = TABLES[table]
        cases = " ".join(f"when {cond} then '{reason}'" for reason, cond in _checks(table))
        typed = ", ".join(f"{_typed(c)} as t_{c}" for c in t.columns)
        key = ", ".join(f"t_{k}" for k in t.key)
        ing = "t_ingested_at" if "ingested_at" in t.columns else "null::timestamp"
        con.execute(f"""
            create table fated_{table} as
            with src as ({_reader(raw, table, fmt)}),
            numbered as (select *, row_number() over () as src_row from src),
            checked as (select *, {typed}, case {cases} end as row_reason from numbered),
            ranked as (
                select *,
                    row_number() over (partition by {key}
                        order by {ing} desc nulls last, filename desc, src_row desc) as rnk,
                    max({ing}) over (partition by {key}) as latest
                from checked where row_reason is null
            )
            select * exclude (rnk, latest, row_reason),
                case when rnk = 1 then 'staged' when {ing} < latest then 'superseded'
                     else 'quarantined' end as fate,
                case when rnk > 1 and not coalesce({ing} < latest, false)
                     then 'duplicate_key' end as reason
            from ranked
            union all by name
            select * exclude (row_reason), 'quarantined' as fate, row_reason as reason
            from checked where row_reason is not null
        """)
    return con


def _file_hashes(raw: Path) -> dict[str, str]:
    return {
        str(f.relative_to(raw)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(raw.rglob("*"))
        if f.is_file()
    }


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict]]:
    """One small export per format (more bad rows than default, so every
    reason shows up)."""
    out = {}
    for fmt in FORMATS:
        raw = tmp_path_factory.mktemp(fmt) / "raw"
        out[fmt] = raw, generate(GeneratorConfig(out=raw, fmt=fmt, bad_row_share=0.03, **SMALL))
    return out


@pytest.fixture(scope="module")
def checked(exports: dict[str, tuple[Path, dict]]) -> dict[str, duckdb.DuckDBPyConnection]:
    return {fmt: check_export(raw, fmt) for fmt, (raw, _) in exports.items()}


def test_deterministic_per_seed(tmp_path: Path) -> None:
    progress: list[tuple[int, int]] = []
    a = generate(
        GeneratorConfig(out=tmp_path / "a", **SMALL), progress=lambda d, t: progress.append((d, t))
    )
    b = generate(GeneratorConfig(out=tmp_path / "b", **SMALL))
    c = generate(GeneratorConfig(out=tmp_path / "c", seed=7, **SMALL))
    ha, hb, hc = (_file_hashes(tmp_path / x) for x in "abc")
    drop_out = [{k: v for k, v in t.items() if k != "config"} for t in (a, b, c)]
    assert ha.keys() == hb.keys() and ha == {**hb, "truth.json": ha["truth.json"]}
    assert drop_out[0] == drop_out[1]
    assert drop_out[0]["raw_rows"] != drop_out[2]["raw_rows"]
    assert {k: v for k, v in ha.items() if k != "truth.json"} != {
        k: v for k, v in hc.items() if k != "truth.json"
    }
    assert progress[-1] == (4, 4) and len(progress) == 4


def test_rerun_replaces_files(tmp_path: Path) -> None:
    generate(GeneratorConfig(out=tmp_path, fmt="csv", scale=0.05, days=14))
    generate(GeneratorConfig(out=tmp_path, fmt="parquet", scale=0.05, days=7))
    assert not list(tmp_path.rglob("*.csv"))
    assert len(list((tmp_path / "reports").iterdir())) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_layout_and_types(exports: dict[str, tuple[Path, dict]], fmt: str) -> None:
    raw, truth = exports[fmt]
    assert (raw / "truth.json").is_file()
    for table in TABLES:
        files = sorted((raw / table).iterdir())
        assert len(files) > 1 and all(f.suffix == f".{fmt}" for f in files), table
    if fmt == "parquet":
        types = dict(
            duckdb.sql(f"describe select * from '{raw}/enforcements/*.parquet'").fetchall()[i][:2]
            for i in range(14)
        )
        assert types["is_violation"] == "BOOLEAN" and types["decided_at"] == "VARCHAR"
        types = dict(
            r[:2]
            for r in duckdb.sql(f"describe select * from '{raw}/views_daily/*.parquet'").fetchall()
        )
        assert types == {"date": "VARCHAR", "surface": "VARCHAR", "views": "BIGINT"}
    if fmt == "jsonl":
        line = (raw / "prevalence_samples").glob("*.jsonl").__next__().read_text().splitlines()[0]
        assert re.search(r'"inclusion_probability":[0-9.e-]+,', line)
        assert re.search(r'"is_violating":(true|false),', line)
    if fmt == "csv":
        header = next((raw / "reports").glob("*.csv")).read_text().splitlines()[0]
        assert header.replace('"', "").split(",") == list(TABLES["reports"].columns)
    assert truth["config"]["fmt"] == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_sql_rules_reproduce_truth_counts(
    exports: dict[str, tuple[Path, dict]],
    checked: dict[str, duckdb.DuckDBPyConnection],
    fmt: str,
) -> None:
    _, truth = exports[fmt]
    con = checked[fmt]
    seen: set[str] = set()
    for table in TABLES:
        rows = con.execute(
            f"select fate, reason, count(*) from fated_{table} group by all"
        ).fetchall()
        raw = sum(n for *_, n in rows)
        bad = {r: n for fate, r, n in rows if fate == "quarantined"}
        superseded = sum(n for fate, _, n in rows if fate == "superseded")
        staged = sum(n for fate, _, n in rows if fate == "staged")
        expected_bad = {r: n for r, n in truth["bad_rows"][table].items() if n}
        assert bad == expected_bad, table
        assert raw == truth["raw_rows"][table], table
        assert superseded == truth["superseded_rows"][table], table
        assert staged == truth["expected_staged_rows"][table], table
        seen |= set(bad)
    # every row rule but two (the generator's bad rows never leave a value
    # empty or unparsable as a number); lines and files that cannot be read
    # at all are not rows the generator writes
    row_rules = set(QUARANTINE_REASONS) - {"malformed_line", "unreadable_file"}
    assert seen == row_rules - {"missing_value", "invalid_value"}


def test_good_rows_follow_the_contract(
    checked: dict[str, duckdb.DuckDBPyConnection], exports: dict[str, tuple[Path, dict]]
) -> None:
    con = checked["parquet"]
    _, truth = exports["parquet"]
    # every good timestamp is ISO-8601 with Z or an offset
    for table in TABLES:
        for c in TABLES[table].columns:
            if c in TIMESTAMPS:
                values = [
                    v
                    for (v,) in con.execute(
                        f"select \"{c}\" from fated_{table} where fate != 'quarantined' "
                        f'and "{c}" is not null'
                    ).fetchall()
                ]
                assert all(TS_PATTERN.match(v) for v in values), (table, c)
    # decisions: violations carry category and severity; others none of them
    bad = con.execute("""
        select count(*) from fated_enforcements where fate = 'staged' and (
            (t_is_violation and (t_policy_category is null or t_severity is null
                                 or t_action = 'none'))
            or (not t_is_violation and (t_policy_category is not null
                                        or t_severity is not null or t_action != 'none')))
    """).fetchone()[0]
    assert bad == 0
    # some good rows ingested before their event (within the allowed skew),
    # some reports after the decision, valid code variants, appeals re-delivered
    skew = con.execute(
        "select count(*) from fated_reports where fate = 'staged' and t_reported_at > t_ingested_at"
    ).fetchone()[0]
    variants = con.execute(
        "select count(*) from fated_reports where fate = 'staged' "
        "and (surface != t_surface or reporter_type != t_reporter_type)"
    ).fetchone()[0]
    statuses = dict(
        con.execute(
            "select t_status, count(*) from fated_appeals where fate != 'quarantined' group by 1"
        ).fetchall()
    )
    assert skew > 0 and variants > 0
    assert statuses["pending"] > statuses["reversed"] > 0 and statuses["withdrawn"] > 0
    data_end = max(
        con.execute(f"select max(t_{c}) from fated_{t} where fate != 'quarantined'").fetchone()[0]
        for t in TABLES
        for c in TABLES[t].columns
        if c in TIMESTAMPS - {"ingested_at"}
    )
    assert data_end.strftime("%Y-%m-%dT%H:%M:%SZ") == truth["data_end"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_offset_rows_same_instant(
    exports: dict[str, tuple[Path, dict]],
    checked: dict[str, duckdb.DuckDBPyConnection],
    fmt: str,
) -> None:
    _, truth = exports[fmt]
    con = checked[fmt]
    for table in TABLES:
        cols = [c for c in TABLES[table].columns if c in TIMESTAMPS]
        if not cols:
            assert truth["offset_rows"][table] == 0
            continue
        has_offset = " or ".join(f"regexp_matches(\"{c}\", '[+-]\\d\\d:\\d\\d$')" for c in cols)
        rows = con.execute(
            f"select {', '.join(f'{chr(34)}{c}{chr(34)}, t_{c}' for c in cols)} "
            f"from fated_{table} where fate != 'quarantined' and ({has_offset})"
        ).fetchall()
        assert len(rows) == truth["offset_rows"][table], table
        assert table not in ("reports", "enforcements") or len(rows) > 0
        for row in rows:
            for text, instant in zip(row[::2], row[1::2], strict=True):
                if text is not None:
                    parsed = datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None)
                    assert parsed == instant
    # re-deliveries: the same decision / appeal keeps its instant whatever the offset
    differing = con.execute("""
        select count(*), count(distinct t_decided_at) from fated_enforcements e
        where fate != 'quarantined' and enforcement_id in (
            select enforcement_id from fated_enforcements where fate = 'superseded')
        group by enforcement_id having count(distinct decided_at) > 1
    """).fetchall()
    assert all(n_instants == 1 for _, n_instants in differing)
    assert (
        con.execute("""
        select count(*) from fated_appeals a join fated_appeals b using (appeal_id)
        where a.fate = 'superseded' and b.fate = 'staged' and a.t_appealed_at != b.t_appealed_at
    """).fetchone()[0]
        == 0
    )


def test_estimates_near_truth(
    exports: dict[str, tuple[Path, dict]], checked: dict[str, duckdb.DuckDBPyConnection]
) -> None:
    """Hajek prevalence and the overturn share of the written data fall
    within a few standard errors of the truth."""
    _, truth = exports["parquet"]
    con = checked["parquet"]
    params = truth["parameters"]
    strata = con.execute("""
        select t_surface, t_stratum, count(*), sum(1 / t_inclusion_probability),
               sum(t_is_violating::int / t_inclusion_probability)
        from fated_prevalence_samples where fate = 'staged' group by all
    """).fetchall()
    total_w = sum(w for *_, w, _ in strata)
    est_all, var_all = 0.0, 0.0
    for surface in SURFACES:
        rows = [r for r in strata if r[0] == surface]
        w_s = sum(r[3] for r in rows)
        est = sum(r[4] for r in rows) / w_s
        var = 0.0
        for _, stratum, n, w, _ in rows:
            rate = params["prevalence_by_surface"][surface]["strata"][stratum]["violation_rate"]
            var += (w / w_s) ** 2 * rate * (1 - rate) / n
            var_all += (w / total_w) ** 2 * rate * (1 - rate) / n
        expected = params["prevalence_by_surface"][surface]["value"]
        assert abs(est - expected) < 4 * math.sqrt(var), surface
        est_all += est * w_s / total_w
    expected = params["prevalence_overall"]["value"]
    assert abs(est_all - expected) < 4 * math.sqrt(var_all)

    n_reversed, n_resolved = con.execute("""
        select count(*) filter (where t_status = 'reversed'), count(*)
        from fated_appeals where fate = 'staged'
          and t_status in ('upheld', 'reversed', 'partially_reversed')
    """).fetchone()
    p = params["overturn_probability"]["expected_all_period"]
    assert abs(n_reversed / n_resolved - p) < 4 * math.sqrt(p * (1 - p) / n_resolved)


def test_truth_parameters(exports: dict[str, tuple[Path, dict]]) -> None:
    _, truth = exports["parquet"]
    params = truth["parameters"]
    for name in (
        "prevalence_by_surface",
        "prevalence_overall",
        "overturn_probability",
        "partial_reversal_probability",
        "appeal_probability",
        "withdraw_probability",
        "reoffence",
        "detector_precision",
        "tta",
        "enforcement_accuracy",
        "report_rate_per_1k_dau",
        "attack_wave",
    ):
        assert "notes" in params[name], name
    reoffence = params["reoffence"]
    assert 0 < reoffence["expected_rate_30d"] < reoffence["expected_rate_90d"] < reoffence["q"]
    for sev, tta in params["tta"].items():
        if sev != "notes":
            assert 0 < tta["expected_p50_hours"] < tta["expected_p90_hours"]
            assert 0 < tta["expected_within_p90_target_rate"] < 1
    assert params["attack_wave"]["start"] < truth["data_end"]
    assert truth["config"]["end_date"] == "2026-02-01"

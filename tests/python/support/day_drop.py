"""Forced late rows for a "day drop" (tests of incremental builds): the
decision of an appeal moved into the day, decisions re-delivered with a
changed action, pending appeals resolved, and an identity signal that
merges two account entities. Each reads the raw export or a DuckDB build of
it and writes Parquet files into the held-back day folder."""

from __future__ import annotations

from pathlib import Path

import duckdb

from trustmart.generator.drops import keep_rows

FORCED = 5  # re-delivered decisions and resolved appeals forced into the day


def move_a_decision_late(raw: Path, held: Path, day: str) -> Path:
    """Move every row of one appealed decision into the day drop, so that its
    appeals wait for it as `unknown_enforcement`; return the day file."""
    late_file = held / "enforcements" / f"{day}-z-late.parquet"
    with duckdb.connect() as con:
        con.execute(f"create table enf as select * from read_parquet('{raw}/enforcements/*')")
        con.execute(f"create table app as select * from read_parquet('{raw}/appeals/*')")
        con.execute(
            "create table late_enf as select * from enf where enforcement_id = ("
            "select min(enforcement_id) from app join enf using (enforcement_id))"
        )
        con.execute(f"copy late_enf to '{late_file}' (format parquet)")
        keep_rows(
            con,
            sorted((raw / "enforcements").glob("*.parquet")),
            "enforcement_id not in (select enforcement_id from late_enf)",
        )
    return late_file


def write_redeliveries(published: Path, held: Path, day: str) -> None:
    """Day files re-delivering staged decisions with a changed action, and
    resolving pending appeals, all ingested late on `day`."""
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    late = f"'{day}T23:00:00Z'"
    with duckdb.connect(str(published), read_only=True) as con:
        con.execute(
            f"""copy (
                select enforcement_id, strftime(decided_at, '{stamp}') as decided_at,
                    object_type, object_id, account_id, surface, is_violation,
                    policy_category, severity,
                    case when action = 'remove' then 'restrict' else 'remove' end as action,
                    decision_method, queue, reviewer_id, {late} as ingested_at
                from staging.stg_raw__enforcements where is_violation
                order by enforcement_id limit {FORCED}
            ) to '{held / "enforcements" / f"{day}-z-redelivered.parquet"}'
            (format parquet)"""
        )
        con.execute(
            f"""copy (
                select appeal_id, enforcement_id, strftime(appealed_at, '{stamp}') as appealed_at,
                    'reversed' as status, '{day}T22:00:00Z' as resolved_at,
                    'human' as resolution_method, {late} as ingested_at
                from staging.stg_raw__appeals where status = 'pending'
                order by appeal_id limit {FORCED}
            ) to '{held / "appeals" / f"{day}-z-resolved.parquet"}' (format parquet)"""
        )


def write_merging_signal(published: Path, held: Path, day: str) -> list[str]:
    """A day file in which two accounts of different entities share a new
    email: the smallest account of each of the two smallest entities."""
    with duckdb.connect(str(published), read_only=True) as con:
        accounts = [
            r[0]
            for r in con.execute(
                "select distinct entity_id from marts.dim_account_entities "
                "order by entity_id limit 2"
            ).fetchall()
        ]
    folder = held / "account_signals"
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(
            f"""copy (
                select account_id, 'email' as signal_type,
                    'merge-test-0123456789abcdef' as signal_value,
                    '{day}T21:00:00Z' as observed_at
                from (values ('{accounts[0]}'), ('{accounts[1]}')) as t(account_id)
            ) to '{folder / f"{day}-z-merge.parquet"}' (format parquet)"""
        )
    return accounts

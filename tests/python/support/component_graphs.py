"""Large account-linking graphs for the entity computation, without a build:
a chain of accounts whose ids are out of order (the diameter is the chain's
length), one `case` value shared by every account of a component (a star:
n(n-1) direct pairs, n memberships) and many small random components. The
dbt operation components_of_members runs the build's iteration
(build_components_table) on them, and a union-find in Python says what the
components are. Used by test_account_linking and bench/linking_scale.py."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from trustmart.dbt_runner import run_dbt

MEMBERS = "main.graph_members"
PREFIX = "main.components_"


def _in(db: Path, name: str) -> str:
    """`name` qualified by the catalog of `db` (named after the file)."""
    return f"{db.stem}.{name}"


_ROUNDS = re.compile(r"components settled in (\d+) rounds")


def write_graph(db: Path, chain: int, case: int, small: int) -> None:
    """`MEMBERS` (account_id, signal_type, signal_value) in `db`: a chain of
    `chain` accounts (each shares a device with the next; ids hashed, so out
    of order along the chain), one case value of `case` accounts, and
    `small` accounts spread over random devices and emails."""
    with duckdb.connect(str(db)) as con:
        con.execute(f"drop table if exists {MEMBERS}")
        con.execute(
            f"""
            create table {MEMBERS} as
            with chain as (
                select i, 'c' || lpad(cast(hash(i) % 1000000007 as varchar), 10, '0') || '-' || i
                    as account_id
                from range({chain}) as t (i)
            )
            select account_id, 'device' as signal_type, 'chain-' || i as signal_value
            from chain where i < {chain} - 1
            union all
            select account_id, 'device', 'chain-' || (i - 1) from chain where i > 0
            union all
            select 'k' || lpad(cast(hash(i + 7) % 1000000007 as varchar), 10, '0') || '-' || i,
                'case', 'spi-1'
            from range({case}) as t (i)
            union all
            select 's-' || i, 'device', 'd-' || (hash(i * 7 + 1) % greatest({small} // 2, 1))
            from range({small}) as t (i)
            union all
            select 's-' || i, 'email', 'e-' || (hash(i * 13 + 5) % greatest({small} // 2, 1))
            from range({small}) as t (i)
            """
        )


@dataclass(frozen=True)
class Components:
    """What the operation computed: account -> smallest account of its
    component, in how many rounds and seconds (dbt's parse included)."""

    roots: dict[str, str]
    rounds: int
    seconds: float


def run_components(db: Path, log_path: Path) -> Components:
    """Runs the dbt operation on `MEMBERS` and reads `<PREFIX>components`."""
    started = time.perf_counter()
    result = run_dbt(
        [
            "run-operation",
            "components_of_members",
            "--args",
            f"{{members_query: 'select account_id, signal_type, signal_value from "
            f"{_in(db, MEMBERS)}', prefix: '{_in(db, PREFIX)}'}}",
        ],
        env={"TRUSTMART_DB": str(db)},
        log_path=log_path,
    )
    seconds = time.perf_counter() - started
    assert result.ok, result.error_digest
    rounds = _ROUNDS.search(log_path.read_text(encoding="utf-8"))
    assert rounds, f"no round count in {log_path}"
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(f"select account_id, parent_id from {PREFIX}components").fetchall()
    roots = dict(rows)
    return Components(roots, int(rounds.group(1)), seconds)


def union_find_roots(db: Path) -> dict[str, str]:
    """Account -> smallest account of its component, by union-find over
    the accounts sharing each value of `MEMBERS`."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    with duckdb.connect(str(db), read_only=True) as con:
        values = con.execute(
            f"select list(account_id) from {MEMBERS} group by signal_type, signal_value"
        ).fetchall()
    for (accounts,) in values:
        for account in accounts:
            first, other = find(accounts[0]), find(account)
            if first != other:
                parent[max(first, other)] = min(first, other)
    return {account: find(account) for account in parent}

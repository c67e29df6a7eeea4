"""Account linking on the seeded generated warehouse (the session's
`generated` build, shared with test_kpi_truth): no signal value is
published, entities are the connected components of the published links,
and the link table and the entity dimension agree.
Expected metric values are checked in test_kpi_truth."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import query
from support import component_graphs
from trustmart.dbt_runner import DbtResult, run_dbt


def test_no_signal_value_in_any_mart(generated: tuple[Path, Path, dict]) -> None:
    _, db, _ = generated
    columns = query(
        db,
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR'",
    )
    assert columns
    (values,) = query(
        db, "select count(distinct signal_value) from staging.stg_raw__account_signals"
    )[0]
    assert values > 1000
    leaks = []
    for table, column in columns:
        (found,) = query(
            db,
            f'select count(*) from marts."{table}" where "{column}" in '
            "(select signal_value from staging.stg_raw__account_signals)",
        )[0]
        if found:
            leaks.append((table, column, found))
    assert leaks == []


def test_entities_are_the_components_of_the_links(generated: tuple[Path, Path, dict]) -> None:
    """Every link joins two accounts of one entity; an entity's size is its
    row count; and each entity with more than one account is connected by
    links of its own (no account in it without a link)."""
    _, db, _ = generated
    (cross_entity_links,) = query(
        db,
        """
        select count(*) from marts.fct_account_links as links
        inner join marts.dim_account_entities as a on links.account_id = a.account_id
        inner join marts.dim_account_entities as b on links.linked_account_id = b.account_id
        where a.entity_id != b.entity_id or links.entity_id != a.entity_id
        """,
    )[0]
    assert cross_entity_links == 0
    (wrong_sizes,) = query(
        db,
        """
        select count(*) from (
            select entity_id, count(*) as accounts, max(entity_accounts) as said
            from marts.dim_account_entities group by entity_id
        ) where accounts != said
        """,
    )[0]
    assert wrong_sizes == 0
    (unlinked_members,) = query(
        db,
        """
        select count(*) from marts.dim_account_entities as e
        where e.entity_accounts > 1 and not exists (
            select 1 from marts.fct_account_links as l
            where e.account_id in (l.account_id, l.linked_account_id)
        )
        """,
    )[0]
    assert unlinked_members == 0
    (linked_entities,) = query(
        db,
        "select count(distinct entity_id) from marts.dim_account_entities "
        "where entity_accounts > 1",
    )[0]
    assert linked_entities > 100  # the planted evaders and the attack wave's clusters


def test_entities_of_a_long_chain_and_a_large_case(tmp_path: Path) -> None:
    """The build's entity iteration (build_components_table, the same
    macro the entity model runs) on a chain of 30,000 accounts with ids out
    of order (plain label propagation would need 30,000 rounds), one `case`
    of 30,000 accounts (450M direct pairs, 30,000 memberships) and 20,000
    accounts in small random components: the components equal a
    union-find's, and the rounds stay logarithmic."""
    db = tmp_path / "graph.duckdb"
    component_graphs.write_graph(db, chain=30_000, case=30_000, small=20_000)
    computed = component_graphs.run_components(db, tmp_path / "dbt.log")
    expected = component_graphs.union_find_roots(db)
    assert len(expected) == 80_000
    assert computed.roots == expected
    sizes: dict[str, int] = {}
    for root in expected.values():
        sizes[root] = sizes.get(root, 0) + 1
    assert sorted(sizes.values())[-2:] == [30_000, 30_000]
    assert computed.rounds <= 40, computed.rounds


def test_too_many_direct_links_fail_the_build_with_what_to_do(
    generated: tuple[Path, Path, dict], tmp_path: Path
) -> None:
    """int_account_links lists n(n-1) pairs for a value on n accounts: the
    build counts them first and stops at max_direct_links, naming the
    signal type and the fix. Exactly at the limit it builds."""
    raw, db, _ = generated
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(db, copy)
    (pairs,) = query(
        copy,
        "select sum(accounts_with_value - 1) from intermediate.int_account_signal_values "
        "where not is_crowded",
    )[0]
    assert pairs > 100
    # the rows int_account_links' join lists: one per pair, direction and
    # shared value
    (listed,) = query(copy, "select sum(shared_values) from intermediate.int_account_links")[0]
    assert pairs == listed

    def run_links(limit: int) -> DbtResult:
        return run_dbt(
            [
                "run",
                "--select",
                "int_account_links",
                "--vars",
                json.dumps({"max_direct_links": limit}),
            ],
            env={"TRUSTMART_DB": str(copy), "TRUSTMART_RAW_DIR": str(raw)},
            log_path=tmp_path / f"dbt-{limit}.log",
        )

    over = run_links(pairs - 1)
    assert not over.ok
    assert f"would list {pairs:,} direct links" in over.error_digest, over.error_digest
    assert f"more than max_direct_links ({pairs - 1:,})" in over.error_digest
    assert "max_accounts_per_signal" in over.error_digest
    assert run_links(pairs).ok

"""The one-screen summary after a build, read from the published database
(the DuckDB file) or from the Spark databases, through trustmart.warehouse."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from trustmart.config.yaml_lines import yaml_scalar
from trustmart.onboarding.suggest import is_rare, suggest
from trustmart.warehouse import Warehouse, open_duckdb


def print_build_summary(db: Path | Warehouse, console: Console) -> None:
    """Rows loaded and quarantined per table, quarantine reasons, every
    unknown code with the config line that would map it, location.

    db: the DuckDB file (opened read-only here), or an open connection
    (trustmart.warehouse; e.g. open_spark()), which is left open."""
    if isinstance(db, Warehouse):
        _print_summary(db, console)
        if db.target == "spark":
            console.print(f"Spark Thrift server: [bold]{db.location}[/bold] (database marts)")
        else:
            console.print(f"Database: [bold]{db.location}[/bold] (schema marts)")
        return
    with open_duckdb(db) as con:
        _print_summary(con, console)
    console.print(f"Database: [bold]{db}[/bold] (schema marts)")


def _print_summary(con: Warehouse, console: Console) -> None:
    tables = con.query(
        """
        select source_table, raw_rows, staged_rows, superseded_rows,
            quarantined_rows, malformed_lines, unreadable_files, is_reconciled
        from marts.fct_raw_reconciliation
        order by source_table
        """
    )
    reasons = con.query(
        """
        select source_table, reason, count(*) as row_count
        from marts.fct_quarantined_rows
        group by all
        order by source_table, row_count desc, reason
        """
    )
    unknown = con.query(
        """
        select source_table, column_name, code_set, platform_value, quarantined_rows
        from marts.fct_unknown_codes
        order by quarantined_rows desc, source_table, column_name, platform_value
        """
    )
    entities = _entities(con)
    categories = [
        code
        for (code,) in con.query(
            "select policy_category from staging.stg_reference__policy_categories"
        )
    ]
    console.print(_loaded_table(tables))
    if reasons:
        quarantine = Table(title="Quarantined rows by reason", title_justify="left")
        for name in ("table", "reason", "rows"):
            quarantine.add_column(name, justify="right" if name == "rows" else "left")
        for name, reason, count in reasons:
            quarantine.add_row(name, reason, f"{count:,}")
        console.print(quarantine)
        console.print("Inspect them: select * from marts.fct_quarantined_rows")
    else:
        console.print("No rows quarantined.")
    if unknown:
        raw_rows = {row[0]: row[1] for row in tables}
        console.print(unknown_codes_table(unknown, categories, raw_rows))
        console.print(
            "Each value above is neither a contract code nor mapped by the platform config. "
            "If it is one of your platform's codes, add its line to trustmart.yml and build with "
            "--config (the suggested value is a guess: confirm it); "
            "`trustmart init --raw DIR` drafts the whole config."
        )
    if entities is not None:
        console.print(entities)


def _entities(con: Warehouse) -> str | None:
    """Accounts, entities and the entities merged since the previous build
    (marts.dim_account_entities, marts.entity_merges); None before either
    exists. On Spark no build history is recorded, so no merges are told."""
    tables = con.tables("marts")
    if "dim_account_entities" not in tables:
        return None
    accounts, entities, linked = con.one(
        "select count(*), count(distinct entity_id), "
        "count(distinct entity_id) filter (where entity_accounts > 1) "
        "from marts.dim_account_entities"
    ) or (0, 0, 0)
    counted = (
        f"Account entities: {accounts:,} accounts in {entities:,} entities "
        f"({linked:,} of more than one account)"
    )
    if con.target == "spark":
        return counted + "."
    merged = 0
    if "entity_merges" in tables:
        (merged,) = con.one("select coalesce(sum(merged_entities), 0) from marts.entity_merges")
    return f"{counted}; {merged:,} entities of the previous build merged into another since it."


def _loaded_table(tables: list[tuple]) -> Table:
    loaded = Table(title="Raw rows loaded", title_justify="left")
    unread = any(row[5] or row[6] for row in tables)
    names = ["table", "raw", "staged", "superseded", "quarantined"]
    if unread:
        names += ["malformed lines", "unreadable files"]
    for name in [*names, "reconciled"]:
        loaded.add_column(name, justify="left" if name == "table" else "right")
    for name, raw, staged, superseded, quarantined, malformed, unreadable, ok in tables:
        cells = [name, f"{raw:,}", f"{staged:,}", f"{superseded:,}", f"{quarantined:,}"]
        if unread:
            cells += [
                f"[red]{malformed:,}[/red]" if malformed else "0",
                f"[red]{unreadable:,}[/red]" if unreadable else "0",
            ]
        loaded.add_row(*cells, "yes" if ok else "[red]NO[/red]")
    return loaded


def unknown_codes_table(
    rows: list[tuple], categories: list[str], raw_rows: dict[str, int]
) -> Table:
    """(table, column, code set, value, rows) rows as a table with the
    config line that would map each value; `raw_rows`: rows per table, to
    tell a rare value (probably bad data: no suggestion) from a code."""
    table = Table(title="Unknown codes (quarantined as unknown_code)", title_justify="left")
    for name in ("table", "column", "value", "rows", "config line that would map it"):
        table.add_column(name, justify="right" if name == "rows" else "left")
    for source_table, column, code_set, value, count in rows:
        rare = is_rare(count, count / max(raw_rows.get(source_table, 0), 1))
        line = config_line(code_set, value, categories, rare=rare)
        table.add_row(source_table, column, value, f"{count:,}", line)
    return table


def config_line(code_set: str, value: str, categories: list[str], *, rare: bool = False) -> str:
    """The trustmart.yml line mapping `value` of `code_set`, with a
    suggested contract value when there is one; a rare value (probably bad
    data) gets no suggestion."""
    if rare:
        key = yaml_scalar(value)
        return (
            f"codes: {{{code_set}: {{{key}: <contract value>}}}}"
            "  # rare: probably bad data; map only if it is one of your codes"
        )
    found = suggest(code_set, value, categories)
    target = found.code if found else "<contract value>"
    key = yaml_scalar(value)
    line = f"codes: {{{code_set}: {{{key}: {target}}}}}"
    if code_set == "policy_category":
        line += f"  (or a taxonomy entry {{code: {key}, ...}})"
    return line + (f"  # suggested ({found.reason})" if found else "")

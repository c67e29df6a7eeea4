"""What `trustmart init` prints: the export's tables and problems, every
code column's values, where the draft went and what to do next."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from trustmart.onboarding.draft import ACTIVE, RARE, UNSURE, CodeValue, code_values
from trustmart.onboarding.profile import ExportProfile


def print_profile(profile: ExportProfile, console: Console) -> None:
    """The tables (files, rows, missing columns), problems, and every code
    column's known and unknown values."""
    console.print(_tables(profile))
    for name in profile.missing_tables:
        console.print(
            f"[bold red]Missing table:[/bold red] {name} (required by the contract; no data "
            f"file in {profile.raw / name}). The build stops until it is delivered."
        )
    for name, table in profile.tables.items():
        for column, files in table.missing_columns.items():
            shown = ", ".join(f.name for f in files[:3]) + (" ..." if len(files) > 3 else "")
            console.print(
                f"[bold red]Missing column:[/bold red] {name}.{column} (required) is absent "
                f"from {len(files)} of {table.files_read} file(s): {shown}. The build stops on "
                "such a file: add the column (or rename yours to it)."
            )
    for skipped in profile.skipped:
        console.print(
            f"[bold yellow]Skipped file:[/bold yellow] {skipped.path}: {skipped.reason}",
            highlight=False,
        )
    if profile.skipped:
        console.print(
            "The build stops on an unreadable file unless you pass --skip-unreadable-files "
            "(it is then quarantined as unreadable_file)."
        )
    malformed = sum(t.malformed_lines for t in profile.tables.values())
    if malformed:
        console.print(
            f"[bold yellow]Malformed lines:[/bold yellow] {malformed:,} line(s) could not be "
            "read and were skipped; the build stops on them unless you pass --max-bad-lines N."
        )
    if profile.absent_optional_tables:
        console.print(f"Optional tables not delivered: {', '.join(profile.absent_optional_tables)}")
    if profile.other_folders:
        console.print(
            f"Folders that are no table of the contract (not read): "
            f"{', '.join(profile.other_folders)}"
        )
    console.print(_codes(profile))


def _tables(profile: ExportProfile) -> Table:
    table = Table(title=f"Export {profile.raw}", title_justify="left")
    for name in ("table", "files read", "rows", "malformed lines", "missing required columns"):
        justify = "right" if name in ("rows", "malformed lines") else "left"
        table.add_column(name, justify=justify, no_wrap=name == "table")
    for name, found in sorted(profile.tables.items()):
        files = f"{found.files_read:,} of {found.files:,}"
        table.add_row(
            name,
            files if found.files_read == found.files else f"[yellow]{files}[/yellow]",
            f"{found.rows:,}",
            f"[yellow]{found.malformed_lines:,}[/yellow]" if found.malformed_lines else "0",
            f"[red]{', '.join(found.missing_columns)}[/red]" if found.missing_columns else "none",
        )
    for name in profile.missing_tables:
        table.add_row(name, "[red]no files[/red]", "", "", "")
    return table


def _codes(profile: ExportProfile) -> Table:
    """One row per code column: its known values and its unknown values
    with counts and suggestions (-> code: an active line of the draft)."""
    by_value = {(code_set, v.value): v for code_set, vs in code_values(profile).items() for v in vs}
    table = Table(title="Code columns", title_justify="left", show_lines=True)
    table.add_column("column", overflow="fold")
    table.add_column("known values (rows)", ratio=1)
    table.add_column("unknown values (rows) -> suggestion", ratio=1)
    for column in profile.code_columns():
        known, unknown = [], []
        for value, count in column.values.most_common():
            entry = by_value[(column.code_set, value)]
            if entry.known:
                known.append(f"{value} {count:,}")
            else:
                unknown.append(f"{value} {count:,} -> {_suggestion(entry)}")
        name = f"{column.table}.{column.column}"
        if column.code_set != column.column:
            name += f"\n[dim](code set {column.code_set})[/dim]"
        table.add_row(name, ", ".join(known) or "-", "\n".join(unknown) or "none")
    return table


def _suggestion(entry: CodeValue) -> str:
    """The suggestion and what the draft does with it."""
    target = entry.suggestion.code if entry.suggestion else "none"
    if entry.status == ACTIVE:
        return f"[green]{target}[/green]"
    why = {RARE: "rare", UNSURE: "a guess"}.get(entry.status, "no suggestion")
    return f"{target} [yellow]({why}: commented out)[/yellow]"


def print_next_steps(profile: ExportProfile, draft: Path, console: Console) -> None:
    """Where the draft is, what it holds and the commands to run next."""
    values = [v for vs in code_values(profile).values() for v in vs if not v.known]
    active = sum(v.status == ACTIVE for v in values)
    console.print(
        f"\nDraft config written to [bold]{draft}[/bold]: {active} suggested mapping(s) to "
        f"confirm, {len(values) - active} commented line(s) (rare values, probably bad data, "
        "and values without a confident suggestion)."
    )
    console.print("[bold]Next:[/bold]")
    console.print(
        f"  1. Review {draft}: confirm or correct every line marked SUGGESTED; uncomment a "
        "commented line only if that value is one of your platform's codes."
    )
    console.print(f"  2. trustmart build --raw {profile.raw} --config {draft}")
    console.print(f"  3. trustmart check --config {draft}")
    if profile.missing_tables or any(t.missing_columns for t in profile.tables.values()):
        console.print(
            "[bold red]First deliver the missing tables and columns named above:[/bold red] "
            "the build stops without them."
        )

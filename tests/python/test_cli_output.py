"""The command line's tables stay readable where the output is not a
terminal (CI, a log file): each row on one line, not folded at 80 columns
into a column of fragments. On a terminal nothing changes."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.table import Table

from trustmart.cli.output import LOG_WIDTH, LogFriendlyConsole

LONG = "quarantined because " + "a very long reason " * 12  # about 250 characters


def long_table() -> Table:
    table = Table(title="Checks that did not pass", title_justify="left")
    for name in ("status", "check", "details"):
        table.add_column(name, overflow="fold")
    table.add_row("fail", "quarantine_share.reports", LONG.strip())
    return table


def printed(console: Console) -> list[str]:
    console.print(long_table())
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue().splitlines()


def test_a_long_row_stays_on_one_line_when_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    console = LogFriendlyConsole(file=io.StringIO())
    assert not console.is_terminal and console.width == LOG_WIDTH
    rows = [line for line in printed(console) if "quarantine_share.reports" in line]
    assert len(rows) == 1, rows
    assert LONG.strip() in rows[0] and "fail" in rows[0]


def test_rich_would_fold_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the plain console does with the same table (the reason for the above)."""
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = printed(Console(file=io.StringIO()))
    assert not any(LONG.strip() in line for line in lines)
    assert max(len(line) for line in lines) <= 80


def test_a_terminal_keeps_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    ours = LogFriendlyConsole(file=io.StringIO(), force_terminal=True)
    plain = Console(file=io.StringIO(), force_terminal=True)
    assert ours.width == plain.width < LOG_WIDTH
    assert printed(ours) == printed(plain)


def test_columns_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    assert LogFriendlyConsole(file=io.StringIO()).width == 120

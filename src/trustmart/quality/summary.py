"""The check command's one-screen summary."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from trustmart.quality.runner import CheckOutcome

_STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "skip": "dim"}


def print_check_summary(outcome: CheckOutcome, console: Console) -> None:
    """Per suite: checks passed / warned / failed; then every non-passing check."""
    table = Table(title="Data-quality checks", title_justify="left")
    for name in ("suite", "checks", "pass", "warn", "fail", "skip"):
        table.add_column(name, justify="left" if name == "suite" else "right")
    suites: dict[str, Counter[str]] = {}
    for row in outcome.rows:
        suites.setdefault(row.suite, Counter())[row.status] += 1
    for suite, counts in suites.items():
        table.add_row(
            suite,
            str(sum(counts.values())),
            *(
                f"[{_STYLE[s]}]{counts[s]}[/]" if counts[s] else "0"
                for s in ("pass", "warn", "fail", "skip")
            ),
        )
    console.print(table)
    noteworthy = [r for r in outcome.rows if r.status != "pass"]
    if noteworthy:
        detail = Table(title="Checks that did not pass", title_justify="left")
        for name in ("status", "severity", "check", "observed", "threshold", "details"):
            detail.add_column(name, overflow="fold")
        for r in sorted(noteworthy, key=lambda r: ("fail", "warn", "skip").index(r.status)):
            detail.add_row(
                f"[{_STYLE[r.status]}]{r.status}[/]",
                r.severity,
                r.qualified_name,
                r.observed_value or "",
                r.threshold or "",
                (r.details or "")[:300],
            )
        console.print(detail)
    console.print(
        f"Results appended to marts.dq_results in [bold]{outcome.db}[/bold] "
        f"(run_at {outcome.run_at:%Y-%m-%d %H:%M:%S} UTC)."
    )
    console.print(f"Data docs: [bold]{outcome.data_docs}[/bold]")

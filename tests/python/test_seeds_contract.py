"""The reference seeds are the one place the contract's code lists live:
trustmart.contract reads them, and they hold what the spec says."""

from __future__ import annotations

import csv
from pathlib import Path

from trustmart.contract import (
    CODE_SETS,
    POLICY_CATEGORIES,
    QUARANTINE_REASONS,
    SEVERITY_TARGETS,
    SURFACES,
)
from trustmart.settings import project_dir


def read_seed(name: str) -> list[dict[str, str]]:
    with (project_dir() / "seeds" / f"{name}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_severity_targets_are_the_spec_defaults() -> None:
    assert SEVERITY_TARGETS == {
        "critical": (1.0, 4.0),
        "high": (1.0, 8.0),
        "medium": (24.0, 72.0),
        "low": (72.0, 168.0),
    }


def test_code_sets_hold_the_contract_codes() -> None:
    assert CODE_SETS["action"] == ("remove", "restrict", "label", "warn", "suspend", "ban", "none")
    assert CODE_SETS["appeal_status"] == (
        "pending",
        "upheld",
        "reversed",
        "partially_reversed",
        "withdrawn",
    )
    assert set(SURFACES) == {"feed", "comments", "messages", "marketplace", "profile"}
    assert len(POLICY_CATEGORIES) == 14 and "other" in POLICY_CATEGORIES
    # the bookkeeping code sets are not contract code sets
    assert "quarantine_reason" not in CODE_SETS and "row_status" not in CODE_SETS
    assert QUARANTINE_REASONS[0] == "null_key"
    assert QUARANTINE_REASONS[-2:] == ("malformed_line", "unreadable_file")


def test_every_default_severity_has_targets() -> None:
    assert {severity for _, severity in POLICY_CATEGORIES.values()} <= set(SEVERITY_TARGETS)


def test_dsa_category_map_targets_known_categories() -> None:
    rows = read_seed("dsa_category_map")
    assert rows and all(r["policy_category"] in POLICY_CATEGORIES for r in rows)
    assert Path(project_dir() / "seeds" / "_seeds.yml").exists()

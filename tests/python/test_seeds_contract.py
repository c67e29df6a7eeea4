"""The reference seeds and trustmart.contract describe the same codes."""

from __future__ import annotations

import csv
from pathlib import Path

from trustmart.contract import CODE_SETS, POLICY_CATEGORIES, SEVERITY_TARGETS, SURFACES
from trustmart.settings import project_dir


def read_seed(name: str) -> list[dict[str, str]]:
    with (project_dir() / "seeds" / f"{name}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_policy_categories_match() -> None:
    rows = read_seed("policy_categories")
    assert {r["policy_category"]: (r["category_name"], r["default_severity"]) for r in rows} == (
        POLICY_CATEGORIES
    )


def test_severity_targets_match_the_spec() -> None:
    rows = read_seed("severity_targets")
    assert {
        r["severity"]: (float(r["p50_target_hours"]), float(r["p90_target_hours"])) for r in rows
    } == SEVERITY_TARGETS
    assert SEVERITY_TARGETS["critical"] == (1.0, 4.0)
    assert SEVERITY_TARGETS["low"] == (72.0, 168.0)


def test_surfaces_and_code_sets_match() -> None:
    assert {r["surface"]: r["surface_name"] for r in read_seed("surfaces")} == SURFACES
    codes: dict[str, list[str]] = {}
    for row in read_seed("accepted_codes"):
        codes.setdefault(row["code_set"], []).append(row["code"])
    assert {k: tuple(v) for k, v in codes.items()} == CODE_SETS


def test_dsa_category_map_targets_known_categories() -> None:
    rows = read_seed("dsa_category_map")
    assert rows and all(r["policy_category"] in POLICY_CATEGORIES for r in rows)
    assert Path(project_dir() / "seeds" / "_seeds.yml").exists()

"""The raw event contract (docs/raw-contract.md) as data.

One place for the tables, their columns and the code lists, used by the
generator, the importers, the platform config and the tests. The code
lists, policy categories, surfaces and severity targets are read from the
dbt reference seeds under ``seeds/`` (the one place they are written), and
each column's type, nullability and code set from the raw sources' YAML
(``models/staging/raw/_raw__sources.yml``), so the warehouse and the
Python side cannot drift apart.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

from trustmart.settings import project_dir


def _seed(name: str) -> list[dict[str, str]]:
    path: Path = project_dir() / "seeds" / f"{name}.csv"
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise RuntimeError(
            f"Cannot read the reference seed {path}: {project_dir()} is not a whole trustmart "
            "dbt project. Point TRUSTMART_PROJECT_DIR at a clone of the project (or unset it)."
        ) from None


def _code_sets() -> dict[str, tuple[str, ...]]:
    sets: dict[str, list[str]] = {}
    for row in _seed("accepted_codes"):
        sets.setdefault(row["code_set"], []).append(row["code"])
    return {name: tuple(codes) for name, codes in sets.items()}


#: Policy categories built in: code -> (name, default severity). A platform
#: config's taxonomy replaces them (trustmart.config).
POLICY_CATEGORIES: dict[str, tuple[str, str]] = {
    r["policy_category"]: (r["category_name"], r["default_severity"])
    for r in _seed("policy_categories")
}

#: Severity -> (P50 target hours, P90 target hours), the built-in targets.
SEVERITY_TARGETS: dict[str, tuple[float, float]] = {
    r["severity"]: (float(r["p50_target_hours"]), float(r["p90_target_hours"]))
    for r in _seed("severity_targets")
}

#: Surfaces: code -> display name.
SURFACES: dict[str, str] = {r["surface"]: r["surface_name"] for r in _seed("surfaces")}

_ALL_CODE_SETS = _code_sets()

#: Quarantine reasons, in the order staging checks them: a row that breaks
#: several rules is quarantined for the first one in this list. The last two
#: are not row rules: lines and files the landing could not read at all.
QUARANTINE_REASONS: tuple[str, ...] = _ALL_CODE_SETS["quarantine_reason"]

#: Closed code lists of the raw contract's columns, by code set (the
#: warehouse's own bookkeeping code sets, row_status and quarantine_reason,
#: are left out).
CODE_SETS: dict[str, tuple[str, ...]] = {
    name: codes
    for name, codes in _ALL_CODE_SETS.items()
    if name not in ("row_status", "quarantine_reason")
}

#: Every code set a raw column can be checked against: the closed lists,
#: the surfaces and the policy categories.
CONTRACT_CODE_SETS: tuple[str, ...] = (*CODE_SETS, "surface", "policy_category")


@dataclass(frozen=True)
class Column:
    """One raw column as the sources' YAML describes it: its contract type,
    whether it may be null (or absent from a file), and the code set its
    values are checked against (None: not a code)."""

    name: str
    data_type: str
    nullable: bool = False
    code_set: str | None = None


@dataclass(frozen=True)
class Table:
    """One raw table: its key columns, its columns and whether it is optional."""

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    optional: bool = False

    @property
    def column_meta(self) -> tuple[Column, ...]:
        """Every column with its type, nullability and code set."""
        return COLUMNS[self.name]

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The columns every file of the table must have (not nullable)."""
        return tuple(c.name for c in self.column_meta if not c.nullable)

    @property
    def code_columns(self) -> dict[str, str]:
        """Column -> code set, for the columns holding codes."""
        return {c.name: c.code_set for c in self.column_meta if c.code_set}


_OBJECT = ("object_type", "object_id", "account_id", "surface")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "reports",
            ("report_id",),
            (
                "report_id",
                "reported_at",
                "reporter_id",
                "reporter_type",
                *_OBJECT,
                "reported_category",
                "ingested_at",
            ),
        ),
        Table(
            "detections",
            ("detection_id",),
            (
                "detection_id",
                "detected_at",
                *_OBJECT,
                "detector",
                "category",
                "score",
                "ingested_at",
            ),
        ),
        Table(
            "enforcements",
            ("enforcement_id",),
            (
                "enforcement_id",
                "decided_at",
                *_OBJECT,
                "is_violation",
                "policy_category",
                "severity",
                "action",
                "decision_method",
                "queue",
                "reviewer_id",
                "ingested_at",
            ),
        ),
        Table(
            "appeals",
            ("appeal_id",),
            (
                "appeal_id",
                "enforcement_id",
                "appealed_at",
                "status",
                "resolved_at",
                "resolution_method",
                "ingested_at",
            ),
        ),
        Table("views_daily", ("date", "surface"), ("date", "surface", "views")),
        Table("active_users_daily", ("date",), ("date", "active_users")),
        Table(
            "prevalence_samples",
            ("sample_id",),
            (
                "sample_id",
                "viewed_at",
                "surface",
                "stratum",
                "inclusion_probability",
                "object_id",
                "is_violating",
                "violation_category",
                "labeled_at",
            ),
        ),
        Table(
            "qa_reviews",
            ("qa_id",),
            ("qa_id", "enforcement_id", "reviewed_at", "agrees", "reviewer_id"),
            optional=True,
        ),
        Table(
            "account_signals",
            ("account_id", "signal_type", "signal_value", "observed_at"),
            ("account_id", "signal_type", "signal_value", "observed_at"),
            optional=True,
        ),
    )
}


def _source_tables() -> list[dict]:
    """The raw tables of the sources' YAML (the one place the columns'
    metadata is written; the landing and checking macros read it too)."""
    path = project_dir() / "models" / "staging" / "raw" / "_raw__sources.yml"
    (source,) = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    return source["tables"]


def _column(column: dict) -> Column:
    meta = column.get("meta") or {}
    return Column(
        name=column["name"],
        data_type=column["data_type"],
        nullable=bool(meta.get("nullable", False)),
        code_set=meta.get("code_set"),
    )


_SOURCE_TABLES = _source_tables()

#: Table -> its columns with their metadata, in contract order.
COLUMNS: dict[str, tuple[Column, ...]] = {
    t["name"]: tuple(_column(c) for c in t["columns"]) for t in _SOURCE_TABLES
}
assert {
    t["name"]: (
        tuple(c["name"] for c in t["columns"]),
        tuple(t["meta"]["key"]),
        bool(t["meta"].get("optional", False)),
    )
    for t in _SOURCE_TABLES
} == {name: (t.columns, t.key, t.optional) for name, t in TABLES.items()}, (
    "contract.TABLES and models/staging/raw/_raw__sources.yml disagree on a table's columns, "
    "key or optionality: make them agree"
)

#: Allowed clock skew between an event and its own ``ingested_at``.
CLOCK_SKEW_MINUTES = 60

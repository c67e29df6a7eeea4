"""How each raw column is held in memory and written.

Column kinds: ``id:<prefix>`` int64 id written as prefix + number (-1 null);
``object`` int64 object id, content ``c<n>`` (n > 0) or account ``a<n>``
(stored as -n); ``ts`` timestamp; ``date``; ``str`` code or text ("" null);
``bool``; ``float``; ``int``. Column order comes from trustmart.contract.
"""

from __future__ import annotations

import pyarrow as pa

from trustmart.contract import TABLES

KINDS: dict[str, dict[str, str]] = {
    "reports": {
        "report_id": "id:r",
        "reported_at": "ts",
        "reporter_id": "str",
        "reporter_type": "str",
        "object_type": "str",
        "object_id": "object",
        "account_id": "id:a",
        "surface": "str",
        "reported_category": "str",
        "ingested_at": "ts",
    },
    "detections": {
        "detection_id": "id:d",
        "detected_at": "ts",
        "object_type": "str",
        "object_id": "object",
        "account_id": "id:a",
        "surface": "str",
        "detector": "str",
        "category": "str",
        "score": "float",
        "ingested_at": "ts",
    },
    "enforcements": {
        "enforcement_id": "id:e",
        "decided_at": "ts",
        "object_type": "str",
        "object_id": "object",
        "account_id": "id:a",
        "surface": "str",
        "is_violation": "bool",
        "policy_category": "str",
        "severity": "str",
        "action": "str",
        "decision_method": "str",
        "queue": "str",
        "reviewer_id": "str",
        "ingested_at": "ts",
    },
    "appeals": {
        "appeal_id": "id:ap",
        "enforcement_id": "id:e",
        "appealed_at": "ts",
        "status": "str",
        "resolved_at": "ts",
        "resolution_method": "str",
        "ingested_at": "ts",
    },
    "views_daily": {"date": "date", "surface": "str", "views": "int"},
    "active_users_daily": {"date": "date", "active_users": "int"},
    "prevalence_samples": {
        "sample_id": "id:s",
        "viewed_at": "ts",
        "surface": "str",
        "stratum": "str",
        "inclusion_probability": "float",
        "object_id": "object",
        "is_violating": "bool",
        "violation_category": "str",
        "labeled_at": "ts",
    },
    "qa_reviews": {
        "qa_id": "id:qa",
        "enforcement_id": "id:e",
        "reviewed_at": "ts",
        "agrees": "bool",
        "reviewer_id": "str",
    },
    "account_signals": {
        "account_id": "id:a",
        "signal_type": "str",
        "signal_value": "str",
        "observed_at": "ts",
    },
}
assert all(tuple(KINDS[t]) == TABLES[t].columns for t in TABLES)

#: Event timestamp columns checked against ingested_at (+ clock skew).
EVENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": ("reported_at",),
    "detections": ("detected_at",),
    "enforcements": ("decided_at",),
    "appeals": ("appealed_at", "resolved_at"),
}

_ARROW = {"bool": pa.bool_(), "float": pa.float64(), "int": pa.int64()}


def arrow_schema(table: str) -> pa.Schema:
    """The written schema: timestamps, dates and ids are strings."""
    return pa.schema([(c, _ARROW.get(k, pa.string())) for c, k in KINDS[table].items()])


def timestamp_columns(table: str) -> list[str]:
    return [c for c, k in KINDS[table].items() if k == "ts"]


def has_ingested_at(table: str) -> bool:
    return "ingested_at" in KINDS[table]

"""The raw event contract (shared/spec/raw-contract.md) as data.

One place for the tables, their columns and the code lists, used by the
generator, the importers and the tests. The dbt seeds under ``seeds/`` hold
the same reference data for the warehouse; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Policy categories: code -> (name, default severity).
POLICY_CATEGORIES: dict[str, tuple[str, str]] = {
    "child_safety": ("Child safety", "critical"),
    "violent_extremism": ("Violent extremism", "critical"),
    "self_harm": ("Suicide and self-harm", "high"),
    "violence": ("Violence and incitement", "high"),
    "hate_speech": ("Hate speech", "high"),
    "scams_fraud": ("Scams and fraud", "high"),
    "illegal_goods": ("Illegal or prohibited goods", "high"),
    "harassment": ("Harassment and bullying", "medium"),
    "adult_nudity": ("Adult nudity and sexual content", "medium"),
    "misinformation": ("Harmful misinformation", "medium"),
    "privacy": ("Privacy violations", "medium"),
    "ip_infringement": ("Intellectual property infringement", "low"),
    "spam": ("Spam", "low"),
    "other": ("Other terms-of-service violation", "low"),
}

#: Severity -> (P50 target hours, P90 target hours), kpi-definitions.md.
SEVERITY_TARGETS: dict[str, tuple[float, float]] = {
    "critical": (1.0, 4.0),
    "high": (1.0, 8.0),
    "medium": (24.0, 72.0),
    "low": (72.0, 168.0),
}

#: Surfaces: code -> display name.
SURFACES: dict[str, str] = {
    "feed": "Feed",
    "comments": "Comments",
    "messages": "Messages",
    "marketplace": "Marketplace",
    "profile": "Profile",
}

#: Closed code lists of the contract, by code set.
CODE_SETS: dict[str, tuple[str, ...]] = {
    "reporter_type": ("user", "trusted_flagger", "authority"),
    "object_type": ("content", "account"),
    "severity": ("critical", "high", "medium", "low"),
    "action": ("remove", "restrict", "label", "warn", "suspend", "ban", "none"),
    "decision_method": ("automated", "human"),
    "appeal_status": (
        "pending",
        "upheld",
        "reversed",
        "partially_reversed",
        "withdrawn",
    ),
    "resolution_method": ("automated", "human"),
    "signal_type": ("device", "ip", "payment", "email"),
}


@dataclass(frozen=True)
class Table:
    """One raw table: its key columns, its columns and whether it is optional."""

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    optional: bool = False


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

#: Quarantine reasons, in the order staging checks them: a row that breaks
#: several rules is quarantined for the first one in this list.
QUARANTINE_REASONS: tuple[str, ...] = (
    "null_key",
    "missing_value",
    "unparsable_timestamp",
    "invalid_value",
    "unknown_code",
    "probability_out_of_range",
    "event_after_ingestion",
    "resolved_before_appealed",
    "unknown_enforcement",
    "duplicate_key",
)

#: Allowed clock skew between an event and its own ``ingested_at``.
CLOCK_SKEW_MINUTES = 60

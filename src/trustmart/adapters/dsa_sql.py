"""The DSA statement-of-reasons columns and the SQL that maps a statement
onto a raw `enforcements` row (DuckDB; used by trustmart.adapters.dsa).

Every statement is a violation decision (a restriction the platform
applied). Mapping, column by column (docs/adapters.md has the reasons):

- enforcement_id, object_id = `uuid`; account_id = `unknown:<uuid>` (the
  dumps carry no content or account identifier)
- decided_at = `application_date`; ingested_at = `created_at` (receipt by
  the database)
- object_type = `account` when only account or service-provision decisions
  were taken, else `content`
- surface = `profile` for account decisions, `marketplace` for products,
  else `feed` (the dumps have no surface; a coarse placeholder)
- policy_category = the seed `dsa_category_map`'s mapping of `category`, or
  the DSA code itself when unmapped (staging quarantines it as
  `unknown_code`, naming the code); severity = the category's default
- action = the most severe decision: account termination or total
  termination of the service -> ban; account or total service suspension ->
  suspend; content removed or disabled -> remove; other visibility,
  monetary or partial service restrictions -> restrict; labelled -> label;
  an unknown decision code is written through (quarantined, named)
- decision_method = automated for `AUTOMATED_DECISION_FULLY`, human for
  `_PARTIALLY` and `_NOT_AUTOMATED`; any other value is written through
- every column of the dump follows as an extra column, plus
  `sor_schema_version` and `sor_file`
"""

from __future__ import annotations

#: Columns of schema v2 (38); v1 lacks `content_id_ean` (37).
SOR_COLUMNS: tuple[str, ...] = (
    "uuid",
    "decision_visibility",
    "decision_visibility_other",
    "end_date_visibility_restriction",
    "decision_monetary",
    "decision_monetary_other",
    "end_date_monetary_restriction",
    "decision_provision",
    "end_date_service_restriction",
    "decision_account",
    "end_date_account_restriction",
    "account_type",
    "decision_ground",
    "decision_ground_reference_url",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "incompatible_content_illegal",
    "category",
    "category_addition",
    "category_specification",
    "category_specification_other",
    "content_type",
    "content_type_other",
    "content_language",
    "content_date",
    "content_id_ean",
    "territorial_scope",
    "application_date",
    "decision_facts",
    "source_type",
    "source_identity",
    "automated_detection",
    "automated_decision",
    "platform_name",
    "platform_uid",
    "created_at",
)

#: Columns the mapping needs; a file without one of them is refused.
SOR_REQUIRED: tuple[str, ...] = (
    "uuid",
    "decision_visibility",
    "decision_monetary",
    "decision_provision",
    "decision_account",
    "decision_ground",
    "category",
    "content_type",
    "content_date",
    "application_date",
    "source_type",
    "automated_detection",
    "automated_decision",
    "platform_name",
    "created_at",
)

#: Provenance columns the importer adds to every statement.
SOR_BOOKKEEPING: tuple[str, ...] = ("sor_schema_version", "sor_file")

#: Known decision codes: the restriction each one is, in order of severity.
ACTION_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ban", "decision_account", ("DECISION_ACCOUNT_TERMINATED",)),
    ("ban", "decision_provision", ("DECISION_PROVISION_TOTAL_TERMINATION",)),
    ("suspend", "decision_account", ("DECISION_ACCOUNT_SUSPENDED",)),
    ("suspend", "decision_provision", ("DECISION_PROVISION_TOTAL_SUSPENSION",)),
    (
        "remove",
        "decision_visibility",
        ("DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED"),
    ),
    (
        "restrict",
        "decision_visibility",
        (
            "DECISION_VISIBILITY_CONTENT_DEMOTED",
            "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
            "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
            "DECISION_VISIBILITY_OTHER",
        ),
    ),
    (
        "restrict",
        "decision_monetary",
        (
            "DECISION_MONETARY_SUSPENSION",
            "DECISION_MONETARY_TERMINATION",
            "DECISION_MONETARY_OTHER",
        ),
    ),
    (
        "restrict",
        "decision_provision",
        ("DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_PARTIAL_TERMINATION"),
    ),
    ("label", "decision_visibility", ("DECISION_VISIBILITY_CONTENT_LABELLED",)),
)

DECISION_FIELDS = (
    "decision_visibility",
    "decision_monetary",
    "decision_provision",
    "decision_account",
)

DECISION_METHODS: dict[str, str] = {
    "AUTOMATED_DECISION_FULLY": "automated",
    "AUTOMATED_DECISION_PARTIALLY": "human",
    "AUTOMATED_DECISION_NOT_AUTOMATED": "human",
}


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _has(column: str, code: str) -> str:
    """The cell holds `code`: list-valued cells are JSON arrays of quoted
    codes, scalar cells the code itself."""
    in_list = f"contains(coalesce(s.{column}, ''), {_quote(chr(34) + code + chr(34))})"
    return f"(trim(s.{column}) = {_quote(code)} or {in_list})"


def _present(column: str) -> str:
    """The cell holds something other than blanks or an empty JSON array."""
    return f"coalesce(trim(replace(replace(s.{column}, '[', ''), ']', '')), '') <> ''"


def action_sql() -> str:
    """The contract action of a statement (see the module docstring)."""
    whens = [
        f"when {' or '.join(_has(col, code) for code in codes)} then {_quote(action)}"
        for action, col, codes in ACTION_RULES
    ]
    # no known code: write the first non-empty decision through, so that
    # staging quarantines it as unknown_code naming it (or missing_value)
    fallback = ", ".join(
        f"case when nullif(trim(s.{col}, '[] '), '') is not null then trim(s.{col}) end"
        for col in DECISION_FIELDS
    )
    return "case " + " ".join(whens) + f" else coalesce({fallback}) end"


def object_type_sql() -> str:
    """`account` when only account or service-provision decisions were taken."""
    content = f"{_present('decision_visibility')} or {_present('decision_monetary')}"
    account = f"{_present('decision_account')} or {_present('decision_provision')}"
    return f"case when not ({content}) and ({account}) then 'account' else 'content' end"


def surface_sql(object_type: str) -> str:
    """A coarse surface: the dumps do not say where the item was shown."""
    product = _has("content_type", "CONTENT_TYPE_PRODUCT")
    return (
        f"case when {object_type} = 'account' then 'profile' "
        f"when {product} then 'marketplace' else 'feed' end"
    )


def decision_method_sql() -> str:
    """automated only for fully automated decisions; other values pass through."""
    whens = " ".join(
        f"when {_quote(code)} then {_quote(method)}" for code, method in DECISION_METHODS.items()
    )
    return (
        f"case trim(s.automated_decision) {whens} else nullif(trim(s.automated_decision), '') end"
    )


def mapping_sql(statements: str, category_map: str, severities: str) -> str:
    """Select raw `enforcements` rows (contract columns, then every dump
    column, then provenance) from the table of statements."""
    object_type = object_type_sql()
    extras = ", ".join(f"s.{c}" for c in (*SOR_COLUMNS, *SOR_BOOKKEEPING))
    return f"""
        select
            s.uuid as enforcement_id,
            s.application_date as decided_at,
            {object_type} as object_type,
            s.uuid as object_id,
            'unknown:' || s.uuid as account_id,
            {surface_sql(object_type)} as surface,
            'true' as is_violation,
            coalesce(m.policy_category, nullif(trim(s.category), '')) as policy_category,
            case
                when m.policy_category is not null then sev.severity
                when nullif(trim(s.category), '') is not null then 'unmapped'
            end as severity,
            {action_sql()} as action,
            {decision_method_sql()} as decision_method,
            cast(null as varchar) as queue,
            cast(null as varchar) as reviewer_id,
            s.created_at as ingested_at,
            {extras}
        from {statements} as s
        left join {category_map} as m on trim(s.category) = m.dsa_category
        left join {severities} as sev on m.policy_category = sev.policy_category
        order by s.sor_file, s.sor_row
    """

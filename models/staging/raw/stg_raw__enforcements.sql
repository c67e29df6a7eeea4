with

checked_enforcements as (
    select * from {{ ref('base_raw__enforcements') }}
),

staged_enforcements as (
    select
        enforcement_id,
        decided_at,
        object_type,
        object_id,
        account_id,
        surface,
        is_violation,
        policy_category,
        severity,
        action,
        decision_method,
        queue,
        reviewer_id,
        ingested_at,
        object_type_raw,
        surface_raw,
        policy_category_raw,
        severity_raw,
        action_raw,
        decision_method_raw
        {{ raw_extra_columns('enforcements') }}
    from checked_enforcements
    where row_status = 'staged'
)

select * from staged_enforcements

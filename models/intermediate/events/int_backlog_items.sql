-- One row per object that waited for a decision after its first signal:
-- open from first_signal_at until its first decision (still open when
-- never decided). Objects decided at or before their first signal never
-- wait and are not here.
with

timeline as (
    select * from {{ ref('int_object_timeline') }}
),

policy_categories as (
    select * from {{ ref('stg_reference__policy_categories') }}
),

severity_targets as (
    select * from {{ ref('stg_reference__severity_targets') }}
),

final as (
    select
        timeline.object_type,
        timeline.object_id,
        timeline.first_signal_category as policy_category,
        policy_categories.default_severity,
        severity_targets.p90_target_hours,
        timeline.first_signal_at as opened_at,
        timeline.first_decision_at as closed_at
    from timeline
    left join policy_categories
        on timeline.first_signal_category = policy_categories.policy_category
    left join severity_targets
        on policy_categories.default_severity = severity_targets.severity
    where
        timeline.first_signal_at is not null
        and (
            timeline.first_decision_at is null
            or timeline.first_decision_at > timeline.first_signal_at
        )
)

select * from final

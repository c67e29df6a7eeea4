-- One row per week (of t0) and dimension value (overall, category of the
-- t0 violation): offending entities and those with new behaviour on a
-- different object within 30 and 90 days of t0 (kpi-definitions.md,
-- account linking: entity_recurrence_rate_*).
with

offender_weeks as (
    select * from {{ ref('int_reoffending_weeks') }}
    where offender_kind = 'entity'
),

final as (
    {{ recurrence_weekly('offender_weeks', rate_prefix='entity_') }}
)

select * from final

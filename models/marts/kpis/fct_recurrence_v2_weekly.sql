-- One row per week (of t0) and dimension value (overall, category of the
-- t0 violation): offending accounts and those with new behaviour on a
-- different object within 30 and 90 days of t0 (kpi-definitions.md,
-- account linking: recurrence_rate_* v2).
with

offender_weeks as (
    select * from {{ ref('int_reoffending_weeks') }}
    where offender_kind = 'account'
),

final as (
    {{ recurrence_weekly('offender_weeks') }}
)

select * from final

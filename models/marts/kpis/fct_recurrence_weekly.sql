-- One row per week (of t0) and dimension value (overall, category of the
-- t0 violation): offenders and those who offended again within 30 and 90
-- days of t0.
with

offender_weeks as (
    select * from {{ ref('int_offender_weeks') }}
),

final as (
    {{ recurrence_weekly('offender_weeks') }}
)

select * from final

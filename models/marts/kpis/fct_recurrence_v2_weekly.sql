-- One row per week (of t0) and dimension value (overall, category of the
-- t0 violation): offending accounts and those with new behaviour on a
-- different object within 30 and 90 days of t0 (kpi-definitions.md,
-- account linking: recurrence_rate_* v2).
with

offender_weeks as (
    select * from {{ ref('int_reoffending_weeks') }}
    where offender_kind = 'account'
),

aggregated as (
    {{ aggregate_by_dimension('offender_weeks', 'week_start', [['category', 'policy_category']], [
        'count(*) as offenders',
        count_where('has_reoffended_30d') ~ ' as reoffenders_30d',
        count_where('has_reoffended_90d') ~ ' as reoffenders_90d',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        offenders,
        reoffenders_30d,
        reoffenders_90d,
        {{ safe_rate('reoffenders_30d', 'offenders') }} as recurrence_rate_30d,
        {{ safe_rate('reoffenders_90d', 'offenders') }} as recurrence_rate_90d,
        week_start
    from aggregated
)

select * from final

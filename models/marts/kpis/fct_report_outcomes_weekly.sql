-- One row per week (of the first decision after the report) and dimension
-- value (overall, reporter_type, category): reports that received a
-- decision, how long they waited and how many were actionable.
with

decided_reports as (
    select
        reporter_type,
        reported_category,
        is_first_decision_violation,
        hours_to_decision,
        {{ week_of('first_decision_at') }} as week_start
    from {{ ref('int_report_outcomes') }}
    where has_decision
),

aggregated as (
    {{ aggregate_by_dimension('decided_reports', 'week_start',
        [['reporter_type', 'reporter_type'], ['category', 'reported_category']], [
        'count(*) as decided_reports',
        count_where('is_first_decision_violation') ~ ' as actionable_reports',
        percentile_cont('hours_to_decision', 0.5) ~ ' as ttr_p50_hours',
        percentile_cont('hours_to_decision', 0.9) ~ ' as ttr_p90_hours',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        decided_reports,
        actionable_reports,
        ttr_p50_hours,
        ttr_p90_hours,
        {{ safe_rate('actionable_reports', 'decided_reports') }} as report_actionability,
        week_start
    from aggregated
)

select * from final

-- One row per week (of decided_at) and dimension value (overall, severity):
-- time from first signal to the first violation decision per object.
with

first_violations as (
    select * from {{ ref('int_violation_decisions') }}
    where is_first_violation
),

severity_targets as (
    select * from {{ ref('stg_reference__severity_targets') }}
),

actions as (
    select
        first_violations.severity,
        first_violations.has_prior_signal,
        severity_targets.p90_target_hours,
        case
            when first_violations.has_prior_signal
                then {{ hours_between('first_violations.first_signal_at', 'first_violations.decided_at') }}
        end as hours_to_action,
        {{ week_of('first_violations.decided_at') }} as week_start
    from first_violations
    left join severity_targets
        on first_violations.severity = severity_targets.severity
),

aggregated as (
    {{ aggregate_by_dimension('actions', 'week_start', [['severity', 'severity']], [
        'count(hours_to_action) as timed_actions',
        count_where('not has_prior_signal') ~ ' as untimed_actions',
        count_where('hours_to_action <= p90_target_hours') ~ ' as within_target_actions',
        percentile_cont('hours_to_action', 0.5) ~ ' as tta_p50_hours',
        percentile_cont('hours_to_action', 0.9) ~ ' as tta_p90_hours',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        timed_actions,
        untimed_actions,
        within_target_actions,
        tta_p50_hours,
        tta_p90_hours,
        {{ safe_rate('within_target_actions', 'timed_actions') }} as tta_within_target_rate,
        week_start
    from aggregated
)

select * from final

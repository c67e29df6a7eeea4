-- One row per week (of the first decision after the flag) and dimension
-- value (overall = all detectors pooled, detector): objects a detector
-- flagged that then received a decision, and those found violating.
with

decided_flags as (
    select
        detector,
        is_first_decision_violation,
        {{ week_of('first_decision_at') }} as week_start
    from {{ ref('int_detector_flags') }}
    where has_decision
),

aggregated as (
    {{ aggregate_by_dimension('decided_flags', 'week_start', [['detector', 'detector']], [
        'count(*) as decided_flags',
        count_where('is_first_decision_violation') ~ ' as violating_flags',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        decided_flags,
        violating_flags,
        {{ safe_rate('violating_flags', 'decided_flags') }} as detection_precision,
        week_start
    from aggregated
)

select * from final

-- One row per week (of decided_at) and dimension value (overall, category,
-- decision_method): violation decisions and those appealed within the
-- capture window (var appeal_capture_days, default 30).
with

violations as (
    select * from {{ ref('int_violation_decisions') }}
),

appeals as (
    select * from {{ ref('int_appeals_enriched') }}
),

captured_appeals as (
    select distinct enforcement_id
    from appeals
    where is_within_capture_window
),

decisions as (
    select
        violations.policy_category,
        violations.decision_method,
        captured_appeals.enforcement_id is not null as is_appealed,
        {{ week_of('violations.decided_at') }} as week_start
    from violations
    left join captured_appeals
        on violations.enforcement_id = captured_appeals.enforcement_id
),

aggregated as (
    {{ aggregate_by_dimension('decisions', 'week_start',
        [['category', 'policy_category'], ['decision_method', 'decision_method']], [
        'count(*) as violation_decisions',
        count_where('is_appealed') ~ ' as appealed_decisions',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        violation_decisions,
        appealed_decisions,
        {{ safe_rate('appealed_decisions', 'violation_decisions') }} as appeal_rate,
        week_start
    from aggregated
)

select * from final

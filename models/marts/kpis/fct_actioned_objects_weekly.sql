-- One row per week (of decided_at) and dimension value (overall, category,
-- action, decision_method): distinct objects with a violation decision.
with

violations as (
    select
        policy_category,
        action,
        decision_method,
        object_type || ':' || object_id as object_key,
        {{ week_of('decided_at') }} as week_start
    from {{ ref('int_violation_decisions') }}
),

aggregated as (
    {{ aggregate_by_dimension('violations', 'week_start', [
        ['category', 'policy_category'], ['action', 'action'],
        ['decision_method', 'decision_method'],
    ], [
        'count(distinct object_key) as actioned_objects',
        'count(*) as violation_decisions',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        actioned_objects,
        violation_decisions,
        week_start
    from aggregated
)

select * from final

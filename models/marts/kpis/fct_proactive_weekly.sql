-- One row per week (of decided_at) and dimension value (overall, category,
-- surface): first violation decisions per object, and those taken before
-- anyone reported the object.
with

first_violations as (
    select
        policy_category,
        surface,
        has_prior_report,
        {{ week_of('decided_at') }} as week_start
    from {{ ref('int_violation_decisions') }}
    where is_first_violation
),

aggregated as (
    {{ aggregate_by_dimension('first_violations', 'week_start',
        [['category', 'policy_category'], ['surface', 'surface']], [
        'count(*) as first_violation_decisions',
        count_where('not has_prior_report') ~ ' as proactive_decisions',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        first_violation_decisions,
        proactive_decisions,
        {{ safe_rate('proactive_decisions', 'first_violation_decisions') }} as proactive_rate,
        week_start
    from aggregated
)

select * from final

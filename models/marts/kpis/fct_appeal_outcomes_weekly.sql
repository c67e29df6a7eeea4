-- One row per week (of resolved_at) and dimension value (overall, category,
-- decision_method): appeals of violation decisions decided as upheld,
-- reversed or partially reversed (withdrawn and pending are excluded).
with

decided_appeals as (
    select
        policy_category,
        decision_method,
        status,
        hours_to_decide,
        {{ week_of('resolved_at') }} as week_start
    from {{ ref('int_appeals_enriched') }}
    where is_decided and is_appeal_of_violation
),

aggregated as (
    {{ aggregate_by_dimension('decided_appeals', 'week_start',
        [['category', 'policy_category'], ['decision_method', 'decision_method']], [
        'count(*) as decided_appeals',
        count_where("status = 'upheld'") ~ ' as upheld_appeals',
        count_where("status = 'reversed'") ~ ' as reversed_appeals',
        count_where("status = 'partially_reversed'") ~ ' as partially_reversed_appeals',
        percentile_cont('hours_to_decide', 0.5) ~ ' as median_hours_to_decide',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        decided_appeals,
        upheld_appeals,
        reversed_appeals,
        partially_reversed_appeals,
        reversed_appeals + partially_reversed_appeals as reversed_incl_partial_appeals,
        median_hours_to_decide,
        {{ safe_rate('reversed_appeals', 'decided_appeals') }} as overturn_rate,
        {{ safe_rate('reversed_appeals + partially_reversed_appeals', 'decided_appeals') }}
            as overturn_rate_incl_partial,
        week_start
    from aggregated
)

select * from final

-- One row per labelled sampled view, with its design weight
-- w = 1 / inclusion_probability and its violating weight w * is_violating
-- (the Hajek estimate of fct_prevalence_weekly is their ratio of sums).
with

samples as (
    select * from {{ ref('stg_raw__prevalence_samples') }}
),

final as (
    select
        sample_id,
        surface,
        violation_category,
        1.0 / inclusion_probability as design_weight,
        case when is_violating then 1.0 / inclusion_probability else 0 end
            as violating_weight,
        is_violating,
        viewed_at
    from samples
)

select * from final

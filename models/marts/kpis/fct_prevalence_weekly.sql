-- One row per week (of viewed_at) and dimension value (overall, surface,
-- category): views-based prevalence from the labelled probability sample.
-- Hajek estimate p = sum(w y) / sum(w), w = 1 / inclusion_probability;
-- 95% Wilson interval with Kish's effective n = (sum w)^2 / sum(w^2). Under
-- 10 violating samples only an upper bound is published (3 / n_eff at zero).
with

samples as (
    select
        sample_id,
        surface,
        violation_category,
        is_violating,
        1.0 / inclusion_probability as design_weight,
        {{ week_of('viewed_at') }} as week_start
    from {{ ref('stg_raw__prevalence_samples') }}
),

policy_categories as (
    select policy_category from {{ ref('stg_reference__policy_categories') }}
),

views_daily as (
    select
        surface,
        views,
        {{ week_of('view_date') }} as week_start
    from {{ ref('stg_raw__views_daily') }}
),

sample_totals as (
    {{ aggregate_by_dimension('samples', 'week_start', [['surface', 'surface']], [
        'count(*) as sample_count',
        count_where('is_violating') ~ ' as violating_samples',
        ordered_sum('design_weight', 'sample_id') ~ ' as weight_sum',
        ordered_sum('design_weight * design_weight', 'sample_id') ~ ' as weight_square_sum',
        ordered_sum('case when is_violating then design_weight else 0 end', 'sample_id')
        ~ ' as violating_weight',
    ]) }}
),

category_hits as (
    select
        week_start,
        violation_category,
        count(*) as violating_samples,
        {{ ordered_sum('design_weight', 'sample_id') }} as violating_weight
    from samples
    where is_violating
    group by week_start, violation_category
),

category_totals as (
    select
        overall.week_start,
        'category' as dimension,
        policy_categories.policy_category as dimension_value,
        overall.sample_count,
        coalesce(category_hits.violating_samples, 0) as violating_samples,
        overall.weight_sum,
        overall.weight_square_sum,
        coalesce(category_hits.violating_weight, 0) as violating_weight
    from sample_totals as overall
    cross join policy_categories
    left join category_hits
        on
            overall.week_start = category_hits.week_start
            and policy_categories.policy_category = category_hits.violation_category
    where overall.dimension = 'overall'
),

totals as (
    select * from sample_totals
    union all
    select * from category_totals
),

estimates as (
    select
        *,
        violating_weight / weight_sum as point_estimate,
        weight_sum * weight_sum / weight_square_sum as effective_sample_size
    from totals
),

weekly_views as (
    {{ aggregate_by_dimension('views_daily', 'week_start', [['surface', 'surface']], [
        'sum(views) as views',
    ]) }}
),

final as (
    select
        estimates.dimension,
        estimates.dimension_value,
        estimates.sample_count,
        estimates.violating_samples,
        estimates.weight_sum,
        estimates.violating_weight,
        estimates.effective_sample_size,
        case when estimates.violating_samples >= 10 then estimates.point_estimate end
            as prevalence,
        case
            when estimates.violating_samples >= 10
                then {{ wilson_bound('estimates.point_estimate', 'estimates.effective_sample_size', -1) }}
        end as ci_low,
        case
            when estimates.violating_samples = 0
                then least(1.0, 3.0 / estimates.effective_sample_size)
            else {{ wilson_bound('estimates.point_estimate', 'estimates.effective_sample_size', 1) }}
        end as ci_high,
        estimates.violating_samples < 10 as is_upper_bound,
        weekly_views.views,
        case when estimates.violating_samples >= 10 then estimates.point_estimate end
        * weekly_views.views as estimated_violating_views,
        estimates.week_start
    from estimates
    left join weekly_views
        on
            estimates.week_start = weekly_views.week_start
            and (
                estimates.dimension = weekly_views.dimension
                and estimates.dimension_value = weekly_views.dimension_value
                or estimates.dimension = 'category' and weekly_views.dimension = 'overall'
            )
)

select * from final

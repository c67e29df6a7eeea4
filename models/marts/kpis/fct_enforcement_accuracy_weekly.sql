-- One row per week (of reviewed_at) and dimension value (overall,
-- decision_method): QA reviews of decisions and those agreeing with them.
with

qa_reviews as (
    select * from {{ ref('stg_raw__qa_reviews') }}
),

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

reviews as (
    select
        enforcements.decision_method,
        qa_reviews.agrees,
        {{ week_of('qa_reviews.reviewed_at') }} as week_start
    from qa_reviews
    inner join enforcements
        on qa_reviews.enforcement_id = enforcements.enforcement_id
),

aggregated as (
    {{ aggregate_by_dimension('reviews', 'week_start', [['decision_method', 'decision_method']], [
        'count(*) as qa_reviews',
        count_where('agrees') ~ ' as agreeing_reviews',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        qa_reviews,
        agreeing_reviews,
        {{ safe_rate('agreeing_reviews', 'qa_reviews') }} as enforcement_accuracy,
        week_start
    from aggregated
)

select * from final

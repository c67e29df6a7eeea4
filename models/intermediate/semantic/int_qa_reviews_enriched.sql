-- One row per QA review of a decision, with the decision's method (the
-- population of fct_enforcement_accuracy_weekly).
with

qa_reviews as (
    select * from {{ ref('stg_raw__qa_reviews') }}
),

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

final as (
    select
        qa_reviews.qa_id,
        qa_reviews.enforcement_id,
        enforcements.decision_method,
        qa_reviews.agrees,
        qa_reviews.reviewed_at
    from qa_reviews
    inner join enforcements
        on qa_reviews.enforcement_id = enforcements.enforcement_id
)

select * from final

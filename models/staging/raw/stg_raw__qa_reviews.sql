with

checked_qa_reviews as (
    select * from {{ ref('base_raw__qa_reviews') }}
),

staged_qa_reviews as (
    select
        qa_id,
        enforcement_id,
        reviewed_at,
        agrees,
        reviewer_id
        {{ raw_extra_columns('qa_reviews') }}
    from checked_qa_reviews
    where row_status = 'staged'
)

select * from staged_qa_reviews

with

checked_appeals as (
    select * from {{ ref('base_raw__appeals') }}
),

staged_appeals as (
    select
        appeal_id,
        enforcement_id,
        appealed_at,
        status,
        resolved_at,
        resolution_method,
        ingested_at,
        status_raw,
        resolution_method_raw
        {{ raw_extra_columns('appeals') }}
    from checked_appeals
    where row_status = 'staged'
)

select * from staged_appeals

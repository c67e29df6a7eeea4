with

checked_reports as (
    select * from {{ ref('base_raw__reports') }}
),

staged_reports as (
    select
        report_id,
        reported_at,
        reporter_id,
        reporter_type,
        object_type,
        object_id,
        account_id,
        surface,
        reported_category,
        ingested_at,
        reporter_type_raw,
        object_type_raw,
        surface_raw,
        reported_category_raw
        {{ raw_extra_columns('reports') }}
    from checked_reports
    where row_status = 'staged'
)

select * from staged_reports

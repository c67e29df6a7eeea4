with

checked_views_daily as (
    select * from {{ ref('base_raw__views_daily') }}
),

staged_views_daily as (
    select
        date as view_date,
        surface,
        views,
        surface_raw
        {{ raw_extra_columns('views_daily') }}
    from checked_views_daily
    where row_status = 'staged'
)

select * from staged_views_daily

with

checked_active_users_daily as (
    select * from {{ ref('base_raw__active_users_daily') }}
),

staged_active_users_daily as (
    select
        date as activity_date,
        active_users
        {{ raw_extra_columns('active_users_daily') }}
    from checked_active_users_daily
    where row_status = 'staged'
)

select * from staged_active_users_daily

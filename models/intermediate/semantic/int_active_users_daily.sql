-- One row per UTC day: the platform's daily active users (the denominator
-- of report_rate_per_1k_dau, fct_report_rate_weekly), as a table the
-- semantic layer reads.
with

active_users as (
    select * from {{ ref('stg_raw__active_users_daily') }}
),

final as (
    select
        activity_date,
        active_users
    from active_users
)

select * from final

-- One row per week (of reported_at) and dimension value (overall,
-- reporter_type, surface): reports per 1,000 mean daily active users.
with

reports as (
    select
        reporter_type,
        surface,
        {{ week_of('reported_at') }} as week_start
    from {{ ref('stg_raw__reports') }}
),

daily_active_users as (
    select
        {{ week_of('activity_date') }} as week_start,
        avg(active_users) as mean_daily_active_users,
        count(*) as days_with_active_users
    from {{ ref('stg_raw__active_users_daily') }}
    group by {{ week_of('activity_date') }}
),

aggregated as (
    {{ aggregate_by_dimension('reports', 'week_start',
        [['reporter_type', 'reporter_type'], ['surface', 'surface']], [
        'count(*) as reports',
    ]) }}
),

final as (
    select
        aggregated.dimension,
        aggregated.dimension_value,
        aggregated.reports,
        daily_active_users.mean_daily_active_users,
        daily_active_users.days_with_active_users,
        daily_active_users.mean_daily_active_users / 1000.0 as thousand_daily_active_users,
        {{ safe_rate('aggregated.reports', 'daily_active_users.mean_daily_active_users / 1000.0') }}
            as report_rate_per_1k_dau,
        aggregated.week_start
    from aggregated
    left join daily_active_users
        on aggregated.week_start = daily_active_users.week_start
)

select * from final

-- One row per UTC day and object open at the end of it: the backlog
-- snapshots of fct_backlog_daily, item by item (objects signalled at or
-- before the snapshot with no decision at or before it), with the age
-- bucket and whether the item is older than its category's P90 target.
with

items as (
    select * from {{ ref('int_backlog_items') }}
),

days as (
    {{ day_series(
        '(select min(cast(opened_at as date)) from ' ~ ref('int_backlog_items') ~ ')',
        '(select cast(data_end_at as date) from ' ~ ref('int_data_end') ~ ')'
    ) }}
),

snapshots as (
    select
        day as snapshot_date,
        {{ dbt.dateadd('day', 1, 'cast(day as timestamp)') }} as snapshot_at
    from days
),

open_items as (
    select
        items.object_type,
        items.object_id,
        items.policy_category,
        {{ hours_between('items.opened_at', 'snapshots.snapshot_at') }} as age_hours,
        items.p90_target_hours,
        snapshots.snapshot_date
    from snapshots
    inner join items
        on
            snapshots.snapshot_at >= items.opened_at
            and (items.closed_at is null or snapshots.snapshot_at < items.closed_at)
),

final as (
    select
        object_type,
        object_id,
        policy_category,
        case
            when age_hours < 1 then '<1h'
            when age_hours < 24 then '1h-24h'
            when age_hours < 168 then '1d-7d'
            else '>7d'
        end as age_bucket,
        age_hours,
        coalesce(age_hours > p90_target_hours, false) as is_over_target,
        snapshot_date
    from open_items
)

select * from final

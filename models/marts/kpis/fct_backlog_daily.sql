-- One row per day and dimension value (overall, age_bucket, category): the
-- backlog at the end of the UTC day, i.e. objects signalled at or before
-- the snapshot with no decision at or before it, and those older than the
-- P90 target of their category's default severity.
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
        day,
        {{ dbt.dateadd('day', 1, 'cast(day as timestamp)') }} as snapshot_at
    from days
),

open_items as (
    select
        snapshots.day,
        items.policy_category,
        case
            when {{ hours_between('items.opened_at', 'snapshots.snapshot_at') }} < 1 then '<1h'
            when {{ hours_between('items.opened_at', 'snapshots.snapshot_at') }} < 24 then '1h-24h'
            when {{ hours_between('items.opened_at', 'snapshots.snapshot_at') }} < 168 then '1d-7d'
            else '>7d'
        end as age_bucket,
        coalesce(
            {{ hours_between('items.opened_at', 'snapshots.snapshot_at') }}
            > items.p90_target_hours, false
        ) as is_over_target
    from snapshots
    inner join items
        on
            snapshots.snapshot_at >= items.opened_at
            and (items.closed_at is null or snapshots.snapshot_at < items.closed_at)
),

aggregated as (
    {{ aggregate_by_dimension('open_items', 'day',
        [['age_bucket', 'age_bucket'], ['category', 'policy_category']], [
        'count(*) as open_items',
        count_where('is_over_target') ~ ' as over_target_items',
    ]) }}
),

overall_every_day as (
    select
        snapshots.day,
        'overall' as dimension,
        'all' as dimension_value,
        coalesce(aggregated.open_items, 0) as open_items,
        coalesce(aggregated.over_target_items, 0) as over_target_items
    from snapshots
    left join aggregated
        on
            snapshots.day = aggregated.day
            and aggregated.dimension = 'overall'
),

final as (
    select
        dimension,
        dimension_value,
        open_items,
        over_target_items,
        day
    from overall_every_day
    union all
    select
        dimension,
        dimension_value,
        open_items,
        over_target_items,
        day
    from aggregated
    where dimension != 'overall'
)

select * from final

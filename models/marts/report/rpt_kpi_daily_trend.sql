-- One row per day, metric, version and dimension value: kpi_daily (the
-- backlog snapshots) as the report shows it, with labels, final/provisional
-- status and small-count suppression: a row whose count (numerator,
-- denominator) is below var('report_min_count') has its counts and value
-- nulled and is_suppressed set.

with

kpi_daily as (
    select * from {{ ref('kpi_daily') }}
),

rpt_glossary as (
    select * from {{ ref('rpt_glossary') }}
),

-- counts the report may show, and the rows to suppress (small_count_flags)
flagged as (
    {{ small_count_flags('kpi_daily', 'day') }}
),

suppressed as (
    select
        day,
        metric_id,
        metric_version,
        dimension,
        dimension_value,
        case when not is_suppressed then numerator end as numerator,
        case when not is_suppressed then denominator end as denominator,
        case when not is_suppressed then value end as value,  -- noqa: RF04
        is_final,
        is_suppressed,
        lead(is_final) over (
            partition by metric_id, metric_version, dimension, dimension_value
            order by day
        ) as next_is_final,
        max(case when is_final then day end) over (
            partition by metric_id, metric_version
        ) as latest_final_day,
        max(day) over (partition by metric_id, metric_version) as latest_day
    from flagged
),

final as (
    select
        suppressed.metric_id,
        suppressed.metric_version,
        rpt_glossary.metric_label,
        rpt_glossary.kpi_family,
        rpt_glossary.unit,
        suppressed.dimension,
        suppressed.dimension_value,
        case when suppressed.is_final then 'final' else 'provisional' end as status,
        suppressed.numerator,
        suppressed.denominator,
        suppressed.value,
        case when suppressed.is_final then suppressed.value end as value_final,
        case
            when not suppressed.is_final or not suppressed.next_is_final then suppressed.value
        end as value_provisional,
        suppressed.is_final,
        suppressed.is_suppressed,
        suppressed.day = coalesce(suppressed.latest_final_day, suppressed.latest_day)
            as is_headline_day,
        suppressed.day
    from suppressed
    inner join rpt_glossary
        on
            suppressed.metric_id = rpt_glossary.metric_id
            and suppressed.metric_version = rpt_glossary.metric_version
)

select * from final

-- One row per severity: time to action against its targets (seed
-- severity_targets) in the headline week of tta_within_target_rate (its
-- latest final week; rpt_kpi_trend.is_headline_week):
-- the share of first violation decisions taken within the severity's P90
-- target hours, and the week's median and 90th percentile hours against
-- the P50 and P90 targets, each `met` or `missed`. Every severity has a
-- row. A target gets no verdict when its value is missing (`no data`),
-- suppressed as a small count (`suppressed`), or provisional (`provisional`:
-- only while no week is final yet, when the latest shown week is the
-- headline; its value can still move).
with

severity_targets as (
    select * from {{ ref('stg_reference__severity_targets') }}
),

rpt_kpi_trend as (
    select * from {{ ref('rpt_kpi_trend') }}
),

by_severity as (
    select
        metric_id,
        dimension_value as severity,
        numerator,
        denominator,
        value,
        is_final,
        is_suppressed,
        is_headline_week,
        week_start
    from rpt_kpi_trend
    where
        dimension = 'severity'
        and metric_id in ('tta_within_target_rate', 'tta_p50_hours', 'tta_p90_hours')
        and metric_version = 1
),

-- the week the summary shows for tta_within_target_rate (rpt_kpi_trend)
headline_week as (
    select max(week_start) as week_start
    from by_severity
    where metric_id = 'tta_within_target_rate' and is_headline_week
),

headline as (
    select
        by_severity.severity,
        max(
            case when by_severity.metric_id = 'tta_within_target_rate' then by_severity.value end
        ) as within_target_rate,
        max(
            case
                when by_severity.metric_id = 'tta_within_target_rate' then by_severity.numerator
            end
        ) as within_target_actions,
        max(
            case
                when by_severity.metric_id = 'tta_within_target_rate' then by_severity.denominator
            end
        ) as timed_actions,
        max(case when by_severity.metric_id = 'tta_p50_hours' then by_severity.value end)
            as p50_hours,
        max(case when by_severity.metric_id = 'tta_p90_hours' then by_severity.value end)
            as p90_hours,
        bool_or(by_severity.metric_id = 'tta_p50_hours' and by_severity.is_suppressed)
            as is_p50_suppressed,
        bool_or(by_severity.metric_id = 'tta_p90_hours' and by_severity.is_suppressed)
            as is_p90_suppressed,
        bool_or(by_severity.is_suppressed) as is_suppressed,
        bool_and(by_severity.is_final) as is_final
    from by_severity
    inner join headline_week
        on by_severity.week_start = headline_week.week_start
    group by by_severity.severity
),

final as (
    select
        severity_targets.severity,
        {%- for percentile in ['p90', 'p50'] %}
        case
            when headline.is_{{ percentile }}_suppressed then 'suppressed'
            when headline.{{ percentile }}_hours is null then 'no data'
            when not headline.is_final then 'provisional'
            when headline.{{ percentile }}_hours <= severity_targets.{{ percentile }}_target_hours
                then 'met'
            else 'missed'
        end as {{ percentile }}_target_status,
        {%- endfor %}
        severity_targets.severity_rank,
        headline.within_target_rate,
        headline.within_target_actions,
        headline.timed_actions,
        headline.p50_hours,
        cast(severity_targets.p50_target_hours as double) as p50_target_hours,
        headline.p90_hours,
        cast(severity_targets.p90_target_hours as double) as p90_target_hours,
        coalesce(headline.is_final, false) as is_final,
        coalesce(headline.is_suppressed, false) as is_suppressed,
        (select headline_week.week_start from headline_week) as week_start
    from severity_targets
    left join headline
        on severity_targets.severity = headline.severity
)

select * from final

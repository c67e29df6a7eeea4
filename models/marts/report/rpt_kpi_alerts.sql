-- One row per KPI alert of kpi_alerts, labelled for the report, plus one
-- placeholder row when no alert is open (a report source must never be
-- empty). An alert is open when its week is one of the latest
-- var('report_open_alert_weeks') weeks of kpi_weekly. Alerts on provisional
-- weeks are kept and flagged: their value can still move.
-- Privacy: an alert on a suppressed KPI row has its value and band nulled
-- (is_suppressed); so has the band of a count metric when it is below
-- var('report_min_count').
{%- set min_count = var('report_min_count', 10) %}
{%- set open_weeks = var('report_open_alert_weeks', 2) %}

with

kpi_alerts as (
    select * from {{ ref('kpi_alerts') }}
),

rpt_kpi_trend as (
    select * from {{ ref('rpt_kpi_trend') }}
),

rpt_glossary as (
    select * from {{ ref('rpt_glossary') }}
),

latest_week as (
    select max(week_start) as week_start from rpt_kpi_trend
),

joined as (
    select
        kpi_alerts.alert_type,
        kpi_alerts.metric_id,
        kpi_alerts.metric_version,
        rpt_glossary.metric_label,
        rpt_glossary.kpi_family,
        rpt_glossary.family_page,
        kpi_alerts.dimension,
        kpi_alerts.dimension_value,
        kpi_alerts.direction,
        kpi_alerts.change_is,
        kpi_alerts.severity,
        rpt_glossary.value_suffix,
        rpt_glossary.display_scale,
        rpt_glossary.display_decimals,
        kpi_alerts.value,
        kpi_alerts.expected_value,
        kpi_alerts.expected_low,
        kpi_alerts.expected_high,
        coalesce(
            rpt_kpi_trend.is_suppressed
            or (
                rpt_glossary.value_is_count
                and least(kpi_alerts.expected_value, kpi_alerts.expected_low) < {{ min_count }}
            ),
            false
        ) as is_suppressed,
        coalesce(rpt_kpi_trend.is_final, false) as is_final,
        kpi_alerts.week_start >= {{ dbt.dateadd('day', -7 * (open_weeks - 1), 'latest_week.week_start') }}
            as is_open,
        kpi_alerts.week_start
    from kpi_alerts
    cross join latest_week
    inner join rpt_glossary
        on
            kpi_alerts.metric_id = rpt_glossary.metric_id
            and kpi_alerts.metric_version = rpt_glossary.metric_version
    left join rpt_kpi_trend
        on
            kpi_alerts.metric_id = rpt_kpi_trend.metric_id
            and kpi_alerts.metric_version = rpt_kpi_trend.metric_version
            and kpi_alerts.dimension = rpt_kpi_trend.dimension
            and kpi_alerts.dimension_value = rpt_kpi_trend.dimension_value
            and kpi_alerts.week_start = rpt_kpi_trend.week_start
),

labelled as (
    select
        alert_type,
        metric_id,
        metric_version,
        metric_label,
        kpi_family,
        family_page,
        dimension,
        dimension_value,
        direction,
        change_is,
        severity,
        case when is_final then 'final' else 'provisional' end as status,
        case
            when is_suppressed then 'suppressed (small count)'
            else {{ number_text('value * display_scale', 'display_decimals') }} || value_suffix
        end as value_label,
        case
            when is_suppressed then 'suppressed (small count)'
            when alert_type = 'target_miss'
                then 'target <= ' || {{ number_text('expected_high * display_scale', 'display_decimals') }} || value_suffix
            else
                {{ number_text('expected_low * display_scale', 'display_decimals') }} || value_suffix
                || ' to '
                || {{ number_text('expected_high * display_scale', 'display_decimals') }} || value_suffix
        end as expected_label,
        case when not is_suppressed then value end as value,  -- noqa: RF04
        case when not is_suppressed then expected_value end as expected_value,
        case when not is_suppressed then expected_low end as expected_low,
        case when not is_suppressed then expected_high end as expected_high,
        case severity when 'critical' then 1 else 2 end as severity_rank,
        is_suppressed,
        is_final,
        is_open,
        false as is_placeholder,
        week_start
    from joined
),

-- one row when there is nothing else to show, with the columns of the
-- rows above (null where it has nothing to say)
placeholder as (
    select
        'none' as alert_type,
        cast(null as string) as metric_id,
        cast(null as integer) as metric_version,
        'No open alerts' as metric_label,
        cast(null as string) as kpi_family,
        cast(null as string) as family_page,
        'overall' as dimension,
        'all' as dimension_value,
        '' as direction,
        'neutral' as change_is,
        'none' as severity,
        'final' as status,
        '' as value_label,
        '' as expected_label,
        cast(null as double) as value,  -- noqa: RF04
        cast(null as double) as expected_value,
        cast(null as double) as expected_low,
        cast(null as double) as expected_high,
        3 as severity_rank,
        false as is_suppressed,
        true as is_final,
        true as is_open,
        true as is_placeholder,
        latest_week.week_start
    from latest_week
    where not exists (
        select 1 from labelled
        where labelled.is_open
    )
),

final as (
    select
        alert_type,
        metric_id,
        metric_version,
        metric_label,
        kpi_family,
        family_page,
        dimension,
        dimension_value,
        direction,
        change_is,
        severity,
        status,
        value_label,
        expected_label,
        value,
        expected_value,
        expected_low,
        expected_high,
        severity_rank,
        is_suppressed,
        is_final,
        is_open,
        is_placeholder,
        week_start
    from labelled
    union all
    select * from placeholder
)

select * from final

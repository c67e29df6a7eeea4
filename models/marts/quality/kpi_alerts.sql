-- One row per alert: a KPI week that left the robust band of its own recent
-- history, or a time-to-action week that missed its severity's target.
-- Band: median of the trailing var(alert_history_weeks) weeks +- k scaled
-- MADs (1.4826 x MAD; at least 5% of the median, so flat series do not
-- alert on noise), with k = alert_warning_mads (warning) or
-- alert_critical_mads (critical). Rates need alert_min_denominator. Only
-- final weeks alert or count as history: an open window (e.g. 90-day
-- recurrence) is censored and would look like a drop. Target misses too are
-- raised on final weeks only: a provisional week's percentile can still move.
with

kpi_weekly as (
    select * from {{ ref('kpi_weekly') }}
),

severity_targets as (
    select * from {{ ref('stg_reference__severity_targets') }}
),

metric_definitions as (
    select * from {{ ref('metric_definitions') }}
),

series as (
    select
        metric_id,
        metric_version,
        dimension,
        dimension_value,
        value,
        week_start
    from kpi_weekly
    where
        is_final
        and value is not null
        and (denominator is null or denominator >= {{ var('alert_min_denominator') }})
),

history as (
    select
        current_week.metric_id,
        current_week.metric_version,
        current_week.dimension,
        current_week.dimension_value,
        current_week.week_start,
        prior_week.value as prior_value
    from series as current_week
    inner join series as prior_week
        on
            current_week.metric_id = prior_week.metric_id
            and current_week.metric_version = prior_week.metric_version
            and current_week.dimension = prior_week.dimension
            and current_week.dimension_value = prior_week.dimension_value
            and current_week.week_start > prior_week.week_start
            and {{ dbt.dateadd('day', -7 * var('alert_history_weeks'), 'current_week.week_start') }}
            <= prior_week.week_start
),

medians as (
    select
        metric_id,
        metric_version,
        dimension,
        dimension_value,
        week_start,
        count(*) as history_weeks,
        {{ percentile_cont('prior_value', 0.5) }} as history_median
    from history
    group by metric_id, metric_version, dimension, dimension_value, week_start
),

deviations as (
    select
        history.metric_id,
        history.metric_version,
        history.dimension,
        history.dimension_value,
        history.week_start,
        {{ percentile_cont('abs(history.prior_value - medians.history_median)', 0.5) }}
            as history_mad
    from history
    inner join medians
        on
            history.metric_id = medians.metric_id
            and history.metric_version = medians.metric_version
            and history.dimension = medians.dimension
            and history.dimension_value = medians.dimension_value
            and history.week_start = medians.week_start
    group by
        history.metric_id,
        history.metric_version,
        history.dimension,
        history.dimension_value,
        history.week_start
),

bands as (
    select
        series.metric_id,
        series.metric_version,
        series.dimension,
        series.dimension_value,
        series.value,
        medians.history_weeks,
        medians.history_median,
        greatest(1.4826 * deviations.history_mad, 0.05 * abs(medians.history_median))
            as band_unit,
        series.week_start
    from series
    inner join medians
        on
            series.metric_id = medians.metric_id
            and series.metric_version = medians.metric_version
            and series.dimension = medians.dimension
            and series.dimension_value = medians.dimension_value
            and series.week_start = medians.week_start
    inner join deviations
        on
            series.metric_id = deviations.metric_id
            and series.metric_version = deviations.metric_version
            and series.dimension = deviations.dimension
            and series.dimension_value = deviations.dimension_value
            and series.week_start = deviations.week_start
    where medians.history_weeks >= {{ var('alert_min_history_weeks') }}
),

drift_alerts as (
    select
        'drift' as alert_type,
        bands.metric_id,
        bands.metric_version,
        bands.dimension,
        bands.dimension_value,
        case when bands.value > bands.history_median then 'up' else 'down' end as direction,
        case
            when
                abs(bands.value - bands.history_median)
                > {{ var('alert_critical_mads') }} * bands.band_unit
                then 'critical'
            else 'warning'
        end as severity,
        bands.value,
        bands.history_median as expected_value,
        bands.history_median - {{ var('alert_warning_mads') }} * bands.band_unit as expected_low,
        bands.history_median + {{ var('alert_warning_mads') }} * bands.band_unit as expected_high,
        bands.week_start
    from bands
    where
        bands.band_unit > 0
        and abs(bands.value - bands.history_median)
        > {{ var('alert_warning_mads') }} * bands.band_unit
),

target_alerts as (
    select
        'target_miss' as alert_type,
        kpi_weekly.metric_id,
        kpi_weekly.metric_version,
        kpi_weekly.dimension,
        kpi_weekly.dimension_value,
        'up' as direction,
        case
            when kpi_weekly.value > 2 * (
                case
                    when kpi_weekly.metric_id = 'tta_p50_hours'
                        then severity_targets.p50_target_hours
                    else severity_targets.p90_target_hours
                end
            ) then 'critical'
            else 'warning'
        end as severity,
        kpi_weekly.value,
        case
            when kpi_weekly.metric_id = 'tta_p50_hours' then severity_targets.p50_target_hours
            else severity_targets.p90_target_hours
        end as expected_value,
        cast(null as double) as expected_low,
        case
            when kpi_weekly.metric_id = 'tta_p50_hours' then severity_targets.p50_target_hours
            else severity_targets.p90_target_hours
        end as expected_high,
        kpi_weekly.week_start
    from kpi_weekly
    inner join severity_targets
        on kpi_weekly.dimension_value = severity_targets.severity
    where
        kpi_weekly.is_final
        and kpi_weekly.dimension = 'severity'
        and kpi_weekly.metric_id in ('tta_p50_hours', 'tta_p90_hours')
        and kpi_weekly.value > case
            when kpi_weekly.metric_id = 'tta_p50_hours' then severity_targets.p50_target_hours
            else severity_targets.p90_target_hours
        end
),

all_alerts as (
    select * from drift_alerts
    union all
    select * from target_alerts
),

final as (
    select
        md5(
            all_alerts.alert_type || '|' || all_alerts.metric_id || '|'
            || all_alerts.metric_version || '|' || all_alerts.dimension || '|'
            || all_alerts.dimension_value || '|' || all_alerts.week_start
        ) as alert_id,
        all_alerts.alert_type,
        all_alerts.metric_id,
        all_alerts.metric_version,
        metric_definitions.name as metric_name,
        all_alerts.dimension,
        all_alerts.dimension_value,
        all_alerts.direction,
        case
            when metric_definitions.direction = 'neutral' then 'neutral'
            when
                (metric_definitions.direction = 'lower_is_better') = (all_alerts.direction = 'up')
                then 'worse'
            else 'better'
        end as change_is,
        all_alerts.severity,
        all_alerts.value,
        all_alerts.expected_value,
        all_alerts.expected_low,
        all_alerts.expected_high,
        all_alerts.week_start
    from all_alerts
    inner join metric_definitions
        on
            all_alerts.metric_id = metric_definitions.metric_id
            and all_alerts.metric_version = metric_definitions.metric_version
)

select * from final

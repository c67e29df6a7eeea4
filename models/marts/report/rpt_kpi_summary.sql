-- One row per metric and version of the registry: the headline of the
-- report's summary page. Weekly metrics: the overall value of the latest
-- FINAL week (while no week is final: the latest week whose overall value
-- is not suppressed, flagged provisional) against the week before; daily metrics (backlog): the latest final day
-- against the same weekday a week earlier. The change is called better or
-- worse from the metric's direction in the registry, and only between two
-- final values: when either the headline or the period compared against is
-- provisional (its window still open, e.g. 90-day recurrence of a recent
-- week), the change is shown for information and change_is says
-- `provisional`. Values come from the suppressed report models: a
-- suppressed value stays null, and so does any change computed from it.
with

rpt_glossary as (
    select * from {{ ref('rpt_glossary') }}
),

rpt_kpi_trend as (
    select * from {{ ref('rpt_kpi_trend') }}
),

rpt_kpi_daily_trend as (
    select * from {{ ref('rpt_kpi_daily_trend') }}
),

weekly_overall as (
    select
        metric_id,
        metric_version,
        value,
        ci_high,
        is_upper_bound,
        is_final,
        is_suppressed,
        is_headline_week as is_headline,
        week_start as period_start
    from rpt_kpi_trend
    where dimension = 'overall'
),

daily_overall as (
    select
        metric_id,
        metric_version,
        value,
        cast(null as double) as ci_high,
        false as is_upper_bound,
        is_final,
        is_suppressed,
        is_headline_day as is_headline,
        day as period_start
    from rpt_kpi_daily_trend
    where dimension = 'overall'
),

overall as (
    select * from weekly_overall
    union all
    select * from daily_overall
),

headlines as (
    select
        current_period.metric_id,
        current_period.metric_version,
        current_period.value,
        current_period.ci_high,
        previous_period.value as previous_value,
        current_period.is_upper_bound,
        current_period.is_final,
        previous_period.is_final as previous_is_final,
        current_period.is_suppressed,
        current_period.period_start,
        previous_period.period_start as previous_period_start
    from overall as current_period
    left join overall as previous_period
        on
            current_period.metric_id = previous_period.metric_id
            and current_period.metric_version = previous_period.metric_version
            and previous_period.period_start = {{ dbt.dateadd('day', -7, 'current_period.period_start') }}
    where current_period.is_headline
),

compared as (
    select
        rpt_glossary.metric_id,
        rpt_glossary.metric_version,
        rpt_glossary.metric_label,
        rpt_glossary.kpi_family,
        rpt_glossary.family_title,
        rpt_glossary.family_page,
        rpt_glossary.unit,
        rpt_glossary.direction,
        rpt_glossary.grain,
        rpt_glossary.value_suffix,
        rpt_glossary.change_suffix,
        rpt_glossary.display_scale,
        rpt_glossary.display_decimals,
        headlines.value,
        headlines.ci_high,
        headlines.previous_value,
        headlines.value - headlines.previous_value as value_change,
        (headlines.value - headlines.previous_value)
        / nullif(abs(headlines.previous_value), 0) as relative_change,
        rpt_glossary.family_order,
        rpt_glossary.metric_order,
        coalesce(headlines.is_upper_bound, false) as is_upper_bound,
        coalesce(headlines.is_final, false) as is_final,
        coalesce(headlines.previous_is_final, false) as previous_is_final,
        coalesce(headlines.is_suppressed, false) as is_suppressed,
        headlines.period_start,
        headlines.previous_period_start
    from rpt_glossary
    left join headlines
        on
            rpt_glossary.metric_id = headlines.metric_id
            and rpt_glossary.metric_version = headlines.metric_version
),

labelled as (
    select
        metric_id,
        metric_version,
        metric_label,
        kpi_family,
        family_title,
        family_page,
        unit,
        direction,
        grain,
        case
            when period_start is null then 'no data'
            when is_final then 'final'
            else 'provisional'
        end as status,
        case
            when is_suppressed then 'suppressed (small count)'
            when is_upper_bound and ci_high is not null
                then '< ' || {{ number_text('ci_high * display_scale', 'display_decimals') }} || value_suffix || ' (upper bound)'
            when value is null then 'n/a'
            else {{ number_text('value * display_scale', 'display_decimals') }} || value_suffix
        end as value_label,
        case
            when value_change is null then ''
            when value_change > 0
                then '+' || {{ number_text('value_change * display_scale', 'display_decimals') }} || change_suffix
            else {{ number_text('value_change * display_scale', 'display_decimals') }} || change_suffix
        end as change_label,
        case
            when value_change is null then ''
            when value_change > 0 then 'up'
            when value_change < 0 then 'down'
            else 'flat'
        end as movement,
        case
            when value_change is null then 'n/a'
            -- no verdict on a value that can still move
            when not (is_final and previous_is_final) then 'provisional'
            when value_change = 0 then 'unchanged'
            when direction = 'neutral' then 'neutral'
            when (value_change > 0) = (direction = 'higher_is_better') then 'better'
            else 'worse'
        end as change_is,
        value,
        ci_high,
        previous_value,
        value_change,
        relative_change,
        family_order,
        metric_order,
        is_upper_bound,
        is_final,
        previous_is_final,
        is_suppressed,
        period_start,
        previous_period_start
    from compared
),

final as (
    select
        metric_id,
        metric_version,
        metric_label,
        kpi_family,
        family_title,
        family_page,
        unit,
        direction,
        grain,
        status,
        value_label,
        change_label,
        movement,
        change_is,
        value,
        ci_high,
        previous_value,
        value_change,
        relative_change,
        family_order,
        metric_order,
        is_upper_bound,
        is_final,
        previous_is_final,
        is_suppressed,
        period_start,
        previous_period_start
    from labelled
)

select * from final

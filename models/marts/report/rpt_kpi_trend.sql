-- One row per week, metric, version and dimension value: kpi_weekly as the
-- report shows it, with display labels, final/provisional status and
-- small-count suppression.
-- Privacy: a row whose numerator or denominator (or, for count metrics, the
-- value) is below var('report_min_count') is suppressed: its counts, value
-- and interval are nulled and is_suppressed is set. Prevalence numerators
-- and denominators are design-weighted sums of sampled views, not counts of
-- people or objects: they are not published and never suppress.

with

kpi_weekly as (
    select * from {{ ref('kpi_weekly') }}
),

rpt_glossary as (
    select * from {{ ref('rpt_glossary') }}
),

-- counts the report may show, and the rows to suppress (small_count_flags)
flagged as (
    {{ small_count_flags('kpi_weekly', 'week_start', extra_columns=['ci_low', 'ci_high', 'is_upper_bound']) }}
),

-- estimated_violating_views is prevalence x views: suppressed with its
-- prevalence row.
derived as (
    select
        flagged.week_start,
        flagged.metric_id,
        flagged.metric_version,
        flagged.dimension,
        flagged.dimension_value,
        flagged.numerator,
        flagged.denominator,
        flagged.value,
        flagged.ci_low,
        flagged.ci_high,
        flagged.is_upper_bound,
        flagged.is_final,
        flagged.is_suppressed or coalesce(prevalence.is_suppressed, false) as is_suppressed
    from flagged
    left join flagged as prevalence
        on
            flagged.metric_id = 'estimated_violating_views'
            and prevalence.metric_id = 'prevalence'
            and prevalence.metric_version = 1
            and flagged.week_start = prevalence.week_start
            and flagged.dimension = prevalence.dimension
            and flagged.dimension_value = prevalence.dimension_value
),

suppressed as (
    select
        week_start,
        metric_id,
        metric_version,
        dimension,
        dimension_value,
        case when not is_suppressed then numerator end as numerator,
        case when not is_suppressed then denominator end as denominator,
        case when not is_suppressed then value end as value,  -- noqa: RF04
        case when not is_suppressed then ci_low end as ci_low,
        case when not is_suppressed then ci_high end as ci_high,
        case when not is_suppressed and is_upper_bound then ci_high end as upper_bound,
        is_upper_bound,
        is_final,
        is_suppressed,
        lead(is_final) over (
            partition by metric_id, metric_version, dimension, dimension_value
            order by week_start
        ) as next_is_final,
        max(case when is_final then week_start end) over (
            partition by metric_id, metric_version
        ) as latest_final_week,
        -- while no week is final: the latest week whose overall value is
        -- shown, so a new week of a day or two, suppressed for its small
        -- counts, does not blank the headline
        max(case when dimension = 'overall' and not is_suppressed then week_start end) over (
            partition by metric_id, metric_version
        ) as latest_shown_week,
        max(week_start) over (partition by metric_id, metric_version) as latest_week
    from derived
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
        suppressed.ci_low,
        suppressed.ci_high,
        suppressed.upper_bound,
        case when suppressed.is_final then suppressed.value end as value_final,
        -- Provisional weeks, plus the last final week so the two lines join.
        case
            when not suppressed.is_final or not suppressed.next_is_final then suppressed.value
        end as value_provisional,
        rpt_glossary.family_order,
        rpt_glossary.metric_order,
        suppressed.is_upper_bound,
        suppressed.is_final,
        suppressed.is_suppressed,
        suppressed.week_start
        = coalesce(suppressed.latest_final_week, suppressed.latest_shown_week, suppressed.latest_week)
            as is_headline_week,
        suppressed.week_start
    from suppressed
    inner join rpt_glossary
        on
            suppressed.metric_id = rpt_glossary.metric_id
            and suppressed.metric_version = rpt_glossary.metric_version
)

select * from final

-- One row per metric and version of the metric registry, as the report shows
-- it: display label, KPI family (the report page it belongs to), and the
-- dated changelog as readable text. The report's metric dimension: the other
-- rpt_ models take labels, families and units from here.
-- Families are the report's pages, named in the metric registry
-- (models/marts/published/_metric_registry.yml): a metric's `report` entry.
with

metric_definitions as (
    select * from {{ ref('metric_definitions') }}
),

metric_parameters as (
    select * from {{ ref('metric_parameters') }}
),

severity_targets as (
    select * from {{ ref('stg_reference__severity_targets') }}
),

-- one line per setting the metric reads, in force for this build
parameter_lines as (
    select
        metric_parameters.metric_id,
        metric_parameters.metric_version,
        metric_parameters.parameter,
        case metric_parameters.parameter
            when 'policy_categories'
                then
                    'Policy categories: ' || count(*) || ' ('
                    || string_agg(distinct metric_parameters.defined_by, ', ') || ')'
            when 'category_default_severity'
                then
                    'Default severity of each category (backlog targets): ' || count(*)
                    || ' categories (' || string_agg(distinct metric_parameters.defined_by, ', ') || ')'
            when 'severity_target_p90_hours'
                then
                    'P90 time-to-action targets: '
                    || {{ string_agg_ordered(
                        "metric_parameters.parameter_key || ' ' || metric_parameters.parameter_value || ' h'",
                        "', '", 'severity_targets.severity_rank'
                    ) }}
                    || ' (' || string_agg(distinct metric_parameters.defined_by, ', ') || ')'
            when 'appeal_capture_days'
                then 'Appeal capture window: ' || any_value(metric_parameters.parameter_value) || ' days'
            else metric_parameters.parameter || ': ' || count(*) || ' values'
        end as parameter_line
    from metric_parameters
    left join severity_targets
        on metric_parameters.parameter_key = severity_targets.severity
    group by metric_parameters.metric_id, metric_parameters.metric_version, metric_parameters.parameter
),

parameter_texts as (
    select
        metric_id,
        metric_version,
        {{ string_agg_ordered('parameter_line', 'chr(10)', 'parameter') }} as parameters_text
    from parameter_lines
    group by metric_id, metric_version
),

-- each metric's family, page and place, from the registry's `report`
-- entries (report_family_map): a metric without them stops the build
family_map as (
    {{ report_family_map() }}
),

-- one row per changelog entry (the registry's JSON list), in list order
changelog_entries as (
    {{ changelog_entries('metric_definitions') }}
),

changelogs as (
    select
        metric_id,
        metric_version,
        count(*) as changelog_entries,
        {{ string_agg_ordered(
            "entry_date || ' (v' || entry_version || '): ' || entry_change", 'chr(10)', 'entry_order'
        ) }} as changelog_text
    from changelog_entries
    group by metric_id, metric_version
),

labelled as (
    select
        metric_definitions.metric_id,
        metric_definitions.metric_version,
        metric_definitions.name,
        metric_definitions.name
        || case
            when count(*) over (partition by metric_definitions.metric_id) > 1
                then ' (v' || metric_definitions.metric_version || ')'
            else ''
        end as metric_label,
        family_map.kpi_family,
        family_map.family_title,
        family_map.family_page,
        metric_definitions.description,
        metric_definitions.unit,
        metric_definitions.direction,
        metric_definitions.numerator,
        metric_definitions.denominator,
        metric_definitions.attribution,
        metric_definitions."window",
        metric_definitions.grain,
        metric_definitions.dimensions,
        case
            when metric_definitions.deprecated_from is null then 'current'
            else 'deprecated from ' || {{ format_timestamp('metric_definitions.deprecated_from', '%Y-%m-%d') }}
        end as version_status,
        coalesce(changelogs.changelog_text, '') as changelog_text,
        coalesce(parameter_texts.parameters_text, '') as parameters_text,
        -- How the report writes values of the unit: value x display_scale,
        -- display_decimals decimals, then value_suffix (changes: change_suffix).
        case when metric_definitions.unit like 'share%' then '%' when metric_definitions.unit = 'hours' then ' h' else '' end as value_suffix,
        case when metric_definitions.unit like 'share%' then ' pp' when metric_definitions.unit = 'hours' then ' h' else '' end as change_suffix,
        case when metric_definitions.unit like 'share%' then 100 else 1 end as display_scale,
        case
            when metric_definitions.unit = 'share of views' then 2
            when metric_definitions.unit in ('objects', 'views') then 0
            when metric_definitions.unit like 'share%' or metric_definitions.unit = 'hours' then 1
            else 2
        end as display_decimals,
        family_map.family_order,
        family_map.metric_order,
        metric_definitions.window_days,
        coalesce(changelogs.changelog_entries, 0) as changelog_entries,
        -- Prevalence counts are design-weighted sums of sampled views, not
        -- counts of accounts or objects: not published, never suppressed.
        metric_definitions.metric_id = 'prevalence' as has_weighted_counts,
        -- Metrics whose value is itself a count (suppressed like one).
        metric_definitions.unit in ('objects', 'views') as value_is_count,
        metric_definitions.deprecated_from is not null as is_deprecated,
        metric_definitions.effective_from,
        metric_definitions.deprecated_from
    from metric_definitions
    left join family_map
        on metric_definitions.metric_id = family_map.metric_id
    left join changelogs
        on
            metric_definitions.metric_id = changelogs.metric_id
            and metric_definitions.metric_version = changelogs.metric_version
    left join parameter_texts
        on
            metric_definitions.metric_id = parameter_texts.metric_id
            and metric_definitions.metric_version = parameter_texts.metric_version
),

final as (
    select
        metric_id,
        metric_version,
        name,
        metric_label,
        kpi_family,
        family_title,
        family_page,
        description,
        unit,
        direction,
        numerator,
        denominator,
        attribution,
        "window",
        grain,
        dimensions,
        version_status,
        changelog_text,
        parameters_text,
        value_suffix,
        change_suffix,
        display_scale,
        display_decimals,
        family_order,
        metric_order,
        window_days,
        changelog_entries,
        has_weighted_counts,
        value_is_count,
        is_deprecated,
        effective_from,
        deprecated_from
    from labelled
)

select * from final

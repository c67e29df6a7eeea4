{#-
    The small-count rule of the report, written once for the trend models
    (rpt_kpi_trend, rpt_kpi_daily_trend): one row per row of the published
    KPI table `kpi` (a CTE of that name, joined to the CTE `rpt_glossary`)
    with

      numerator, denominator  the counts the report may publish (null for
                              design-weighted sums: prevalence)
      is_suppressed           a count behind the row (numerator,
                              denominator, or the value of a count metric)
                              is below var('report_min_count'); never for
                              design-weighted sums

    and `period`, the keys, value, `extra_columns` and is_final passed
    through. The caller nulls what is suppressed.
-#}
{% macro small_count_flags(kpi, period, extra_columns=[]) %}
    {%- set min_count = var('report_min_count', 10) %}
    select
        {{ kpi }}.{{ period }},
        {{ kpi }}.metric_id,
        {{ kpi }}.metric_version,
        {{ kpi }}.dimension,
        {{ kpi }}.dimension_value,
        case when not rpt_glossary.has_weighted_counts then {{ kpi }}.numerator end as numerator,
        case
            when not rpt_glossary.has_weighted_counts then {{ kpi }}.denominator
        end as denominator,
        {{ kpi }}.value,
        {%- for column in extra_columns %}
        {{ kpi }}.{{ column }},
        {%- endfor %}
        {{ kpi }}.is_final,
        coalesce(
            not rpt_glossary.has_weighted_counts
            and (
                {{ kpi }}.numerator < {{ min_count }}
                or {{ kpi }}.denominator < {{ min_count }}
                or (rpt_glossary.value_is_count and {{ kpi }}.value < {{ min_count }})
            ),
            false
        ) as is_suppressed
    from {{ kpi }}
    inner join rpt_glossary
        on
            {{ kpi }}.metric_id = rpt_glossary.metric_id
            and {{ kpi }}.metric_version = rpt_glossary.metric_version
{%- endmacro %}

{#-
    The report's family map, from the metric registry: a select of one row
    per metric (metric_id, kpi_family, family_title, family_page,
    family_order, metric_order). Each metric names its family, page and
    place under `report`; the families' titles and order are the
    registry's `report_families`. Stops the build naming the metric when a
    metric has no family or page, names an unknown family, or when two
    metrics of one family (or two versions of one metric) disagree on it.
-#}
{% macro report_family_map() %}
    {%- set columns = 'metric_id, kpi_family, family_title, family_page, family_order, metric_order' -%}
    {%- if not execute -%}
        {{- return("select null as metric_id, null as kpi_family, null as family_title, "
            ~ "null as family_page, null as family_order, null as metric_order") -}}
    {%- endif -%}
    {%- set meta = metric_registry_meta() -%}
    {%- set families = {} -%}
    {%- for family in meta.get('report_families') or [] -%}
        {%- do families.update({family.family: {'title': family.title, 'order': loop.index, 'page': none}}) -%}
    {%- endfor -%}
    {%- set rows = {} -%}
    {%- for metric in meta.metrics -%}
        {%- set where = "Metric " ~ metric.metric_id ~ " v" ~ metric.metric_version
            ~ " (models/marts/published/_metric_registry.yml)" -%}
        {%- set report = metric.get('report') or {} -%}
        {%- if not report.get('family') or not report.get('page') or report.get('order') is none -%}
            {{ exceptions.raise_compiler_error(where ~ " names no report page: give it "
                ~ "`report: {family: ..., page: /kpis/..., order: N}`.") }}
        {%- endif -%}
        {%- if report.family not in families -%}
            {{ exceptions.raise_compiler_error(where ~ " names report family '" ~ report.family
                ~ "', which is not in `report_families`: add it there (with its title).") }}
        {%- endif -%}
        {%- set family = families[report.family] -%}
        {%- if family.page is none -%}
            {%- do family.update({'page': report.page}) -%}
        {%- elif family.page != report.page -%}
            {{ exceptions.raise_compiler_error(where ~ " puts family '" ~ report.family ~ "' on "
                ~ report.page ~ ", other metrics of it on " ~ family.page ~ ": one page per family.") }}
        {%- endif -%}
        {%- set row = "(" ~ sql_string(metric.metric_id) ~ ", " ~ sql_string(report.family) ~ ", "
            ~ sql_string(family.title) ~ ", " ~ sql_string(report.page) ~ ", " ~ family.order ~ ", "
            ~ report.order ~ ")" -%}
        {%- if metric.metric_id in rows and rows[metric.metric_id] != row -%}
            {{ exceptions.raise_compiler_error(where ~ " is reported differently from another "
                ~ "version of the metric: versions of a metric share family, page and order.") }}
        {%- endif -%}
        {%- do rows.update({metric.metric_id: row}) -%}
    {%- endfor -%}
    {{- return("select * from (values " ~ rows.values() | join(", ") ~ ") as family_rows ("
        ~ columns ~ ")") -}}
{% endmacro %}

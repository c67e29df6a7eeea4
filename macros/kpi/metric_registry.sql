{#- The meta of metric_definitions in
    models/marts/published/_metric_registry.yml: `metrics` (the registry)
    and `report_families`. Needs the graph: call only when `execute`. -#}
{% macro metric_registry_meta() %}
    {%- set found = namespace(meta=none) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name == 'metric_definitions' and found.meta is none -%}
            {%- set found.meta = node.config.meta -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found.meta is none or found.meta.get('metrics') is none -%}
        {{ exceptions.raise_compiler_error("The metric registry (meta.metrics of metric_definitions) is missing.") }}
    {%- endif -%}
    {{- return(found.meta) -}}
{% endmacro %}


{#- The metric registry (meta.metrics of metric_definitions), optionally
    only the metrics of one grain (`weekly` or `daily`). Needs the graph:
    call only when `execute`. -#}
{% macro metric_registry(grain=none) %}
    {%- set selected = [] -%}
    {%- for metric in metric_registry_meta().metrics if grain is none or metric.grain == grain -%}
        {%- do selected.append(metric) -%}
    {%- endfor -%}
    {{- return(selected) -}}
{% endmacro %}


{#-
    The long KPI rows of every registered metric of `grain`: one select per
    metric and version over its family mart (`source.model`), with finality
    from data_end and the metric's window. `marts` maps model names to
    their relations (refs must be written out so dbt sees them when it
    parses).
-#}
{% macro kpi_rows(grain, period, marts) %}
    {%- if not execute -%}
        {{- return('select 1 as parse_placeholder') -}}
    {%- endif -%}
    {%- set period_days = 7 if grain == 'weekly' else 1 -%}
    {%- set selects = [] -%}
    {%- for metric in metric_registry(grain) -%}
        {%- set s = metric.source -%}
        {%- if s.model not in marts -%}
            {{ exceptions.raise_compiler_error(
                "Metric " ~ metric.metric_id ~ " v" ~ metric.metric_version ~ " reads "
                ~ s.model ~ ", which kpi_" ~ grain ~ " does not list: add it to its `marts`.") }}
        {%- endif -%}
        {%- set cols -%}
    select
        mart.{{ period }},
        cast('{{ metric.metric_id }}' as string) as metric_id,
        cast({{ metric.metric_version }} as integer) as metric_version,
        cast(mart.dimension as string) as dimension,
        cast(mart.dimension_value as string) as dimension_value,
        cast({{ ('mart.' ~ s.numerator) if s.numerator else 'null' }} as double) as numerator,
        cast({{ ('mart.' ~ s.denominator) if s.denominator else 'null' }} as double) as denominator,
        cast(mart.{{ s.value }} as double) as value,
        cast({{ ('mart.' ~ s.ci_low) if s.ci_low else 'null' }} as double) as ci_low,
        cast({{ ('mart.' ~ s.ci_high) if s.ci_high else 'null' }} as double) as ci_high,
        coalesce({{ ('mart.' ~ s.is_upper_bound) if s.is_upper_bound else 'false' }}, false)
            as is_upper_bound,
        {{ dbt.dateadd('day', period_days + metric.window_days, 'cast(mart.' ~ period ~ ' as timestamp)') }}
        <= data_end.data_end_at as is_final
    from {{ marts[s.model] }} as mart
    cross join data_end
        {%- endset -%}
        {%- do selects.append(cols) -%}
    {%- endfor -%}
    {{- return(selects | join('\n    union all\n')) -}}
{% endmacro %}


{#- The whole body of a published long KPI table (kpi_weekly, kpi_daily):
    every registered metric of `grain` read from its family mart, with the
    columns of interface.md in order. -#}
{% macro kpi_long_table(grain, period, marts) %}
with

data_end as (
    select data_end_at from {{ ref('int_data_end') }}
),

kpi_rows as (
    {{ kpi_rows(grain, period, marts) }}
),

final as (
    select
        {{ period }},
        metric_id,
        metric_version,
        dimension,
        dimension_value,
        numerator,
        denominator,
        value,
        ci_low,
        ci_high,
        is_upper_bound,
        is_final
    from kpi_rows
)

select * from final
{% endmacro %}

-- One row per metric and version of the metric registry
-- (_metric_registry.yml), with its dated changelog as JSON.
{%- set fields = [
    'metric_id', 'name', 'description', 'unit', 'direction', 'numerator',
    'denominator', 'attribution', 'window', 'grain',
] %}

with

registry as (
    {% if execute -%}
    {%- for metric in metric_registry() %}
    select
        {%- for field in fields %}
        cast({{ sql_string(metric[field] | string) }} as string) as {{ adapter.quote(field) }},
        {%- endfor %}
        cast({{ metric.metric_version }} as integer) as metric_version,
        cast({{ metric.window_days }} as integer) as window_days,
        cast({{ sql_string(metric.dimensions | join(', ')) }} as string) as dimensions,
        cast({{ sql_string(metric.source.model) }} as string) as source_model,
        cast({{ sql_string(tojson(metric.changelog)) }} as string) as changelog,
        cast({{ sql_string(metric.effective_from) }} as date) as effective_from,
        cast(
            {{ sql_string(metric.deprecated_from) if metric.deprecated_from else 'null' }}
            as date
        ) as deprecated_from
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {%- else -%}
    select 1 as parse_placeholder
    {%- endif %}
),

final as (
    select
        metric_id,
        metric_version,
        name,
        description,
        unit,
        direction,
        numerator,
        denominator,
        attribution,
        "window",
        window_days,
        grain,
        dimensions,
        source_model,
        effective_from,
        deprecated_from,
        changelog
    from registry
)

select * from final

-- One row per metric version, parameter it reads (registry `parameters`)
-- and key: the value in force for this build and where it comes from.
-- depends_on: {{ ref('stg_reference__policy_categories') }}
-- depends_on: {{ ref('stg_reference__severity_targets') }}
{%- set selects = [] %}
{%- if execute %}
    {%- for metric in metric_registry() %}
        {%- for parameter in metric.parameters %}
            {%- do selects.append(
                "select cast('" ~ metric.metric_id ~ "' as varchar) as metric_id, cast("
                ~ metric.metric_version ~ " as integer) as metric_version, cast('" ~ parameter
                ~ "' as varchar) as parameter, parameter_key, parameter_value, defined_by from ("
                ~ metric_parameter_select(parameter) ~ ")") %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}

with

parameters_in_force as (
    {{ selects | join('\n    union all\n    ') if selects else
        'select null as metric_id, null as metric_version, null as parameter, null as parameter_key, '
        ~ 'null as parameter_value, null as defined_by where false' }}
),

final as (
    select
        metric_id,
        metric_version,
        parameter,
        cast(parameter_key as varchar) as parameter_key,
        cast(parameter_value as varchar) as parameter_value,
        cast(defined_by as varchar) as defined_by
    from parameters_in_force
)

select * from final

-- One row per metric version, parameter it reads (registry `parameters`)
-- and key: the value in force for this build and where it comes from.
-- depends_on: {{ ref('stg_reference__policy_categories') }}
-- depends_on: {{ ref('stg_reference__severity_targets') }}
-- depends_on: {{ ref('stg_reference__code_sets') }}
with

parameters_in_force as (
    {{ metric_parameter_rows() }}
),

final as (
    select
        metric_id,
        metric_version,
        parameter,
        cast(parameter_key as string) as parameter_key,
        cast(parameter_value as string) as parameter_value,
        cast(defined_by as string) as defined_by
    from parameters_in_force
)

select * from final

-- One row per severity with its time-to-action targets in force: the
-- severity_targets seed, with the platform config's targets where it sets
-- them.
{%- set overrides = platform_severity_targets() %}
{%- set rows = [] %}
{%- for severity, t in overrides.items() %}
    {%- do rows.append([sql_string(severity), t.p50 ~ '', t.p90 ~ '']) %}
{%- endfor %}

with

builtin_targets as (
    select
        severity,
        severity_rank,
        p50_target_hours,
        p90_target_hours
    from {{ ref('severity_targets') }}
),

platform_targets as (
    {{ literal_rows(rows, ['severity', 'p50_target_hours', 'p90_target_hours']) }}
),

targets_in_force as (
    select
        builtin_targets.severity,
        builtin_targets.severity_rank,
        coalesce(
            cast(platform_targets.p50_target_hours as double),
            builtin_targets.p50_target_hours
        ) as p50_target_hours,
        coalesce(
            cast(platform_targets.p90_target_hours as double),
            builtin_targets.p90_target_hours
        ) as p90_target_hours,
        case
            when platform_targets.severity is null then 'built-in'
            else 'platform config'
        end as defined_by
    from builtin_targets
    left join platform_targets
        on builtin_targets.severity = platform_targets.severity
)

select * from targets_in_force

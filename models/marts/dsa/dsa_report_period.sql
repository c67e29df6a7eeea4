-- One row: the reporting period of the DSA transparency-report tables
-- (dsa_report_*). Vars `dsa_period_start` / `dsa_period_end` (YYYY-MM-DD,
-- both inclusive) choose it; by default it is the calendar half-year
-- holding data_end. No row when neither the vars nor the data give one.
{%- set period_start = var('dsa_period_start', none) -%}
{%- set period_end = var('dsa_period_end', none) -%}
{%- set year_start = dbt.date_trunc('year', 'data_end_at') -%}
{%- set start_sql = "cast('" ~ period_start ~ "' as date)" if period_start else (
    "case when extract(month from data_end_at) <= 6 then cast(" ~ year_start ~ " as date) "
    ~ "else cast(" ~ dbt.dateadd('month', 6, year_start) ~ " as date) end"
) -%}
{%- set end_sql = "cast('" ~ period_end ~ "' as date)" if period_end else (
    "cast(" ~ dbt.dateadd('day', -1, dbt.dateadd('month', 6, 'period_start')) ~ " as date)"
) -%}
{%- set source_sql = "'vars'" if period_start or period_end else "'half-year of data_end'" %}

with

data_end as (
    select data_end_at from {{ ref('int_data_end') }}
),

starts as (
    select
        data_end_at,
        {{ start_sql }} as period_start
    from data_end
),

periods as (
    select
        period_start,
        {{ end_sql }} as period_end,
        {{ source_sql }} as period_source,
        data_end_at
    from starts
),

final as (
    select
        period_start,
        period_end,
        period_source,
        coalesce(data_end_at >= {{ dbt.dateadd('day', 1, 'period_end') }}, false)
            as is_period_complete,
        cast(period_start as timestamp) as period_start_at,
        cast({{ dbt.dateadd('day', 1, 'period_end') }} as timestamp) as period_end_at,
        data_end_at
    from periods
    where period_start is not null and period_end is not null
)

select * from final

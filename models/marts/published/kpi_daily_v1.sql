-- One row per day, metric, version and dimension value: every daily KPI of
-- the metric registry (the backlog) in one long table (interface.md).
{%- set marts = {
    'fct_backlog_daily': ref('fct_backlog_daily'),
} %}

with

data_end as (
    select data_end_at from {{ ref('int_data_end') }}
),

kpi_rows as (
    {{ kpi_rows('daily', 'day', marts) }}
),

final as (
    select
        day,
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

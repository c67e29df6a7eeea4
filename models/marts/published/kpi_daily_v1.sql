-- One row per day, metric, version and dimension value: every daily KPI of
-- the metric registry (the backlog) in one long table (interface.md).
{%- set marts = {
    'fct_backlog_daily': ref('fct_backlog_daily'),
} %}

{{ kpi_long_table('daily', 'day', marts) }}

-- Thin select over the report model marts.rpt_kpi_daily_trend (models/marts/report):
-- aggregates only, small counts already suppressed. Never empty.
select
    metric_id,
    metric_version,
    metric_label,
    kpi_family,
    unit,
    dimension,
    dimension_value,
    status,
    numerator,
    denominator,
    value,
    value_final,
    value_provisional,
    is_final,
    is_suppressed,
    is_headline_day,
    day
from marts.rpt_kpi_daily_trend

-- Thin select over the report model marts.rpt_kpi_trend (models/marts/report):
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
    ci_low,
    ci_high,
    upper_bound,
    value_final,
    value_provisional,
    family_order,
    metric_order,
    is_upper_bound,
    is_final,
    is_suppressed,
    is_headline_week,
    week_start
from marts.rpt_kpi_trend

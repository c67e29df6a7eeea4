-- Thin select over the report model marts.rpt_kpi_alerts (models/marts/report):
-- aggregates only, small counts already suppressed. Never empty.
select
    alert_type,
    metric_id,
    metric_version,
    metric_label,
    kpi_family,
    family_page,
    dimension,
    dimension_value,
    direction,
    change_is,
    severity,
    status,
    value_label,
    expected_label,
    value,
    expected_value,
    expected_low,
    expected_high,
    severity_rank,
    is_suppressed,
    is_final,
    is_open,
    is_placeholder,
    week_start
from marts.rpt_kpi_alerts

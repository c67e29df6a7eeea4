-- Thin select over the published mart; the marts do the work.
-- A source that returns zero rows breaks every page using it.
select
    week_start,
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
from marts.kpi_weekly

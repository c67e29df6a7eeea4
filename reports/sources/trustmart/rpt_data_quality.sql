-- Thin select over the report model marts.rpt_data_quality (models/marts/report):
-- aggregates only, small counts already suppressed. Never empty.
select
    suite,
    check_name,
    severity,
    status,
    observed_value,
    threshold,
    details,
    status_rank,
    is_freshness,
    is_placeholder,
    run_at
from marts.rpt_data_quality

-- Thin select over the report model marts.rpt_tta_attainment (models/marts/report):
-- aggregates only, small counts already suppressed. Never empty.
select
    severity,
    p90_target_status,
    p50_target_status,
    severity_rank,
    within_target_rate,
    within_target_actions,
    timed_actions,
    p50_hours,
    p50_target_hours,
    p90_hours,
    p90_target_hours,
    is_final,
    is_suppressed,
    week_start
from marts.rpt_tta_attainment

-- Thin select over the report model marts.rpt_check_status (models/marts/report):
-- one row, always: the latest data-quality check run against the build.
select
    check_status,
    failed_check_names,
    banner_title,
    banner_text,
    notice_title,
    notice_text,
    checks_run,
    failed_checks,
    has_failed_checks,
    is_checked_since_build,
    last_run_at,
    built_at
from marts.rpt_check_status

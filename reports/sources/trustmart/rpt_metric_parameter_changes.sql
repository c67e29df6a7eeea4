-- Thin select over the report model marts.rpt_metric_parameter_changes
-- (models/marts/report): settings changes, no record ids. Never empty.
select
    metric_id,
    metric_version,
    parameter,
    parameter_key,
    change_text,
    is_placeholder,
    changed_on
from marts.rpt_metric_parameter_changes

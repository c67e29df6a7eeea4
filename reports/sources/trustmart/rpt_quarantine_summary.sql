-- Thin select over the report model marts.rpt_quarantine_summary (models/marts/report):
-- exact pipeline row counts (not people: not suppressed). Never empty.
select
    source_table,
    reason,
    quarantined_rows,
    quarantined_label,
    is_total
from marts.rpt_quarantine_summary

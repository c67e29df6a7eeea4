-- Thin select over the report model marts.rpt_quarantine_summary (models/marts/report):
-- aggregates only, small counts already suppressed. Never empty.
select
    source_table,
    reason,
    quarantined_rows,
    quarantined_label,
    is_total,
    is_suppressed
from marts.rpt_quarantine_summary

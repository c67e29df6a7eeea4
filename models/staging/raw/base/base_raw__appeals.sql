-- One row per raw appeals row, typed and checked; see check_raw_rows.
{{ check_raw_rows('appeals', extra_checks=[
    {
        'reason': 'resolved_before_appealed',
        'condition': utc_timestamp('source_rows.resolved_at')
            ~ ' < ' ~ utc_timestamp('source_rows.appealed_at'),
        'detail': "'resolved_at ' || source_rows.resolved_at"
            ~ " || ' before appealed_at ' || source_rows.appealed_at",
    },
    {
        'reason': 'unknown_enforcement',
        'condition': 'nullif(trim(source_rows.enforcement_id), \'\') not in ('
            ~ 'select enforcement_id from ' ~ ref('base_raw__enforcements')
            ~ " where row_status = 'staged')",
        'detail': "'enforcement_id ' || source_rows.enforcement_id",
    },
]) }}

-- One row per raw appeals row, typed and checked; see check_raw_rows.
{{ check_raw_rows('appeals', extra_checks=[
    {
        'reason': 'resolved_before_appealed',
        'column': 'resolved_at',
        'condition': utc_timestamp('source_rows.resolved_at')
            ~ ' < ' ~ utc_timestamp('source_rows.appealed_at'),
        'detail': "'resolved_at ' || source_rows.resolved_at"
            ~ " || ' before appealed_at ' || source_rows.appealed_at",
    },
    unknown_enforcement_check(),
], recheck=unknown_enforcement_recheck()) }}

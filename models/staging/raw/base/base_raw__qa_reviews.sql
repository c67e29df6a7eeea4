-- One row per raw qa_reviews row, typed and checked; see check_raw_rows.
{{ check_raw_rows('qa_reviews', extra_checks=[
    {
        'reason': 'unknown_enforcement',
        'condition': 'nullif(trim(source_rows.enforcement_id), \'\') not in ('
            ~ 'select enforcement_id from ' ~ ref('base_raw__enforcements')
            ~ " where row_status = 'staged')",
        'detail': "'enforcement_id ' || source_rows.enforcement_id",
    },
]) }}

-- One row per raw qa_reviews row, typed and checked; see check_raw_rows.
{{ check_raw_rows(
    'qa_reviews',
    extra_checks=[unknown_enforcement_check()],
    recheck=unknown_enforcement_recheck(),
) }}

-- One row per raw enforcements row, typed and checked; see check_raw_rows.
{{ check_raw_rows('enforcements', extra_checks=[
    {
        'reason': 'missing_value',
        'column': none,
        'condition': "try_cast(lower(trim(source_rows.is_violation)) as boolean)"
            ~ " and (nullif(trim(source_rows.policy_category), '') is null"
            ~ " or nullif(trim(source_rows.severity), '') is null)",
        'detail': "'violation without policy_category or severity'",
    },
]) }}

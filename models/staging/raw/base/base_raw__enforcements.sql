-- One row per raw `enforcements` row with its fate (staged, superseded or
-- quarantined), built by check_raw_rows (macros/raw/check_raw_rows.sql):
-- every contract column typed (raw_typing.sql: timestamps in UTC, codes
-- lower-cased and mapped by the platform config); the contract's row rules
-- checked in order, the first broken one quarantining the row
-- (raw_row_rules.sql, from the column metadata of _raw__sources.yml);
-- then the re-delivery rule on key (enforcement_id): the latest ingested_at is
-- staged, older versions superseded, a repeat with the same ingested_at
-- quarantined as duplicate_key.
-- Incremental: a run reads only the files not loaded yet.
-- Its own rule: a violation without policy_category or severity is
-- quarantined as missing_value (checked with the contract's missing_value
-- rules).
{{ check_raw_rows('enforcements', extra_checks=[
    {
        'reason': 'missing_value',
        'column': none,
        'condition': 'source_rows.' ~ raw_typed_name('is_violation')
            ~ " and (nullif(trim(source_rows.policy_category), '') is null"
            ~ " or nullif(trim(source_rows.severity), '') is null)",
        'detail': "'violation without policy_category or severity'",
    },
]) }}

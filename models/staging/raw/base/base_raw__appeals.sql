-- One row per raw `appeals` row with its fate (staged, superseded or
-- quarantined), built by check_raw_rows (macros/raw/check_raw_rows.sql):
-- every contract column typed (raw_typing.sql: timestamps in UTC, codes
-- lower-cased and mapped by the platform config); the contract's row rules
-- checked in order, the first broken one quarantining the row
-- (raw_row_rules.sql, from the column metadata of _raw__sources.yml);
-- then the re-delivery rule on key (appeal_id): the latest ingested_at is
-- staged, older versions superseded, a repeat with the same ingested_at
-- quarantined as duplicate_key.
-- Incremental: a run reads only the files not loaded yet.
-- Its own rules, after the contract's: resolved_before_appealed
-- (resolved_at before appealed_at) and unknown_enforcement (the appealed
-- decision must be a staged enforcement: unknown_enforcement_check reads
-- base_raw__enforcements; on an incremental run, appeals quarantined so
-- are ranked again once their decision is staged).
-- depends_on: {{ ref('base_raw__enforcements') }}
{{ check_raw_rows('appeals', extra_checks=[
    {
        'reason': 'resolved_before_appealed',
        'column': 'resolved_at',
        'condition': 'source_rows.' ~ raw_typed_name('resolved_at')
            ~ ' < source_rows.' ~ raw_typed_name('appealed_at'),
        'detail': "'resolved_at ' || source_rows.resolved_at"
            ~ " || ' before appealed_at ' || source_rows.appealed_at",
    },
    unknown_enforcement_check(),
], recheck=unknown_enforcement_recheck()) }}

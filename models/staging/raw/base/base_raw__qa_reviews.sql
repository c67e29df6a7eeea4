-- One row per raw `qa_reviews` row with its fate (staged, superseded or
-- quarantined), built by check_raw_rows (macros/raw/check_raw_rows.sql):
-- every contract column typed (raw_typing.sql: timestamps in UTC, codes
-- lower-cased and mapped by the platform config); the contract's row rules
-- checked in order, the first broken one quarantining the row
-- (raw_row_rules.sql, from the column metadata of _raw__sources.yml);
-- then the key rule (qa_id): the last delivery (last file, then
-- last row) is staged, any repeat quarantined as duplicate_key (the table
-- has no ingested_at).
-- Incremental: a run reads only the files not loaded yet.
-- Its own rule, after the contract's: unknown_enforcement (the reviewed
-- decision must be a staged enforcement: unknown_enforcement_check reads
-- base_raw__enforcements; on an incremental run, reviews quarantined so
-- are ranked again once their decision is staged).
-- depends_on: {{ ref('base_raw__enforcements') }}
{{ check_raw_rows(
    'qa_reviews',
    extra_checks=[unknown_enforcement_check()],
    recheck=unknown_enforcement_recheck(),
) }}

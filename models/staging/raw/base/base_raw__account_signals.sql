-- One row per raw account_signals row, typed and checked; see check_raw_rows.
{{ check_raw_rows('account_signals') }}

-- One row per raw views_daily row, typed and checked; see check_raw_rows.
{{ check_raw_rows('views_daily') }}

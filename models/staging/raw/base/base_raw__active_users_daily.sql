-- One row per raw active_users_daily row, typed and checked; see check_raw_rows.
{{ check_raw_rows('active_users_daily') }}

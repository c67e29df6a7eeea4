-- One row per raw reports row, typed and checked; see check_raw_rows.
{{ check_raw_rows('reports') }}

-- One row per raw prevalence_samples row, typed and checked; see check_raw_rows.
{{ check_raw_rows('prevalence_samples') }}

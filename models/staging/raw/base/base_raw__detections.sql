-- One row per raw detections row, typed and checked; see check_raw_rows.
{{ check_raw_rows('detections') }}

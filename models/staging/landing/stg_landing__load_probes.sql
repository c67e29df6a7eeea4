with

load_probes as (
    select * from {{ source('landing', 'load_probes') }}
),

renamed as (
    select
        table_name as source_table,
        file_path as source_file,
        file_format,
        unreadable_error,
        size_bytes,
        rows_read,
        malformed_lines,
        {{ list_length('column_names') }} as column_count,
        unreadable_error is null as is_readable,
        probed_at
    from load_probes
)

select * from renamed

with

load_errors as (
    select * from {{ source('landing', 'load_errors') }}
),

renamed as (
    select
        table_name as source_table,
        file_path as source_file,
        error_kind,
        error_type,
        error_message,
        raw_text,
        line_number,
        size_bytes
    from load_errors
)

select * from renamed

with

checked_detections as (
    select * from {{ ref('base_raw__detections') }}
),

staged_detections as (
    select
        detection_id,
        detected_at,
        object_type,
        object_id,
        account_id,
        surface,
        detector,
        category,
        score,
        ingested_at,
        object_type_raw,
        surface_raw,
        category_raw
        {{ raw_extra_columns('detections') }}
    from checked_detections
    where row_status = 'staged'
)

select * from staged_detections

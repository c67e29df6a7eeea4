-- One row per detector and object it flagged: the detector's first flag of
-- the object and the first decision on the object at or after that flag.
with

detections as (
    select * from {{ ref('stg_raw__detections') }}
),

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

first_flags as (
    select
        detector,
        object_type,
        object_id,
        min(detected_at) as first_flagged_at,
        {{ min_by('category', 'detected_at') }} as flagged_category
    from detections
    group by detector, object_type, object_id
),

decisions_after_flag as (
    select
        first_flags.detector,
        first_flags.object_type,
        first_flags.object_id,
        enforcements.enforcement_id,
        enforcements.is_violation,
        enforcements.decided_at,
        row_number() over (
            partition by first_flags.detector, first_flags.object_type, first_flags.object_id
            order by enforcements.decided_at, enforcements.enforcement_id
        ) as decision_sequence
    from first_flags
    inner join enforcements
        on
            first_flags.object_type = enforcements.object_type
            and first_flags.object_id = enforcements.object_id
            and first_flags.first_flagged_at <= enforcements.decided_at
),

final as (
    select
        first_flags.detector,
        first_flags.object_type,
        first_flags.object_id,
        first_flags.flagged_category,
        decisions_after_flag.enforcement_id as first_decision_id,
        decisions_after_flag.enforcement_id is not null as has_decision,
        decisions_after_flag.is_violation as is_first_decision_violation,
        first_flags.first_flagged_at,
        decisions_after_flag.decided_at as first_decision_at
    from first_flags
    left join decisions_after_flag
        on
            first_flags.detector = decisions_after_flag.detector
            and first_flags.object_type = decisions_after_flag.object_type
            and first_flags.object_id = decisions_after_flag.object_id
            and decisions_after_flag.decision_sequence = 1
)

select * from final

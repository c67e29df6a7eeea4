-- One row per object (object_type, object_id) that was reported, detected
-- or decided: its timeline of kpi-definitions.md.
with

reports as (
    select * from {{ ref('stg_raw__reports') }}
),

detections as (
    select * from {{ ref('stg_raw__detections') }}
),

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

object_reports as (
    select
        object_type,
        object_id,
        min(reported_at) as first_report_at,
        {{ min_by('reported_category', 'reported_at') }} as first_report_category,
        {{ min_by('account_id', 'reported_at') }} as report_account_id,
        {{ min_by('surface', 'reported_at') }} as report_surface,
        count(*) as report_count
    from reports
    group by object_type, object_id
),

object_detections as (
    select
        object_type,
        object_id,
        min(detected_at) as first_detection_at,
        {{ min_by('category', 'detected_at') }} as first_detection_category,
        {{ min_by('account_id', 'detected_at') }} as detection_account_id,
        {{ min_by('surface', 'detected_at') }} as detection_surface,
        count(*) as detection_count
    from detections
    group by object_type, object_id
),

object_decisions as (
    select
        object_type,
        object_id,
        min(decided_at) as first_decision_at,
        min(case when is_violation then decided_at end) as first_violation_at,
        {{ min_by('account_id', 'decided_at') }} as decision_account_id,
        {{ min_by('surface', 'decided_at') }} as decision_surface,
        count(*) as decision_count
    from enforcements
    group by object_type, object_id
),

objects as (
    select
        object_type,
        object_id
    from object_reports
    union
    select
        object_type,
        object_id
    from object_detections
    union
    select
        object_type,
        object_id
    from object_decisions
),

final as (
    select
        objects.object_type,
        objects.object_id,
        coalesce(
            object_decisions.decision_account_id,
            object_reports.report_account_id,
            object_detections.detection_account_id
        ) as account_id,
        coalesce(
            object_decisions.decision_surface,
            object_reports.report_surface,
            object_detections.detection_surface
        ) as surface,
        case
            when object_detections.first_detection_at is null
                then object_reports.first_report_category
            when object_reports.first_report_at is null
                then object_detections.first_detection_category
            when object_reports.first_report_at <= object_detections.first_detection_at
                then object_reports.first_report_category
            else object_detections.first_detection_category
        end as first_signal_category,
        coalesce(object_reports.report_count, 0) as report_count,
        coalesce(object_detections.detection_count, 0) as detection_count,
        coalesce(object_decisions.decision_count, 0) as decision_count,
        object_reports.first_report_at,
        object_detections.first_detection_at,
        least(
            object_reports.first_report_at, object_detections.first_detection_at
        ) as first_signal_at,
        object_decisions.first_decision_at,
        object_decisions.first_violation_at
    from objects
    left join object_reports
        on
            objects.object_type = object_reports.object_type
            and objects.object_id = object_reports.object_id
    left join object_detections
        on
            objects.object_type = object_detections.object_type
            and objects.object_id = object_detections.object_id
    left join object_decisions
        on
            objects.object_type = object_decisions.object_type
            and objects.object_id = object_decisions.object_id
)

select * from final

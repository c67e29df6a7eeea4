-- One row per report, with the first decision on its object at or after
-- the report (if any): its time, its outcome and the wait in hours.
with

reports as (
    select * from {{ ref('stg_raw__reports') }}
),

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

decisions_after_report as (
    select
        reports.report_id,
        enforcements.enforcement_id,
        enforcements.is_violation,
        enforcements.decided_at,
        row_number() over (
            partition by reports.report_id
            order by enforcements.decided_at, enforcements.enforcement_id
        ) as decision_sequence
    from reports
    inner join enforcements
        on
            reports.object_type = enforcements.object_type
            and reports.object_id = enforcements.object_id
            and reports.reported_at <= enforcements.decided_at
),

final as (
    select
        reports.report_id,
        reports.object_type,
        reports.object_id,
        reports.account_id,
        reports.reporter_type,
        reports.surface,
        reports.reported_category,
        decisions_after_report.enforcement_id as first_decision_id,
        decisions_after_report.enforcement_id is not null as has_decision,
        decisions_after_report.is_violation as is_first_decision_violation,
        {{ hours_between('reports.reported_at', 'decisions_after_report.decided_at') }}
            as hours_to_decision,
        reports.reported_at,
        decisions_after_report.decided_at as first_decision_at
    from reports
    left join decisions_after_report
        on
            reports.report_id = decisions_after_report.report_id
            and decisions_after_report.decision_sequence = 1
)

select * from final

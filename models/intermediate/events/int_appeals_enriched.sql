-- One row per appeal (its current state) with the decision it appeals and
-- whether it was filed within the capture window of appeal_rate.
with

appeals as (
    select * from {{ ref('stg_raw__appeals') }}
),

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

final as (
    select
        appeals.appeal_id,
        appeals.enforcement_id,
        appeals.status,
        appeals.resolution_method,
        enforcements.policy_category,
        enforcements.decision_method,
        enforcements.is_violation as is_appeal_of_violation,
        appeals.status in ('upheld', 'reversed', 'partially_reversed') as is_decided,
        appeals.appealed_at <= {{ dbt.dateadd('day', var('appeal_capture_days'), 'enforcements.decided_at') }}
            as is_within_capture_window,
        case
            when appeals.status in ('upheld', 'reversed', 'partially_reversed')
                then {{ hours_between('appeals.appealed_at', 'appeals.resolved_at') }}
        end as hours_to_decide,
        enforcements.decided_at,
        appeals.appealed_at,
        appeals.resolved_at
    from appeals
    inner join enforcements
        on appeals.enforcement_id = enforcements.enforcement_id
)

select * from final

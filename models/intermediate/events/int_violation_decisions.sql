-- One row per violation decision, with its object's timeline and its appeal
-- outcome. A decision is a confirmed violation unless an appeal reversed it
-- (partially_reversed stays confirmed).
with

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

appeals as (
    select * from {{ ref('stg_raw__appeals') }}
),

timeline as (
    select * from {{ ref('int_object_timeline') }}
),

appeal_outcomes as (
    select
        enforcement_id,
        count(*) as appeal_count,
        coalesce(sum(case when status = 'reversed' then 1 else 0 end), 0) > 0 as is_reversed,
        coalesce(sum(case when status = 'partially_reversed' then 1 else 0 end), 0)
        > 0 as is_partially_reversed
    from appeals
    group by enforcement_id
),

violations as (
    select
        enforcements.enforcement_id,
        enforcements.object_type,
        enforcements.object_id,
        enforcements.account_id,
        enforcements.surface,
        enforcements.policy_category,
        enforcements.severity,
        enforcements.action,
        enforcements.decision_method,
        enforcements.queue,
        enforcements.decided_at,
        timeline.first_report_at,
        timeline.first_signal_at,
        timeline.first_violation_at,
        row_number() over (
            partition by enforcements.object_type, enforcements.object_id
            order by enforcements.decided_at, enforcements.enforcement_id
        ) as violation_sequence
    from enforcements
    inner join timeline
        on
            enforcements.object_type = timeline.object_type
            and enforcements.object_id = timeline.object_id
    where enforcements.is_violation
),

final as (
    select
        violations.enforcement_id,
        violations.object_type,
        violations.object_id,
        violations.account_id,
        violations.surface,
        violations.policy_category,
        violations.severity,
        violations.action,
        violations.decision_method,
        violations.queue,
        coalesce(appeal_outcomes.appeal_count, 0) as appeal_count,
        violations.violation_sequence = 1 as is_first_violation,
        coalesce(violations.first_signal_at <= violations.decided_at, false)
            as has_prior_signal,
        coalesce(violations.first_report_at <= violations.decided_at, false)
            as has_prior_report,
        coalesce(appeal_outcomes.is_reversed, false) as is_reversed,
        coalesce(appeal_outcomes.is_partially_reversed, false) as is_partially_reversed,
        not coalesce(appeal_outcomes.is_reversed, false) as is_confirmed,
        violations.decided_at,
        violations.first_signal_at,
        -- when the offending behaviour became known: the first signal when it
        -- preceded the decision, else the decision itself
        least(violations.first_signal_at, violations.decided_at) as offence_at
    from violations
    left join appeal_outcomes
        on violations.enforcement_id = appeal_outcomes.enforcement_id
)

select * from final

-- One row per violation decision: what the semantic layer aggregates about
-- it, computed as the KPI family marts compute it (fct_appeal_rate_weekly,
-- fct_time_to_action_weekly, fct_proactive_weekly,
-- fct_actioned_objects_weekly): appealed within the capture window, hours
-- to action of a first violation decision with a prior signal, within the
-- severity's P90 target.
with

violations as (
    select * from {{ ref('int_violation_decisions') }}
),

appeals as (
    select * from {{ ref('int_appeals_enriched') }}
),

severity_targets as (
    select * from {{ ref('stg_reference__severity_targets') }}
),

captured_appeals as (
    select distinct enforcement_id
    from appeals
    where is_within_capture_window
),

timed as (
    select
        violations.*,
        case
            when violations.is_first_violation and violations.has_prior_signal
                then {{ hours_between('violations.first_signal_at', 'violations.decided_at') }}
        end as hours_to_action,
        severity_targets.p90_target_hours,
        captured_appeals.enforcement_id is not null as is_appealed
    from violations
    left join severity_targets
        on violations.severity = severity_targets.severity
    left join captured_appeals
        on violations.enforcement_id = captured_appeals.enforcement_id
),

final as (
    select
        enforcement_id,
        object_type,
        object_id,
        object_type || ':' || object_id as object_key,
        account_id,
        surface,
        policy_category,
        severity,
        action,
        decision_method,
        queue,
        hours_to_action,
        p90_target_hours,
        is_first_violation,
        has_prior_signal,
        has_prior_report,
        is_appealed,
        coalesce(hours_to_action <= p90_target_hours, false) as is_within_target,
        decided_at
    from timed
)

select * from final

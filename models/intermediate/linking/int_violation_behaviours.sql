-- One row per confirmed violation decision, classified for the new-
-- behaviour rule (kpi-definitions.md, account linking): is it an account
-- action (suspend, ban, or the account itself as object), is it an
-- escalation (an account action within escalation_window_hours after a
-- confirmed violation of the same account that was not an account
-- action), and when the behaviour happened (the earlier of the object's
-- first signal and the decision).
{%- set window_seconds = (var('escalation_window_hours') | float * 3600) | int %}
with

violations as (
    select * from {{ ref('int_violation_decisions') }}
    where is_confirmed
),

entities as (
    select * from {{ ref('int_account_entities') }}
),

classified as (
    select
        enforcement_id,
        account_id,
        object_type,
        object_id,
        policy_category,
        action,
        action in ('suspend', 'ban') or object_type = 'account' as is_account_action,
        decided_at,
        offence_at as behaviour_at
    from violations
),

escalations as (
    select distinct account_actions.enforcement_id
    from classified as account_actions
    inner join classified as prior_violations
        on
            account_actions.account_id = prior_violations.account_id
            and not prior_violations.is_account_action
            and account_actions.decided_at >= prior_violations.decided_at
            and account_actions.decided_at
            <= {{ dbt.dateadd('second', window_seconds, 'prior_violations.decided_at') }}
    where account_actions.is_account_action
),

final as (
    select
        classified.enforcement_id,
        classified.account_id,
        entities.entity_id,
        classified.object_type,
        classified.object_id,
        classified.policy_category,
        classified.action,
        classified.is_account_action,
        escalations.enforcement_id is not null as is_escalation,
        escalations.enforcement_id is null as is_new_behaviour,
        classified.decided_at,
        classified.behaviour_at
    from classified
    left join escalations
        on classified.enforcement_id = escalations.enforcement_id
    left join entities
        on classified.account_id = entities.account_id
)

select * from final

-- One row per account and week in which the account had a confirmed
-- account action: t0 = its first such decision of the week, and whether
-- it evaded within 30 / 90 days: another account directly linked to it
-- (linked_at <= t0 + N days) has new behaviour after t0 and within N days.
-- Direct links only (kpi-definitions.md, ban_evasion_rate_*).
with

behaviours as (
    select * from {{ ref('int_violation_behaviours') }}
),

links as (
    select * from {{ ref('int_account_links') }}
),

ranked_in_week as (
    select
        account_id,
        {{ week_of('decided_at') }} as week_start,
        enforcement_id,
        decided_at,
        row_number() over (
            partition by account_id, {{ week_of('decided_at') }}
            order by decided_at, enforcement_id
        ) as sequence_in_week
    from behaviours
    where is_account_action
),

actioned_weeks as (
    select
        account_id,
        week_start,
        enforcement_id as t0_enforcement_id,
        decided_at as t0_at
    from ranked_in_week
    where sequence_in_week = 1
),

pair_links as (
    select
        account_id,
        linked_account_id,
        min(linked_at) as linked_at
    from links
    group by account_id, linked_account_id
),

linked_behaviours as (
    select
        actioned_weeks.account_id,
        actioned_weeks.week_start,
        pair_links.linked_at,
        behaviours.behaviour_at,
        actioned_weeks.t0_at
    from actioned_weeks
    inner join pair_links
        on actioned_weeks.account_id = pair_links.account_id
    inner join behaviours
        on
            pair_links.linked_account_id = behaviours.account_id
            and behaviours.is_new_behaviour
            and actioned_weeks.t0_at < behaviours.behaviour_at
),

evasions as (
    select
        account_id,
        week_start,
        {{ count_where(
            "linked_at <= " ~ dbt.dateadd('day', 30, 't0_at')
            ~ " and behaviour_at <= " ~ dbt.dateadd('day', 30, 't0_at')) }} > 0
            as has_evaded_30d,
        {{ count_where(
            "linked_at <= " ~ dbt.dateadd('day', 90, 't0_at')
            ~ " and behaviour_at <= " ~ dbt.dateadd('day', 90, 't0_at')) }} > 0
            as has_evaded_90d
    from linked_behaviours
    group by account_id, week_start
),

final as (
    select
        actioned_weeks.account_id,
        actioned_weeks.t0_enforcement_id,
        coalesce(evasions.has_evaded_30d, false) as has_evaded_30d,
        coalesce(evasions.has_evaded_90d, false) as has_evaded_90d,
        actioned_weeks.week_start,
        actioned_weeks.t0_at
    from actioned_weeks
    left join evasions
        on
            actioned_weeks.account_id = evasions.account_id
            and actioned_weeks.week_start = evasions.week_start
)

select * from final

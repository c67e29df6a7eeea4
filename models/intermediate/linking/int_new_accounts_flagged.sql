-- One row per new account and flag: every account of account_signals
-- (new in the week of its earliest observed_at) with flag `any`, plus one
-- row per signal type that flags it: a direct link of that type, with
-- linked_at within 7 days of its earliest observed_at, to an account that
-- had a confirmed account action before that link. has_new_behaviour_30d:
-- the account's own new behaviour within 30 days of its earliest
-- observed_at (kpi-definitions.md, linked_account_precision).
with

account_signals as (
    select * from {{ ref('stg_raw__account_signals') }}
),

links as (
    select * from {{ ref('int_account_links') }}
),

behaviours as (
    select * from {{ ref('int_violation_behaviours') }}
),

new_accounts as (
    select
        account_id,
        min(observed_at) as first_observed_at
    from account_signals
    group by account_id
),

account_actions as (
    select
        account_id,
        min(decided_at) as first_action_at
    from behaviours
    where is_account_action
    group by account_id
),

behaving_accounts as (
    select distinct new_accounts.account_id
    from new_accounts
    inner join behaviours
        on
            new_accounts.account_id = behaviours.account_id
            and behaviours.is_new_behaviour
            and new_accounts.first_observed_at <= behaviours.behaviour_at
            and {{ dbt.dateadd('day', 30, 'new_accounts.first_observed_at') }}
            >= behaviours.behaviour_at
),

type_flags as (
    select distinct
        new_accounts.account_id,
        links.signal_type as flagged_by
    from new_accounts
    inner join links
        on
            new_accounts.account_id = links.account_id
            and {{ dbt.dateadd('day', 7, 'new_accounts.first_observed_at') }}
            >= links.linked_at
    inner join account_actions
        on
            links.linked_account_id = account_actions.account_id
            and links.linked_at > account_actions.first_action_at
),

flags as (
    select
        account_id,
        'any' as flagged_by
    from new_accounts
    union all
    select
        account_id,
        flagged_by
    from type_flags
),

final as (
    select
        flags.account_id,
        flags.flagged_by,
        behaving_accounts.account_id is not null as has_new_behaviour_30d,
        {{ week_of('new_accounts.first_observed_at') }} as week_start,
        new_accounts.first_observed_at
    from flags
    inner join new_accounts
        on flags.account_id = new_accounts.account_id
    left join behaving_accounts
        on flags.account_id = behaving_accounts.account_id
)

select * from final

{{ config(post_hook="{{ drop_component_scratch() }}") }}

-- One row per account seen in account_signals or in a decision: its
-- entity, the connected component of the direct links (transitive, over
-- every link in the build), entity_id = the smallest account_id in it;
-- an account with no link is an entity of its own. Two accounts are
-- directly linked when they share a value that is not crowded, so the
-- components are computed over account-value memberships, never over
-- the pairs (a value of n accounts is n rows, not n(n-1)).
with

account_signals as (
    select * from {{ ref('stg_raw__account_signals') }}
),

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

account_sightings as (
    select
        account_id,
        observed_at as seen_at
    from account_signals
    union all
    select
        account_id,
        decided_at as seen_at
    from enforcements
    where account_id is not null
),

accounts as (
    select
        account_id,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from account_sightings
    group by account_id
),

-- the components of the accounts that share a linking value (not
-- crowded, on two accounts or more), over account-value memberships: an
-- account with no such value is its own entity (below), and most accounts
-- have none. The macro adds its CTEs (rounds unrolled in a unit test)
-- ending with `components`; its SQL is beyond the linter's duckdb grammar
-- only in length, and dbt's unit tests check it.
-- noqa: disable=all
{{ connected_components('components',
    'select account_id, signal_type, signal_value from ' ~ ref('int_account_signal_values')
    ~ ' where not is_crowded') }},
-- noqa: enable=all

-- every member of a component shares a value with another account, so a
-- component has two accounts or more; an account outside every component
-- is an entity of one (sizes from the components alone: no aggregate over
-- every account)
component_sizes as (
    select
        entity_id,
        count(*) as entity_accounts
    from components
    group by entity_id
),

final as (
    select
        accounts.account_id,
        coalesce(components.entity_id, accounts.account_id) as entity_id,
        coalesce(component_sizes.entity_accounts, 1) as entity_accounts,
        accounts.first_seen_at,
        accounts.last_seen_at
    from accounts
    left join components
        on accounts.account_id = components.account_id
    left join component_sizes
        on components.entity_id = component_sizes.entity_id
)

select * from final

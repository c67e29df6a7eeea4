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

account_entities as (
    select
        accounts.account_id,
        coalesce(components.entity_id, accounts.account_id) as entity_id,
        accounts.first_seen_at,
        accounts.last_seen_at
    from accounts
    left join components
        on accounts.account_id = components.account_id
),

entity_sizes as (
    select
        entity_id,
        count(*) as entity_accounts
    from account_entities
    group by entity_id
),

final as (
    select
        account_entities.account_id,
        account_entities.entity_id,
        entity_sizes.entity_accounts,
        account_entities.first_seen_at,
        account_entities.last_seen_at
    from account_entities
    inner join entity_sizes
        on account_entities.entity_id = entity_sizes.entity_id
)

select * from final

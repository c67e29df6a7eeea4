-- One row per account seen in account_signals or in a decision: its entity
-- (interface.md). No signal value is published.
with

entities as (
    select * from {{ ref('int_account_entities') }}
),

final as (
    select
        cast(account_id as string) as account_id,
        cast(entity_id as string) as entity_id,
        cast(entity_accounts as bigint) as entity_accounts,
        first_seen_at,
        last_seen_at
    from entities
)

select * from final

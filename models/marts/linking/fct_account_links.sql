-- One row per pair of directly linked accounts (account_id < linked_account_id)
-- and signal type: when the link exists from, over how many shared values,
-- and the entity both belong to. Signal values are not published.
with

links as (
    select * from {{ ref('int_account_links') }}
),

entities as (
    select * from {{ ref('int_account_entities') }}
),

final as (
    select
        links.account_id,
        links.linked_account_id,
        entities.entity_id,
        links.signal_type,
        links.shared_values,
        links.linked_at
    from links
    inner join entities
        on links.account_id = entities.account_id
    where links.account_id < links.linked_account_id
)

select * from final

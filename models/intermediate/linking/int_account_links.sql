-- One row per ordered pair of different accounts and signal type through
-- which they are directly linked (both directions are listed): a shared
-- value of that type that is not crowded. linked_at = the later of the
-- two accounts' first observations of the value; over several shared
-- values, the earliest such time. A value on n accounts makes n(n-1) rows
-- here: check_direct_link_budget fails the build, saying what to do, when
-- they would pass var max_direct_links.
{% do check_direct_link_budget(ref('int_account_signal_values')) %}
with

signal_values as (
    select * from {{ ref('int_account_signal_values') }}
),

linking_values as (
    select
        account_id,
        signal_type,
        signal_value,
        first_observed_at
    from signal_values
    where not is_crowded
),

value_links as (
    select
        linking_values.account_id,
        other_accounts.account_id as linked_account_id,
        linking_values.signal_type,
        greatest(linking_values.first_observed_at, other_accounts.first_observed_at)
            as linked_at
    from linking_values
    inner join linking_values as other_accounts
        on
            linking_values.signal_type = other_accounts.signal_type
            and linking_values.signal_value = other_accounts.signal_value
            and linking_values.account_id != other_accounts.account_id
),

final as (
    select
        account_id,
        linked_account_id,
        signal_type,
        count(*) as shared_values,
        min(linked_at) as linked_at
    from value_links
    group by account_id, linked_account_id, signal_type
)

select * from final

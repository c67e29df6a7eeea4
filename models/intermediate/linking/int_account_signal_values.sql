-- One row per account and shared signal value (signal_type, signal_value
-- on two or more accounts): when the account was first observed with it,
-- how many distinct accounts share it in the whole build, and whether
-- that makes it crowded (more accounts than max_accounts_per_signal of its
-- type: it links nobody). A value on one account links nobody either, and
-- most values are (at 10M reports a year, 32.5M of 36.5M account-value
-- rows): they are left out.
with

account_signals as (
    select * from {{ ref('stg_raw__account_signals') }}
),

crowding_limits as (
    {{ signal_crowding_limits() }}
),

first_observations as (
    select
        account_id,
        signal_type,
        signal_value,
        min(observed_at) as first_observed_at
    from account_signals
    group by account_id, signal_type, signal_value
),

value_accounts as (
    select
        signal_type,
        signal_value,
        count(*) as accounts_with_value
    from first_observations
    group by signal_type, signal_value
    having count(*) > 1
),

final as (
    select
        first_observations.account_id,
        first_observations.signal_type,
        first_observations.signal_value,
        value_accounts.accounts_with_value,
        crowding_limits.max_accounts,
        coalesce(
            value_accounts.accounts_with_value > crowding_limits.max_accounts, false
        ) as is_crowded,
        first_observations.first_observed_at
    from first_observations
    inner join value_accounts
        on
            first_observations.signal_type = value_accounts.signal_type
            and first_observations.signal_value = value_accounts.signal_value
    left join crowding_limits
        on first_observations.signal_type = crowding_limits.signal_type
)

select * from final

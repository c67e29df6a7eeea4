with

checked_account_signals as (
    select * from {{ ref('base_raw__account_signals') }}
),

staged_account_signals as (
    select
        account_id,
        signal_type,
        signal_value,
        observed_at,
        signal_type_raw
        {{ raw_extra_columns('account_signals') }}
    from checked_account_signals
    where row_status = 'staged'
)

select * from staged_account_signals

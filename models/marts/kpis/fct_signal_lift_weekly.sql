-- One row per week (of the accounts' earliest observed_at) and dimension
-- value (overall = flagged by any signal type, or one signal type): new
-- accounts, those flagged by a link to an actioned account, the share of
-- each with new behaviour within 30 days, and the lift of the flagged
-- share over the base share (kpi-definitions.md, linked_account_precision
-- and signal_lift).
with

flagged_accounts as (
    select * from {{ ref('int_new_accounts_flagged') }}
),

base_shares as (
    select
        week_start,
        count(*) as new_accounts,
        {{ count_where('has_new_behaviour_30d') }} as behaving_new_accounts
    from flagged_accounts
    where flagged_by = 'any'
    group by week_start
),

any_type_flags as (
    select
        week_start,
        count(distinct account_id) as flagged_accounts,
        count(distinct case when has_new_behaviour_30d then account_id end)
            as behaving_flagged_accounts
    from flagged_accounts
    where flagged_by != 'any'
    group by week_start
),

type_flags as (
    select
        week_start,
        flagged_by as signal_type,
        count(*) as flagged_accounts,
        {{ count_where('has_new_behaviour_30d') }} as behaving_flagged_accounts
    from flagged_accounts
    where flagged_by != 'any'
    group by week_start, flagged_by
),

dimension_rows as (
    select
        base_shares.week_start,
        'overall' as dimension,
        'all' as dimension_value,
        coalesce(any_type_flags.flagged_accounts, 0) as flagged_accounts,
        coalesce(any_type_flags.behaving_flagged_accounts, 0) as behaving_flagged_accounts
    from base_shares
    left join any_type_flags
        on base_shares.week_start = any_type_flags.week_start
    union all
    select
        week_start,
        'signal_type' as dimension,
        signal_type as dimension_value,
        flagged_accounts,
        behaving_flagged_accounts
    from type_flags
),

shares as (
    select
        dimension_rows.dimension,
        dimension_rows.dimension_value,
        dimension_rows.flagged_accounts,
        dimension_rows.behaving_flagged_accounts,
        base_shares.new_accounts,
        base_shares.behaving_new_accounts,
        {{ safe_rate('dimension_rows.behaving_flagged_accounts', 'dimension_rows.flagged_accounts') }}
            as linked_account_precision,
        {{ safe_rate('base_shares.behaving_new_accounts', 'base_shares.new_accounts') }}
            as base_share,
        dimension_rows.week_start
    from dimension_rows
    inner join base_shares
        on dimension_rows.week_start = base_shares.week_start
),

final as (
    select
        dimension,
        dimension_value,
        flagged_accounts,
        behaving_flagged_accounts,
        new_accounts,
        behaving_new_accounts,
        linked_account_precision,
        base_share,
        linked_account_precision / nullif(base_share, 0) as signal_lift,
        week_start
    from shares
)

select * from final

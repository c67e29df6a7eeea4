-- One row per week (of t0): accounts with a confirmed account action
-- decided in the week and those that evaded within 30 and 90 days (a
-- directly linked account with new behaviour; kpi-definitions.md,
-- ban_evasion_rate_*).
with

ban_evasions as (
    select * from {{ ref('int_ban_evasions') }}
),

aggregated as (
    {{ aggregate_by_dimension('ban_evasions', 'week_start', [], [
        'count(*) as actioned_accounts',
        count_where('has_evaded_30d') ~ ' as evaded_30d',
        count_where('has_evaded_90d') ~ ' as evaded_90d',
    ]) }}
),

final as (
    select
        dimension,
        dimension_value,
        actioned_accounts,
        evaded_30d,
        evaded_90d,
        {{ safe_rate('evaded_30d', 'actioned_accounts') }} as ban_evasion_rate_30d,
        {{ safe_rate('evaded_90d', 'actioned_accounts') }} as ban_evasion_rate_90d,
        week_start
    from aggregated
)

select * from final

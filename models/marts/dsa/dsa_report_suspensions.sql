-- DSA transparency report, suspensions (Art. 23; harmonised template): one
-- row per suspension basis for the reporting period. The logs fill the
-- first basis only approximately: they hold every suspend and ban decision,
-- not whether the content was manifestly illegal or a warning preceded it.
-- Suspensions for manifestly unfounded notices or complaints are not in the
-- logs: null, with a note.
with

period as (
    select * from {{ ref('dsa_report_period') }}
),

violations as (
    select * from {{ ref('int_violation_decisions') }}
),

account_actions as (
    select
        violations.action,
        violations.account_id,
        violations.is_reversed
    from violations
    cross join period
    where
        violations.action in ('suspend', 'ban')
        and violations.decided_at >= period.period_start_at
        and violations.decided_at < period.period_end_at
),

filled as (
    select
        'violating_content' as suspension_basis,
        {{ count_where("action = 'suspend'") }} as suspensions,
        {{ count_where("action = 'ban'") }} as terminations,
        count(distinct account_id) as accounts_affected,
        {{ count_where('is_reversed') }} as reversed_on_appeal,
        'approximate: every suspend and ban decision of the period; the logs do not record '
        || 'whether content was manifestly illegal or whether a prior warning was given'
            as row_note
    from account_actions
),

not_available as (
    select
        bases.suspension_basis,
        cast(null as bigint) as suspensions,
        cast(null as bigint) as terminations,
        cast(null as bigint) as accounts_affected,
        cast(null as bigint) as reversed_on_appeal,
        'not available from these logs: the raw contract has no suspension of '
        || bases.basis_name as row_note
    from (
        values
        ('manifestly_unfounded_notices', 'notifiers for manifestly unfounded notices'),
        ('manifestly_unfounded_complaints', 'complainants for manifestly unfounded complaints')
    ) as bases (suspension_basis, basis_name)
),

report_rows as (
    select * from filled
    union all
    select * from not_available
),

final as (
    select
        report_rows.suspension_basis,
        report_rows.suspensions,
        report_rows.terminations,
        report_rows.accounts_affected,
        report_rows.reversed_on_appeal,
        report_rows.row_note,
        period.period_start,
        period.period_end
    from period
    cross join report_rows
)

select * from final

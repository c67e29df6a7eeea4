-- One row per offender kind (account or entity), offender and week:
-- offenders with a confirmed violation decided in the week, t0 = the first
-- (over all the entity's accounts for an entity), and the first new
-- behaviour after t0 on a different object (not one of the offender's
-- confirmed violations decided at t0): recurrence v2 and entity
-- recurrence (kpi-definitions.md, account linking).
with

behaviours as (
    select * from {{ ref('int_violation_behaviours') }}
),

offender_violations as (
    select
        'account' as offender_kind,
        account_id as offender_id,
        enforcement_id,
        object_type,
        object_id,
        policy_category,
        is_new_behaviour,
        decided_at,
        behaviour_at
    from behaviours
    union all
    select
        'entity' as offender_kind,
        coalesce(entity_id, account_id) as offender_id,
        enforcement_id,
        object_type,
        object_id,
        policy_category,
        is_new_behaviour,
        decided_at,
        behaviour_at
    from behaviours
),

ranked_in_week as (
    select
        offender_kind,
        offender_id,
        {{ week_of('decided_at') }} as week_start,
        enforcement_id,
        policy_category,
        decided_at,
        row_number() over (
            partition by offender_kind, offender_id, {{ week_of('decided_at') }}
            order by decided_at, enforcement_id
        ) as sequence_in_week
    from offender_violations
),

offender_weeks as (
    select
        offender_kind,
        offender_id,
        week_start,
        enforcement_id as t0_enforcement_id,
        policy_category,
        decided_at as t0_at
    from ranked_in_week
    where sequence_in_week = 1
),

t0_objects as (
    select distinct
        offender_weeks.offender_kind,
        offender_weeks.offender_id,
        offender_weeks.week_start,
        offender_violations.object_type,
        offender_violations.object_id
    from offender_weeks
    inner join offender_violations
        on
            offender_weeks.offender_kind = offender_violations.offender_kind
            and offender_weeks.offender_id = offender_violations.offender_id
            and offender_weeks.t0_at = offender_violations.decided_at
),

later_behaviours as (
    select
        offender_weeks.offender_kind,
        offender_weeks.offender_id,
        offender_weeks.week_start,
        offender_violations.object_type,
        offender_violations.object_id,
        offender_violations.behaviour_at
    from offender_weeks
    inner join offender_violations
        on
            offender_weeks.offender_kind = offender_violations.offender_kind
            and offender_weeks.offender_id = offender_violations.offender_id
            and offender_weeks.t0_at < offender_violations.behaviour_at
    where offender_violations.is_new_behaviour
),

next_behaviours as (
    select
        later_behaviours.offender_kind,
        later_behaviours.offender_id,
        later_behaviours.week_start,
        min(later_behaviours.behaviour_at) as next_behaviour_at
    from later_behaviours
    left join t0_objects
        on
            later_behaviours.offender_kind = t0_objects.offender_kind
            and later_behaviours.offender_id = t0_objects.offender_id
            and later_behaviours.week_start = t0_objects.week_start
            and later_behaviours.object_type = t0_objects.object_type
            and later_behaviours.object_id = t0_objects.object_id
    where t0_objects.object_id is null
    group by
        later_behaviours.offender_kind,
        later_behaviours.offender_id,
        later_behaviours.week_start
),

final as (
    select
        offender_weeks.offender_kind,
        offender_weeks.offender_id,
        offender_weeks.t0_enforcement_id,
        offender_weeks.policy_category,
        coalesce(
            next_behaviours.next_behaviour_at
            <= {{ dbt.dateadd('day', 30, 'offender_weeks.t0_at') }}, false
        ) as has_reoffended_30d,
        coalesce(
            next_behaviours.next_behaviour_at
            <= {{ dbt.dateadd('day', 90, 'offender_weeks.t0_at') }}, false
        ) as has_reoffended_90d,
        offender_weeks.week_start,
        offender_weeks.t0_at,
        next_behaviours.next_behaviour_at
    from offender_weeks
    left join next_behaviours
        on
            offender_weeks.offender_kind = next_behaviours.offender_kind
            and offender_weeks.offender_id = next_behaviours.offender_id
            and offender_weeks.week_start = next_behaviours.week_start
)

select * from final

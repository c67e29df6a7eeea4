-- Baseline for bench/run.py: the weekly KPIs of kpi-definitions.md written
-- straight in one plain DuckDB script over the same raw Parquet files that
-- `trustmart build` loads. No dbt, no contract checks or quarantine beyond
-- try_cast filters, no tests, no reconciliation: what a hand-written query
-- over the export costs, so that the build's overhead can be stated as a
-- ratio measured in the same run.
--
-- Set the export folder first:  set variable raw_dir = '/path/to/raw';
-- (bench/run.py does, with the build's memory_limit, threads and TimeZone).
-- Results: tables kpi_weekly (long: week_start, metric_id, dimension,
-- dimension_value, numerator, denominator, value, ci_low, ci_high) and
-- backlog_daily.

set TimeZone = 'UTC';

create or replace macro utc(x) as timezone('UTC', try_cast(trim(x) as timestamptz));
create or replace macro code(x) as nullif(lower(trim(x)), '');
create or replace macro txt(x) as nullif(trim(x), '');
create or replace macro wk(t) as cast(date_trunc('week', t) as date);
create or replace macro hours(a, b) as epoch(b - a) / 3600.0;
create or replace macro raw_files(t) as getvariable('raw_dir') || '/' || t || '/*.parquet';

create or replace table severity_targets as
select * from (values
    ('critical', 4.0), ('high', 8.0), ('medium', 72.0), ('low', 168.0)
) as t (severity, p90_target_hours);

create or replace table policy_categories as
select * from (values
    ('child_safety', 'critical'), ('violent_extremism', 'critical'),
    ('self_harm', 'high'), ('violence', 'high'), ('hate_speech', 'high'),
    ('scams_fraud', 'high'), ('illegal_goods', 'high'), ('harassment', 'medium'),
    ('adult_nudity', 'medium'), ('misinformation', 'medium'), ('privacy', 'medium'),
    ('ip_infringement', 'low'), ('spam', 'low'), ('other', 'low')
) as t (policy_category, default_severity);

-- ---------------------------------------------------------------- typed, deduplicated
-- codes lower-cased and trimmed, latest ingested_at wins per id (qualify),
-- rows whose key or timestamps do not parse are skipped.

create or replace table reports as
select * exclude (ingested_at)
from (
    select
        txt(report_id) as report_id,
        utc(reported_at) as reported_at,
        code(reporter_type) as reporter_type,
        code(object_type) as object_type,
        txt(object_id) as object_id,
        code(surface) as surface,
        code(reported_category) as reported_category,
        utc(ingested_at) as ingested_at
    from read_parquet(raw_files('reports'))
)
where report_id is not null and reported_at is not null and ingested_at is not null
qualify row_number() over (partition by report_id order by ingested_at desc) = 1;

create or replace table detections as
select * exclude (ingested_at)
from (
    select
        txt(detection_id) as detection_id,
        utc(detected_at) as detected_at,
        code(object_type) as object_type,
        txt(object_id) as object_id,
        txt(detector) as detector,
        code(category) as category,
        utc(ingested_at) as ingested_at
    from read_parquet(raw_files('detections'))
)
where detection_id is not null and detected_at is not null and ingested_at is not null
qualify row_number() over (partition by detection_id order by ingested_at desc) = 1;

create or replace table enforcements as
select * exclude (ingested_at)
from (
    select
        txt(enforcement_id) as enforcement_id,
        utc(decided_at) as decided_at,
        code(object_type) as object_type,
        txt(object_id) as object_id,
        txt(account_id) as account_id,
        code(surface) as surface,
        try_cast(is_violation as boolean) as is_violation,
        code(policy_category) as policy_category,
        code(severity) as severity,
        code(action) as action,
        code(decision_method) as decision_method,
        utc(ingested_at) as ingested_at
    from read_parquet(raw_files('enforcements'))
)
where
    enforcement_id is not null and decided_at is not null and ingested_at is not null
    and is_violation is not null
qualify row_number() over (partition by enforcement_id order by ingested_at desc) = 1;

create or replace table appeals as
select * exclude (ingested_at)
from (
    select
        txt(appeal_id) as appeal_id,
        txt(enforcement_id) as enforcement_id,
        utc(appealed_at) as appealed_at,
        code(status) as status,
        utc(resolved_at) as resolved_at,
        utc(ingested_at) as ingested_at
    from read_parquet(raw_files('appeals'))
)
where appeal_id is not null and appealed_at is not null and ingested_at is not null
qualify row_number() over (partition by appeal_id order by ingested_at desc) = 1;

create or replace table prevalence_samples as
select * exclude (sample_id, p), 1.0 / p as w
from (
    select
        txt(sample_id) as sample_id,
        utc(viewed_at) as viewed_at,
        code(surface) as surface,
        try_cast(inclusion_probability as double) as p,
        try_cast(is_violating as boolean) as is_violating,
        code(violation_category) as violation_category
    from read_parquet(raw_files('prevalence_samples'))
)
where sample_id is not null and viewed_at is not null and p > 0 and p <= 1
qualify row_number() over (partition by sample_id) = 1;

create or replace table qa_reviews as
select * exclude (qa_id)
from (
    select
        txt(qa_id) as qa_id,
        txt(enforcement_id) as enforcement_id,
        utc(reviewed_at) as reviewed_at,
        try_cast(agrees as boolean) as agrees
    from read_parquet(raw_files('qa_reviews'))
)
where qa_id is not null and reviewed_at is not null
qualify row_number() over (partition by qa_id) = 1;

create or replace table views_daily as
select *
from (
    select
        try_cast(trim(date) as date) as day,
        code(surface) as surface,
        try_cast(views as bigint) as views
    from read_parquet(raw_files('views_daily'))
)
where day is not null
qualify row_number() over (partition by day, surface) = 1;

create or replace table active_users_daily as
select *
from (
    select try_cast(trim(date) as date) as day, try_cast(active_users as bigint) as active_users
    from read_parquet(raw_files('active_users_daily'))
)
where day is not null
qualify row_number() over (partition by day) = 1;

create or replace table data_end as
select greatest(
    (select max(reported_at) from reports),
    (select max(detected_at) from detections),
    (select max(decided_at) from enforcements),
    (select greatest(max(appealed_at), max(resolved_at)) from appeals),
    (select max(viewed_at) from prevalence_samples),
    (select max(reviewed_at) from qa_reviews)
) as data_end_at;

-- ---------------------------------------------------------------- object timeline

create or replace table object_timeline as
with
r as (
    select
        object_type, object_id,
        min(reported_at) as first_report_at,
        arg_min(reported_category, reported_at) as report_category
    from reports group by all
),
d as (
    select
        object_type, object_id,
        min(detected_at) as first_detection_at,
        arg_min(category, detected_at) as detection_category
    from detections group by all
),
e as (
    select
        object_type, object_id,
        min(decided_at) as first_decision_at,
        min(decided_at) filter (where is_violation) as first_violation_at
    from enforcements group by all
)
select
    object_type,
    object_id,
    first_report_at,
    first_detection_at,
    least(first_report_at, first_detection_at) as first_signal_at,
    case
        when first_detection_at is null or first_report_at <= first_detection_at
            then report_category
        else detection_category
    end as first_signal_category,
    first_decision_at,
    first_violation_at
from r
full join d using (object_type, object_id)
full join e using (object_type, object_id);

-- violation decisions with their object's timeline and appeal outcome
create or replace table violations as
select
    e.enforcement_id,
    e.object_type,
    e.object_id,
    e.account_id,
    e.surface,
    e.policy_category,
    e.severity,
    e.action,
    e.decision_method,
    e.decided_at,
    t.first_report_at,
    t.first_signal_at,
    not coalesce(a.is_reversed, false) as is_confirmed,
    a.first_appealed_at,
    row_number() over (
        partition by e.object_type, e.object_id order by e.decided_at, e.enforcement_id
    ) = 1 as is_first_violation
from enforcements as e
inner join object_timeline as t using (object_type, object_id)
left join (
    select enforcement_id, bool_or(status = 'reversed') as is_reversed,
        min(appealed_at) as first_appealed_at
    from appeals group by enforcement_id
) as a using (enforcement_id)
where e.is_violation;

-- ---------------------------------------------------------------- weekly KPI families

-- time to action, by severity
create or replace table tta_weekly as
select
    wk(v.decided_at) as week_start,
    if(grouping(v.severity) = 1, 'overall', 'severity') as dimension,
    if(grouping(v.severity) = 1, 'all', coalesce(v.severity, 'unknown')) as dimension_value,
    count(h) as timed_actions,
    count(*) filter (where h <= s.p90_target_hours) as within_target_actions,
    quantile_cont(h, 0.5) as p50,
    quantile_cont(h, 0.9) as p90
from (
    select *, if(first_signal_at <= decided_at, hours(first_signal_at, decided_at), null) as h
    from violations where is_first_violation
) as v
left join severity_targets as s using (severity)
group by grouping sets ((wk(v.decided_at)), (wk(v.decided_at), v.severity));

-- time to resolution and actionability: each report's first decision at or after it
create or replace table report_outcomes as
select
    r.report_id,
    any_value(r.reporter_type) as reporter_type,
    any_value(r.reported_category) as reported_category,
    hours(any_value(r.reported_at), min(e.decided_at)) as h,
    min(e.decided_at) as decided_at,
    arg_min(e.is_violation, (e.decided_at, e.enforcement_id)) as is_violation
from reports as r
inner join enforcements as e
    on r.object_type = e.object_type and r.object_id = e.object_id
    and e.decided_at >= r.reported_at
group by r.report_id;

create or replace table ttr_weekly as
select
    wk(decided_at) as week_start,
    case
        when grouping(reporter_type) = 0 then 'reporter_type'
        when grouping(reported_category) = 0 then 'category'
        else 'overall'
    end as dimension,
    case
        when grouping(reporter_type) = 0 then coalesce(reporter_type, 'unknown')
        when grouping(reported_category) = 0 then coalesce(reported_category, 'unknown')
        else 'all'
    end as dimension_value,
    count(*) as decided_reports,
    count(*) filter (where is_violation) as actionable_reports,
    quantile_cont(h, 0.5) as p50,
    quantile_cont(h, 0.9) as p90
from report_outcomes
group by grouping sets (
    (wk(decided_at)), (wk(decided_at), reporter_type), (wk(decided_at), reported_category)
);

-- appeal rate: violation decisions appealed within 30 days
create or replace table appeal_rate_weekly as
select
    wk(decided_at) as week_start,
    case
        when grouping(policy_category) = 0 then 'category'
        when grouping(decision_method) = 0 then 'decision_method'
        else 'overall'
    end as dimension,
    case
        when grouping(policy_category) = 0 then coalesce(policy_category, 'unknown')
        when grouping(decision_method) = 0 then coalesce(decision_method, 'unknown')
        else 'all'
    end as dimension_value,
    count(*) as violation_decisions,
    count(*) filter (where first_appealed_at <= decided_at + interval 30 day) as appealed
from violations
group by grouping sets (
    (wk(decided_at)), (wk(decided_at), policy_category), (wk(decided_at), decision_method)
);

-- overturn: decided appeals of violation decisions, week of resolved_at
create or replace table overturn_weekly as
select
    wk(a.resolved_at) as week_start,
    case
        when grouping(e.policy_category) = 0 then 'category'
        when grouping(e.decision_method) = 0 then 'decision_method'
        else 'overall'
    end as dimension,
    case
        when grouping(e.policy_category) = 0 then coalesce(e.policy_category, 'unknown')
        when grouping(e.decision_method) = 0 then coalesce(e.decision_method, 'unknown')
        else 'all'
    end as dimension_value,
    count(*) as decided_appeals,
    count(*) filter (where a.status = 'reversed') as reversed,
    count(*) filter (where a.status in ('reversed', 'partially_reversed')) as reversed_incl_partial
from appeals as a
inner join enforcements as e using (enforcement_id)
where a.status in ('upheld', 'reversed', 'partially_reversed') and e.is_violation
group by grouping sets (
    (wk(a.resolved_at)), (wk(a.resolved_at), e.policy_category),
    (wk(a.resolved_at), e.decision_method)
);

-- recurrence: offenders of the week (t0 = first confirmed violation in the
-- week) with a new offence on another object within 30 / 90 days
create or replace table recurrence_weekly as
with
confirmed as (
    select *, least(first_signal_at, decided_at) as offence_at
    from violations where is_confirmed
),
offenders as (
    select
        account_id,
        wk(decided_at) as week_start,
        min(decided_at) as t0,
        arg_min(object_type, (decided_at, enforcement_id)) as t0_object_type,
        arg_min(object_id, (decided_at, enforcement_id)) as t0_object_id,
        arg_min(policy_category, (decided_at, enforcement_id)) as policy_category
    from confirmed
    group by account_id, wk(decided_at)
),
next_offence as (
    select o.account_id, o.week_start, min(c.offence_at) as next_at
    from offenders as o
    inner join confirmed as c
        on o.account_id = c.account_id and c.offence_at > o.t0
        and not (c.object_type = o.t0_object_type and c.object_id = o.t0_object_id)
    group by o.account_id, o.week_start
)
select
    o.week_start,
    if(grouping(o.policy_category) = 1, 'overall', 'category') as dimension,
    if(grouping(o.policy_category) = 1, 'all', coalesce(o.policy_category, 'unknown'))
        as dimension_value,
    count(*) as offenders,
    count(*) filter (where n.next_at <= o.t0 + interval 30 day) as reoffenders_30d,
    count(*) filter (where n.next_at <= o.t0 + interval 90 day) as reoffenders_90d
from offenders as o
left join next_offence as n using (account_id, week_start)
group by grouping sets ((o.week_start), (o.week_start, o.policy_category));

-- proactive rate: first violation decisions with no report at or before them
create or replace table proactive_weekly as
select
    wk(decided_at) as week_start,
    case
        when grouping(policy_category) = 0 then 'category'
        when grouping(surface) = 0 then 'surface'
        else 'overall'
    end as dimension,
    case
        when grouping(policy_category) = 0 then coalesce(policy_category, 'unknown')
        when grouping(surface) = 0 then coalesce(surface, 'unknown')
        else 'all'
    end as dimension_value,
    count(*) as first_violations,
    count(*) filter (where not coalesce(first_report_at <= decided_at, false)) as proactive
from violations
where is_first_violation
group by grouping sets (
    (wk(decided_at)), (wk(decided_at), policy_category), (wk(decided_at), surface)
);

-- detection precision: per detector and object, the first decision after its first flag
create or replace table detection_precision_weekly as
with
flags as (
    select detector, object_type, object_id, min(detected_at) as flagged_at
    from detections group by all
),
first_decisions as (
    select
        f.detector,
        min(e.decided_at) as decided_at,
        arg_min(e.is_violation, (e.decided_at, e.enforcement_id)) as is_violation
    from flags as f
    inner join enforcements as e
        on f.object_type = e.object_type and f.object_id = e.object_id
        and e.decided_at >= f.flagged_at
    group by f.detector, f.object_type, f.object_id
)
select
    wk(decided_at) as week_start,
    if(grouping(detector) = 1, 'overall', 'detector') as dimension,
    if(grouping(detector) = 1, 'all', coalesce(detector, 'unknown')) as dimension_value,
    count(*) as decided_flags,
    count(*) filter (where is_violation) as violating_flags
from first_decisions
group by grouping sets ((wk(decided_at)), (wk(decided_at), detector));

-- QA accuracy, by decision method
create or replace table qa_weekly as
select
    wk(q.reviewed_at) as week_start,
    if(grouping(e.decision_method) = 1, 'overall', 'decision_method') as dimension,
    if(grouping(e.decision_method) = 1, 'all', coalesce(e.decision_method, 'unknown'))
        as dimension_value,
    count(*) as qa_reviews,
    count(*) filter (where q.agrees) as agreeing
from qa_reviews as q
inner join enforcements as e using (enforcement_id)
group by grouping sets ((wk(q.reviewed_at)), (wk(q.reviewed_at), e.decision_method));

-- report rate per 1,000 mean daily active users
create or replace table report_rate_weekly as
with
counts as (
    select
        wk(reported_at) as week_start,
        case
            when grouping(reporter_type) = 0 then 'reporter_type'
            when grouping(surface) = 0 then 'surface'
            else 'overall'
        end as dimension,
        case
            when grouping(reporter_type) = 0 then coalesce(reporter_type, 'unknown')
            when grouping(surface) = 0 then coalesce(surface, 'unknown')
            else 'all'
        end as dimension_value,
        count(*) as reports
    from reports
    group by grouping sets (
        (wk(reported_at)), (wk(reported_at), reporter_type), (wk(reported_at), surface)
    )
),
dau as (
    select wk(day) as week_start, avg(active_users) / 1000.0 as thousand_dau
    from active_users_daily group by 1
)
select counts.*, dau.thousand_dau
from counts left join dau using (week_start);

-- actioned objects: distinct objects with a violation decision
create or replace table actioned_weekly as
select
    wk(decided_at) as week_start,
    case
        when grouping(policy_category) = 0 then 'category'
        when grouping(action) = 0 then 'action'
        when grouping(decision_method) = 0 then 'decision_method'
        else 'overall'
    end as dimension,
    case
        when grouping(policy_category) = 0 then coalesce(policy_category, 'unknown')
        when grouping(action) = 0 then coalesce(action, 'unknown')
        when grouping(decision_method) = 0 then coalesce(decision_method, 'unknown')
        else 'all'
    end as dimension_value,
    count(distinct (object_type, object_id)) as actioned_objects
from violations
group by grouping sets (
    (wk(decided_at)), (wk(decided_at), policy_category), (wk(decided_at), action),
    (wk(decided_at), decision_method)
);

-- prevalence: Hajek estimate, Wilson interval on Kish's effective n
create or replace table prevalence_weekly as
with
totals as (
    select
        wk(viewed_at) as week_start,
        if(grouping(surface) = 1, 'overall', 'surface') as dimension,
        if(grouping(surface) = 1, 'all', coalesce(surface, 'unknown')) as dimension_value,
        count(*) filter (where is_violating) as hits,
        sum(w) as w_sum,
        sum(w * w) as w2_sum,
        sum(w) filter (where is_violating) as hit_w
    from prevalence_samples
    group by grouping sets ((wk(viewed_at)), (wk(viewed_at), surface))
),
categories as (
    select
        o.week_start, 'category' as dimension, c.policy_category as dimension_value,
        coalesce(h.hits, 0) as hits, o.w_sum, o.w2_sum, h.hit_w
    from totals as o
    cross join policy_categories as c
    left join (
        select wk(viewed_at) as week_start, violation_category, count(*) as hits, sum(w) as hit_w
        from prevalence_samples where is_violating group by all
    ) as h on o.week_start = h.week_start and c.policy_category = h.violation_category
    where o.dimension = 'overall'
),
estimates as (
    select
        *,
        coalesce(hit_w, 0) / w_sum as p,
        w_sum * w_sum / w2_sum as n
    from (select * from totals union all select * from categories)
),
weekly_views as (
    select
        wk(day) as week_start,
        if(grouping(surface) = 1, 'all', surface) as surface,
        sum(views) as views
    from views_daily group by grouping sets ((wk(day)), (wk(day), surface))
)
select
    e.week_start,
    e.dimension,
    e.dimension_value,
    e.hit_w as numerator,
    e.w_sum as denominator,
    if(e.hits >= 10, e.p, null) as prevalence,
    if(e.hits >= 10,
        (e.p + 1.959964 ^ 2 / (2 * e.n)
            - 1.959964 * sqrt(e.p * (1 - e.p) / e.n + 1.959964 ^ 2 / (4 * e.n ^ 2)))
        / (1 + 1.959964 ^ 2 / e.n),
        null) as ci_low,
    if(e.hits = 0,
        least(1.0, 3.0 / e.n),
        (e.p + 1.959964 ^ 2 / (2 * e.n)
            + 1.959964 * sqrt(e.p * (1 - e.p) / e.n + 1.959964 ^ 2 / (4 * e.n ^ 2)))
        / (1 + 1.959964 ^ 2 / e.n)) as ci_high,
    v.views,
    if(e.hits >= 10, e.p, null) * v.views as estimated_violating_views
from estimates as e
left join weekly_views as v
    on e.week_start = v.week_start
    and v.surface = if(e.dimension = 'surface', e.dimension_value, 'all');

-- ---------------------------------------------------------------- published long table

create or replace table kpi_weekly as
select week_start, 'prevalence' as metric_id, dimension, dimension_value,
    numerator, denominator, prevalence as value, ci_low, ci_high
from prevalence_weekly
union all
select week_start, 'estimated_violating_views', dimension, dimension_value,
    null, views, estimated_violating_views, null, null
from prevalence_weekly
union all
select week_start, 'tta_p50_hours', dimension, dimension_value,
    null, timed_actions, p50, null, null
from tta_weekly
union all
select week_start, 'tta_p90_hours', dimension, dimension_value,
    null, timed_actions, p90, null, null
from tta_weekly
union all
select week_start, 'tta_within_target_rate', dimension, dimension_value,
    within_target_actions, timed_actions,
    within_target_actions / nullif(timed_actions, 0), null, null
from tta_weekly
union all
select week_start, 'ttr_p50_hours', dimension, dimension_value,
    null, decided_reports, p50, null, null
from ttr_weekly
union all
select week_start, 'ttr_p90_hours', dimension, dimension_value,
    null, decided_reports, p90, null, null
from ttr_weekly
union all
select week_start, 'report_actionability', dimension, dimension_value,
    actionable_reports, decided_reports, actionable_reports / nullif(decided_reports, 0),
    null, null
from ttr_weekly
union all
select week_start, 'appeal_rate', dimension, dimension_value,
    appealed, violation_decisions, appealed / nullif(violation_decisions, 0), null, null
from appeal_rate_weekly
union all
select week_start, 'overturn_rate', dimension, dimension_value,
    reversed, decided_appeals, reversed / nullif(decided_appeals, 0), null, null
from overturn_weekly
union all
select week_start, 'overturn_rate_incl_partial', dimension, dimension_value,
    reversed_incl_partial, decided_appeals, reversed_incl_partial / nullif(decided_appeals, 0),
    null, null
from overturn_weekly
union all
select week_start, 'recurrence_rate_30d', dimension, dimension_value,
    reoffenders_30d, offenders, reoffenders_30d / nullif(offenders, 0), null, null
from recurrence_weekly
union all
select week_start, 'recurrence_rate_90d', dimension, dimension_value,
    reoffenders_90d, offenders, reoffenders_90d / nullif(offenders, 0), null, null
from recurrence_weekly
union all
select week_start, 'proactive_rate', dimension, dimension_value,
    proactive, first_violations, proactive / nullif(first_violations, 0), null, null
from proactive_weekly
union all
select week_start, 'detection_precision', dimension, dimension_value,
    violating_flags, decided_flags, violating_flags / nullif(decided_flags, 0), null, null
from detection_precision_weekly
union all
select week_start, 'enforcement_accuracy', dimension, dimension_value,
    agreeing, qa_reviews, agreeing / nullif(qa_reviews, 0), null, null
from qa_weekly
union all
select week_start, 'report_rate_per_1k_dau', dimension, dimension_value,
    reports, thousand_dau, reports / nullif(thousand_dau, 0), null, null
from report_rate_weekly
union all
select week_start, 'actioned_objects', dimension, dimension_value,
    actioned_objects, null, actioned_objects, null, null
from actioned_weekly;

-- ---------------------------------------------------------------- backlog, daily
-- objects signalled and undecided at the end of each UTC day

create or replace table backlog_daily as
with
items as (
    select
        t.first_signal_at as opened_at,
        t.first_decision_at as closed_at,
        t.first_signal_category as policy_category,
        s.p90_target_hours
    from object_timeline as t
    left join policy_categories as c on t.first_signal_category = c.policy_category
    left join severity_targets as s on c.default_severity = s.severity
    where
        t.first_signal_at is not null
        and (t.first_decision_at is null or t.first_decision_at > t.first_signal_at)
),
snapshots as (
    select cast(d as date) as day, d + interval 1 day as snapshot_at
    from range(
        (select cast(cast(min(opened_at) as date) as timestamp) from items),
        (select cast(cast(data_end_at as date) as timestamp) + interval 1 day from data_end),
        interval 1 day
    ) as r (d)
),
open_items as (
    select
        s.day,
        i.policy_category,
        hours(i.opened_at, s.snapshot_at) as age_hours,
        i.p90_target_hours
    from snapshots as s
    inner join items as i
        on s.snapshot_at >= i.opened_at and (i.closed_at is null or s.snapshot_at < i.closed_at)
)
select
    day,
    case
        when grouping(age_bucket) = 0 then 'age_bucket'
        when grouping(policy_category) = 0 then 'category'
        else 'overall'
    end as dimension,
    case
        when grouping(age_bucket) = 0 then age_bucket
        when grouping(policy_category) = 0 then coalesce(policy_category, 'unknown')
        else 'all'
    end as dimension_value,
    count(*) as open_items,
    count(*) filter (where age_hours > p90_target_hours) as over_target_items
from (
    select
        *,
        case
            when age_hours < 1 then '<1h'
            when age_hours < 24 then '1h-24h'
            when age_hours < 168 then '1d-7d'
            else '>7d'
        end as age_bucket
    from open_items
)
group by grouping sets ((day), (day, age_bucket), (day, policy_category));

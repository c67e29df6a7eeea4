-- One row: data_end, the latest event timestamp in the build
-- (kpi-definitions.md, common rules). Finality of every KPI row hangs on it.
with

reports as (
    select max(reported_at) as latest_at from {{ ref('stg_raw__reports') }}
),

detections as (
    select max(detected_at) as latest_at from {{ ref('stg_raw__detections') }}
),

enforcements as (
    select max(decided_at) as latest_at from {{ ref('stg_raw__enforcements') }}
),

appeals as (
    select greatest(max(appealed_at), max(resolved_at)) as latest_at
    from {{ ref('stg_raw__appeals') }}
),

samples as (
    select max(viewed_at) as latest_at from {{ ref('stg_raw__prevalence_samples') }}
),

qa_reviews as (
    select max(reviewed_at) as latest_at from {{ ref('stg_raw__qa_reviews') }}
),

final as (
    select
        greatest(
            reports.latest_at,
            detections.latest_at,
            enforcements.latest_at,
            appeals.latest_at,
            samples.latest_at,
            qa_reviews.latest_at
        ) as data_end_at
    from reports
    cross join detections
    cross join enforcements
    cross join appeals
    cross join samples
    cross join qa_reviews
)

select * from final

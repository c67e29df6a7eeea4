with

checked_prevalence_samples as (
    select * from {{ ref('base_raw__prevalence_samples') }}
),

staged_prevalence_samples as (
    select
        sample_id,
        viewed_at,
        surface,
        stratum,
        inclusion_probability,
        object_id,
        is_violating,
        violation_category,
        labeled_at,
        surface_raw,
        violation_category_raw
        {{ raw_extra_columns('prevalence_samples') }}
    from checked_prevalence_samples
    where row_status = 'staged'
)

select * from staged_prevalence_samples

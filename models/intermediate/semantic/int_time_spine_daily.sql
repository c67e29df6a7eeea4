-- One row per UTC day from 1990-01-01 to 2099-12-31: the time spine of the
-- semantic layer (MetricFlow joins and fills periods on it).
with

days as (
    {{ day_series("date '1990-01-01'", "date '2099-12-31'") }}
),

final as (
    select day as date_day
    from days
)

select * from final

-- One row per raw table, column and platform value quarantined as
-- unknown_code: a code that is neither the contract's nor mapped by the
-- platform config. `config_key` is where trustmart.yml would map it
-- (`codes.<code set>.<value>`; a policy category may instead join the
-- taxonomy).
-- depends_on: {{ ref('base_raw__reports') }}, {{ ref('base_raw__detections') }}
-- depends_on: {{ ref('base_raw__enforcements') }}, {{ ref('base_raw__appeals') }}
-- depends_on: {{ ref('base_raw__views_daily') }}, {{ ref('base_raw__prevalence_samples') }}
-- depends_on: {{ ref('base_raw__account_signals') }}
with

all_unknown as (
    {{ unknown_code_selects() if execute else 'select 1' }}
),

counted as (
    select
        source_table,
        column_name,
        code_set,
        platform_value,
        'codes.' || code_set || '.' || platform_value as config_key,
        count(*) as quarantined_rows
    from all_unknown
    group by source_table, column_name, code_set, platform_value
)

select * from counted

-- One row per allowed value of every code set: the closed lists of the
-- raw contract and of the warehouse's bookkeeping (seed accepted_codes),
-- the surfaces (seed surfaces) and the policy categories in force. The one
-- place staging's unknown_code rule and the code-set tests read.
with

closed_code_sets as (
    select
        code_set,
        code
    from {{ ref('accepted_codes') }}
),

surfaces as (
    select
        'surface' as code_set,
        surface as code
    from {{ ref('surfaces') }}
),

policy_categories as (
    select
        'policy_category' as code_set,
        policy_category as code
    from {{ ref('stg_reference__policy_categories') }}
),

code_sets as (
    select
        code_set,
        code
    from closed_code_sets
    union all
    select
        code_set,
        code
    from surfaces
    union all
    select
        code_set,
        code
    from policy_categories
)

select * from code_sets

-- One row per policy category in force: the platform config's taxonomy
-- when it has one, else the built-in categories (seed policy_categories).
{%- set taxonomy = platform_taxonomy() %}
{%- set rows = [] %}
{%- for c in taxonomy %}
    {%- do rows.append([sql_string(c.code), sql_string(c.name),
        sql_string(c.default_severity), sql_string(c.maps_to)]) %}
{%- endfor %}

with

builtin_categories as (
    select
        policy_category,
        category_name,
        default_severity
    from {{ ref('policy_categories') }}
),

platform_categories as (
    {{ literal_rows(rows, ['policy_category', 'category_name', 'default_severity', 'builtin_category']) }}
),

categories_in_force as (
    select
        policy_category,
        category_name,
        default_severity,
        builtin_category,
        'platform config' as defined_by
    from platform_categories
    union all
    select
        policy_category,
        category_name,
        default_severity,
        policy_category as builtin_category,
        'built-in' as defined_by
    from builtin_categories
    -- a taxonomy replaces the built-in categories
    where {{ 'false' if taxonomy else 'true' }}
)

select * from categories_in_force

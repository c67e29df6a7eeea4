-- One row per statement of reasons imported by `trustmart import-dsa` that
-- passed staging: the decision with the DSA fields the export carried as
-- extra columns, typed. Empty when the export holds no statements of
-- reasons (the extra columns are then absent, and read as null here).
{%- set sor_columns = [
    'platform_name', 'category', 'decision_visibility', 'decision_monetary',
    'decision_provision', 'decision_account', 'decision_ground', 'source_type',
    'automated_detection', 'automated_decision', 'content_date', 'content_type',
    'account_type', 'sor_schema_version', 'sor_file',
] -%}
{%- set present = [] -%}
{%- if execute -%}
{%- for column in adapter.get_columns_in_relation(ref('stg_raw__enforcements')) -%}
{%- do present.append(column.name | lower) -%}
{%- endfor -%}
{%- endif -%}
{#- each DSA field as text; null when the export lacks the column -#}
{%- set sor_fields = [] -%}
{%- for column in sor_columns -%}
{%- if column in present -%}
{%- do sor_fields.append("nullif(trim(cast(\"" ~ column ~ "\" as string)), '') as " ~ column) -%}
{%- else -%}
{%- do sor_fields.append("cast(null as string) as " ~ column) -%}
{%- endif -%}
{%- endfor %}

with

enforcements as (
    select * from {{ ref('stg_raw__enforcements') }}
),

sor_fields as (
    select
        enforcement_id,
        policy_category,
        action,
        decision_method,
        {{ sor_fields | join(',\n        ') }},
        decided_at,
        ingested_at
    from enforcements
),

statements as (
    select
        enforcement_id,
        platform_name,
        category as dsa_category,
        policy_category,
        action,
        decision_method,
        decision_ground,
        source_type,
        automated_decision,
        account_type,
        decision_visibility,
        content_type,
        sor_schema_version,
        sor_file,
        nullif(trim(decision_visibility, '[] '), '') is not null as has_visibility_restriction,
        nullif(trim(decision_monetary, '[] '), '') is not null as has_monetary_restriction,
        nullif(trim(decision_provision, '[] '), '') is not null as has_service_restriction,
        nullif(trim(decision_account, '[] '), '') is not null as has_account_restriction,
        coalesce(
            source_type in (
                'SOURCE_ARTICLE_16', 'SOURCE_TRUSTED_FLAGGER', 'SOURCE_TYPE_OTHER_NOTIFICATION'
            ), false
        ) as is_notice_based,
        case lower(automated_detection)
            when 'yes' then true
            when 'no' then false
        end as is_automated_detection,
        {{ utc_timestamp('content_date') }} as content_date,
        decided_at as application_date,
        ingested_at as created_at
    from sor_fields
    where sor_schema_version is not null
),

final as (
    select
        enforcement_id,
        platform_name,
        dsa_category,
        policy_category,
        action,
        decision_method,
        decision_ground,
        source_type,
        automated_decision,
        account_type,
        decision_visibility,
        content_type,
        sor_schema_version,
        sor_file,
        {{ dbt.datediff('content_date', 'application_date', 'second') }} / 86400.0
            as days_to_action,
        has_visibility_restriction,
        has_monetary_restriction,
        has_service_restriction,
        has_account_restriction,
        is_notice_based,
        is_automated_detection,
        {{ week_of('application_date') }} as week_start,
        content_date,
        application_date,
        created_at
    from statements
)

select * from final

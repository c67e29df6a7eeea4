-- One row per platform value the platform config maps onto a contract
-- value (`codes` in trustmart.yml): staging replaces the value by its
-- contract value and keeps the original beside it. Empty without a config.
{%- set rows = [] %}
{%- for code_set, mapping in platform_code_maps().items() | sort %}
    {%- for platform_value, contract_value in mapping.items() | sort %}
        {%- do rows.append([sql_string(code_set), sql_string(platform_value), sql_string(contract_value)]) %}
    {%- endfor %}
{%- endfor %}

with

code_map as (
    {{ literal_rows(rows, ['code_set', 'platform_value', 'contract_value']) }}
)

select * from code_map

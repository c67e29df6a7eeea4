{#- One row per entry of the registry's changelogs (`changelog`, a JSON
    list of {date, version, change}) of `relation`: metric_id,
    metric_version, entry_date, entry_version, entry_change and
    entry_order (the entry's place in the list, from 1). -#}
{% macro changelog_entries(relation) %}
    {{- return(adapter.dispatch('changelog_entries', 'trustmart')(relation)) -}}
{% endmacro %}

{% macro default__changelog_entries(relation) %}
    {%- set sql -%}
select
    metric_id,
    metric_version,
    struct_extract(entry, 'date') as entry_date,
    struct_extract(entry, 'version') as entry_version,
    struct_extract(entry, 'change') as entry_change,
    entry_order
from (
    select
        metric_id,
        metric_version,
        unnest(entries) as entry,
        generate_subscripts(entries, 1) as entry_order
    from (
        select
            metric_id,
            metric_version,
            from_json(changelog, '[{"date": "VARCHAR", "version": "INTEGER", "change": "VARCHAR"}]') as entries
        from {{ relation }}
    ) as parsed_changelogs
) as changelog_entries
    {%- endset -%}
    {{- return(sql) -}}
{% endmacro %}

{% macro spark__changelog_entries(relation) %}
    {%- set sql -%}
select
    metric_id,
    metric_version,
    entry.date as entry_date,
    entry.version as entry_version,
    entry.change as entry_change,
    entry_position + 1 as entry_order
from {{ relation }}
lateral view posexplode(
    from_json(changelog, 'array<struct<date: string, version: int, change: string>>')
) entries as entry_position, entry
    {%- endset -%}
    {{- return(sql) -}}
{% endmacro %}

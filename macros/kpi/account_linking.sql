{#-
    The crowding limit of every signal type in force, as a select of
    (signal_type, max_accounts): the code set `signal_type` with the var
    `max_accounts_per_signal` (dbt_project.yml). A number applies to every
    type but `case`; a mapping sets it per type (types it leaves out keep
    the default 20, `case` unlimited); null is no limit.
-#}
{% macro signal_crowding_limits() %}
    {%- set setting = var('max_accounts_per_signal', 20) -%}
    {%- if setting is mapping -%}
        {%- set per_type = setting -%}
        {%- set blanket = 20 -%}
    {%- else -%}
        {%- set per_type = {} -%}
        {%- set blanket = setting -%}
    {%- endif -%}
    {%- set whens = [] -%}
    {%- for signal_type, limit in per_type.items() -%}
        {%- do whens.append("when '" ~ signal_type ~ "' then "
            ~ ('cast(null as integer)' if limit is none else (limit | int))) -%}
    {%- endfor -%}
    {%- if 'case' not in per_type -%}
        {%- do whens.append("when 'case' then cast(null as integer)") -%}
    {%- endif -%}
    {%- set default = 'cast(null as integer)' if blanket is none else (blanket | int) -%}
    {{- return("select code as signal_type, cast(case code " ~ whens | join(' ')
        ~ " else " ~ default ~ " end as integer) as max_accounts from "
        ~ ref('stg_reference__code_sets') ~ " where code_set = 'signal_type'") -}}
{% endmacro %}


{#-
    Connected components of an undirected graph, dispatched so another
    engine can bring its own: `edges` is a relation (or CTE name) with
    columns account_id, linked_account_id holding both directions of every
    edge, `nodes` one with column account_id holding every node. Returns a
    select of (account_id, entity_id), entity_id = the smallest account_id
    of the component.
-#}
{% macro connected_components(nodes, edges) %}
    {{- return(adapter.dispatch('connected_components', 'trustmart')(nodes, edges)) -}}
{% endmacro %}

{#- Portable: the transitive closure by a recursive CTE (rows grow with
    the square of a component's size). -#}
{% macro default__connected_components(nodes, edges) %}
    {%- set sql -%}
select account_id, min(entity_id) as entity_id
from (
    with recursive reachable (account_id, entity_id) as (
        select account_id, account_id as entity_id from {{ nodes }}
        union
        select edges.linked_account_id as account_id, reachable.entity_id
        from reachable
        inner join {{ edges }} as edges
            on reachable.account_id = edges.account_id
    )
    select account_id, entity_id from reachable
) as closure
group by account_id
    {%- endset -%}
    {{- return(sql) -}}
{% endmacro %}

{#- DuckDB: label propagation in a keyed recursive CTE (USING KEY keeps one
    row per account; each round lowers the labels of the neighbours of the
    accounts whose label changed in the round before, until none does). -#}
{% macro duckdb__connected_components(nodes, edges) %}
    {%- set sql -%}
select account_id, entity_id
from (
    with recursive labels (account_id, entity_id) using key (account_id) as (
        select account_id, account_id as entity_id from {{ nodes }}
        union
        select
            edges.linked_account_id as account_id,
            min(labels.entity_id) as entity_id
        from labels
        inner join {{ edges }} as edges
            on labels.account_id = edges.account_id
        inner join recurring.labels as current_labels
            on edges.linked_account_id = current_labels.account_id
        group by edges.linked_account_id, current_labels.entity_id
        having min(labels.entity_id) < current_labels.entity_id
    )
    select account_id, entity_id from labels
) as propagated
    {%- endset -%}
    {{- return(sql) -}}
{% endmacro %}

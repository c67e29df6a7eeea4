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
    of the component. `edge_relation`: the model (ref) the edges are
    selected from, for engines that iterate outside one statement.
-#}
{% macro connected_components(nodes, edges, edge_relation) %}
    {{- return(adapter.dispatch('connected_components', 'trustmart')(nodes, edges, edge_relation)) -}}
{% endmacro %}

{#- Portable: the transitive closure by a recursive CTE (rows grow with
    the square of a component's size). -#}
{% macro default__connected_components(nodes, edges, edge_relation) %}
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
{% macro duckdb__connected_components(nodes, edges, edge_relation) %}
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


{#- One step of label propagation over `labels` (account_id, entity_id)
    and `edges`: every account takes the smallest label among itself and
    its neighbours. -#}
{% macro spark_label_step(labels, edges) %}
    {{- return('select labels.account_id, least(labels.entity_id, min(neighbours.entity_id)) as entity_id'
        ~ ' from ' ~ labels ~ ' as labels'
        ~ ' inner join ' ~ edges ~ ' as edges on labels.account_id = edges.account_id'
        ~ ' inner join ' ~ labels ~ ' as neighbours on edges.linked_account_id = neighbours.account_id'
        ~ ' group by labels.account_id, labels.entity_id') -}}
{% endmacro %}


{#- One round of a build: a propagation step, then pointer jumping (each
    account takes the label of its label when that is smaller). -#}
{% macro spark_label_round(labels, edges) %}
    {%- set step = spark_label_step(labels, edges) -%}
    {{- return('select propagated.account_id, least(propagated.entity_id, coalesce(jumped.entity_id, propagated.entity_id)) as entity_id'
        ~ ' from (' ~ step ~ ') as propagated left join (' ~ step ~ ') as jumped on propagated.entity_id = jumped.account_id') -}}
{% endmacro %}


{#- Spark: its recursive CTEs take UNION ALL only, which never ends on a
    graph with cycles. Label propagation with pointer jumping instead
    (spark_label_round), one table per round, run until no label changes.
    The labels of the last round are left in `<model>__components`
    (rebuilt by every build) for the model to read. A dbt unit test has no
    relation to iterate on (`this` is empty there): it runs six propagation
    steps unrolled in one statement, enough for its fixtures (entities whose
    accounts are at most six links apart). -#}
{% macro spark__connected_components(nodes, edges, edge_relation) %}
    {%- if not execute -%}
        {{- return('select cast(null as string) as account_id, cast(null as string) as entity_id where false') -}}
    {%- endif -%}
    {%- if not this.identifier -%}
        {%- set ns = namespace(sql='select account_id, account_id as entity_id from ' ~ nodes) -%}
        {%- for i in range(6) -%}
            {%- set ns.sql = spark_label_step('(' ~ ns.sql ~ ')', edges) -%}
        {%- endfor -%}
        {{- return(ns.sql) -}}
    {%- endif -%}
    {%- set scratch = this.schema ~ '.' ~ this.identifier ~ '__' -%}
    {%- do run_query('drop table if exists ' ~ scratch ~ 'edges') -%}
    {%- do run_query('create table ' ~ scratch ~ 'edges using parquet as select distinct account_id, linked_account_id from '
        ~ edge_relation) -%}
    {%- do run_query('drop table if exists ' ~ scratch ~ 'labels_0') -%}
    {%- do run_query('create table ' ~ scratch ~ 'labels_0 using parquet as '
        ~ 'select distinct account_id, account_id as entity_id from ' ~ scratch ~ 'edges') -%}
    {%- set ns = namespace(round=0, done=false) -%}
    {%- for i in range(1, 1000) if not ns.done -%}
        {%- set previous = scratch ~ 'labels_' ~ ns.round -%}
        {%- set current = scratch ~ 'labels_' ~ i -%}
        {%- do run_query('drop table if exists ' ~ current) -%}
        {%- do run_query('create table ' ~ current ~ ' using parquet as '
            ~ spark_label_round(previous, scratch ~ 'edges')) -%}
        {%- set changed = run_query('select count(*) from ' ~ current ~ ' as labels inner join ' ~ previous
            ~ ' as before on labels.account_id = before.account_id where labels.entity_id != before.entity_id').rows[0][0] -%}
        {%- do run_query('drop table if exists ' ~ previous) -%}
        {%- set ns.round = i -%}
        {%- set ns.done = changed == 0 -%}
    {%- endfor -%}
    {%- if not ns.done -%}
        {{ exceptions.raise_compiler_error("Account entities: label propagation did not settle in 999 rounds.") }}
    {%- endif -%}
    {%- do run_query('drop table if exists ' ~ scratch ~ 'components') -%}
    {%- do run_query('alter table ' ~ scratch ~ 'labels_' ~ ns.round ~ ' rename to ' ~ scratch ~ 'components') -%}
    {%- do run_query('drop table if exists ' ~ scratch ~ 'edges') -%}
    {{- return('select account_id, entity_id from ' ~ scratch ~ 'components') -}}
{% endmacro %}

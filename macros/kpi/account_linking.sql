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
    Direct links are account pairs: a linking value on n accounts makes
    n(n-1) of them (both directions listed), so a `case` value naming a
    million accounts would be 10^12 rows. int_account_links calls this
    first: it counts the pairs it is about to list (each membership of a
    value on n accounts adds n - 1) and fails with what to do when they
    would pass var max_direct_links (null: no limit). Only in a build: a
    unit test and `dbt compile` have nothing to count.
-#}
{% macro check_direct_link_budget(signal_values) %}
    {%- set limit = var('max_direct_links', none) -%}
    {%- if limit is none or not (execute and this.identifier and flags.WHICH in ('run', 'build')) -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set by_type = run_query('select signal_type, sum(cast(accounts_with_value as bigint) - 1) as pairs,'
        ~ ' max(accounts_with_value) as largest from ' ~ signal_values
        ~ ' where not is_crowded group by signal_type order by pairs desc').rows -%}
    {%- set ns = namespace(total=0) -%}
    {%- for row in by_type -%}
        {%- set ns.total = ns.total + (row[1] | int) -%}
    {%- endfor -%}
    {%- if ns.total > (limit | int) -%}
        {%- set top = by_type[0] -%}
        {{ exceptions.raise_compiler_error(
            "Account links: the linking values would list " ~ '{:,}'.format(ns.total)
            ~ " direct links (account pairs, both directions, once per shared value), more than max_direct_links ("
            ~ '{:,}'.format(limit | int) ~ "). Most are of type `" ~ top[0] ~ "` ("
            ~ '{:,}'.format(top[1] | int) ~ "), whose largest value is on " ~ '{:,}'.format(top[2] | int)
            ~ " accounts: a value on n accounts links every pair of them. What to do: if such a value"
            ~ " is not an identity, set a crowding limit for `" ~ top[0] ~ "` in the platform config"
            ~ " (thresholds: max_accounts_per_signal: {" ~ top[0] ~ ": N}); if it is, and the machine"
            ~ " has the disk for the pairs, raise thresholds: max_direct_links (null: no limit).") }}
    {%- endif -%}
    {{- return('') -}}
{% endmacro %}


{#-
    Entities: the connected components of the accounts that share linking
    values, as CTEs for the caller's `with` list, the last one named
    `name` and holding (account_id, entity_id), entity_id = the smallest
    account_id of the component. `members_query` selects (account_id,
    signal_type, signal_value), one row per account and linking value.

    The graph is never expanded into account pairs: a value shared by n
    accounts is n memberships, not n(n-1) links, so one `case` value of a
    million accounts is a million rows. Each round (component_round) runs
    FastSV's hooking and shortcutting over the memberships (Zhang, Azad
    and Hu, "FastSV", 2020): every account points at a parent in its
    component; it takes the smallest of its grandparent and its
    neighbours' grandparents, and hands the latter to its parent too. The
    number of rounds grows with the logarithm of a component's diameter,
    not with the diameter (23 rounds for a chain of a million accounts),
    and every account ends pointing at its component's smallest account.

    Dispatched so another engine can bring its own. default__: in a build,
    one scratch table per round (`<model>__cc_*`, named after the model
    being built) until no parent changes; the last is left as
    `<model>__cc_components` for the model to read, and
    drop_component_scratch (the model's post-hook) drops it. A dbt unit test
    has no relation to iterate on (`this` is empty there), and `dbt compile`
    (the definitions lock, the linter) must not build anything: both get
    the rounds unrolled in CTEs, enough for the unit tests' fixtures
    (unrolled_rounds).
-#}
{% macro connected_components(name, members_query) %}
    {{- return(adapter.dispatch('connected_components', 'trustmart')(name, members_query)) -}}
{% endmacro %}

{% macro default__connected_components(name, members_query) %}
    {%- if not execute -%}
        {{- return(name ~ ' as (select cast(null as string) as account_id, cast(null as string) as entity_id where false)') -}}
    {%- endif -%}
    {%- if not (this.identifier and flags.WHICH in ('run', 'build')) -%}
        {{- return(unrolled_components(name, members_query)) -}}
    {%- endif -%}
    {%- set components = build_components_table(members_query, component_scratch_prefix()) -%}
    {{- return(name ~ ' as (select account_id, parent_id as entity_id from ' ~ components ~ ')') -}}
{% endmacro %}


{#- connected_components in one statement, outside a build (a unit test,
    `dbt compile`): the rounds unrolled in CTEs, enough for the unit tests'
    fixtures. Dispatched: an engine that inlines CTEs needs a round that
    reads the one before only once. -#}
{% macro unrolled_components(name, members_query) %}
    {{- return(adapter.dispatch('unrolled_components', 'trustmart')(name, members_query)) -}}
{% endmacro %}

{#- FastSV rounds (component_round), as in a build. -#}
{% macro default__unrolled_components(name, members_query) %}
    {%- set ctes = unrolled_start(members_query) -%}
    {%- for i in range(1, unrolled_rounds() + 1) -%}
        {%- do ctes.append(component_round('cc_labels_' ~ (i - 1), 'cc_members', 'cc_r' ~ i ~ '_')) -%}
        {%- do ctes.append('cc_labels_' ~ i ~ ' as (select account_id, parent_id from cc_r' ~ i ~ '_labels)') -%}
    {%- endfor -%}
    {%- do ctes.append(name ~ ' as (select account_id, parent_id as entity_id from cc_labels_' ~ unrolled_rounds() ~ ')') -%}
    {{- return(ctes | join(',\n')) -}}
{% endmacro %}

{#- Spark inlines every CTE, and a FastSV round reads the round before ten
    times over, so eight unrolled rounds are 10^8 copies of the first (the
    driver runs out of heap). Here each step is plain label propagation,
    every account taking the smallest label of the accounts it shares a
    value with, which reads the step before once: 12 steps, enough for the
    unit tests' fixtures (no account more than 12 links from its entity's
    smallest). In a build Spark runs FastSV rounds like any engine. -#}
{% macro spark__unrolled_components(name, members_query) %}
    {%- set ctes = unrolled_start(members_query) -%}
    {%- for i in range(1, 13) -%}
        {%- do ctes.append('cc_labels_' ~ i ~ ' as (select account_id, neighbour_min as parent_id from ('
            ~ neighbour_min_sql('cc_members', 'cc_labels_' ~ (i - 1), 'parent_id') ~ ') as step)') -%}
    {%- endfor -%}
    {%- do ctes.append(name ~ ' as (select account_id, parent_id as entity_id from cc_labels_12)') -%}
    {{- return(ctes | join(',\n')) -}}
{% endmacro %}

{#- The start of both unrolled forms, as a list of CTEs: the memberships
    (cc_members) and every account its own parent (cc_labels_0). -#}
{% macro unrolled_start(members_query) %}
    {{- return(['cc_members as (' ~ component_members_sql(members_query) ~ ')',
        'cc_labels_0 as (' ~ initial_labels_sql('cc_members') ~ ')']) -}}
{% endmacro %}


{#- The build's iteration (connected_components): the components of
    `members_query`'s accounts in the table `<prefix>components` (account_id,
    parent_id = the smallest account of the component), one scratch table
    per round in between. Returns the table's name. Logs the rounds. -#}
{% macro build_components_table(members_query, prefix) %}
    {%- set members_sql = component_members_sql(members_query) -%}
    {%- do create_scratch_table(prefix ~ 'members', members_sql) -%}
    {%- do create_scratch_table(prefix ~ 'labels_0', initial_labels_sql(prefix ~ 'members')) -%}
    {%- set ns = namespace(round=0, done=false) -%}
    {%- for i in range(1, 200) if not ns.done -%}
        {%- set previous = prefix ~ 'labels_' ~ ns.round -%}
        {%- set current = prefix ~ 'labels_' ~ i -%}
        {%- do create_scratch_table(current,
            'with ' ~ component_round(previous, prefix ~ 'members', 'round_') ~ ' select account_id, parent_id from round_labels') -%}
        {%- set changed = run_query('select count(*) from ' ~ current ~ ' as labels inner join ' ~ previous
            ~ ' as before on labels.account_id = before.account_id where labels.parent_id != before.parent_id').rows[0][0] -%}
        {%- do run_query('drop table if exists ' ~ previous) -%}
        {%- set ns.round = i -%}
        {%- set ns.done = changed == 0 -%}
    {%- endfor -%}
    {%- if not ns.done -%}
        {{ exceptions.raise_compiler_error("Account entities: the components did not settle in 199 rounds. "
            ~ "This is a bug in connected_components: report it with the build's log.") }}
    {%- endif -%}
    {%- do create_scratch_table(prefix ~ 'components', 'select account_id, parent_id from ' ~ prefix ~ 'labels_' ~ ns.round) -%}
    {%- do run_query('drop table if exists ' ~ prefix ~ 'labels_' ~ ns.round) -%}
    {%- do run_query('drop table if exists ' ~ prefix ~ 'members') -%}
    {%- do log('Account entities: components settled in ' ~ ns.round ~ ' rounds.', info=true) -%}
    {{- return(prefix ~ 'components') -}}
{% endmacro %}


{#- For the benchmark and the scale test: `dbt run-operation
    components_of_members --args '{members_query: ..., prefix: ...}'` runs
    build_components_table alone. -#}
{% macro components_of_members(members_query, prefix) %}
    {%- do build_components_table(members_query, prefix) -%}
{% endmacro %}


{#- One row per account and linking value, the value as a number. -#}
{% macro component_members_sql(members_query) %}
    {{- return('select account_id, dense_rank() over (order by signal_type, signal_value) as value_id'
        ~ ' from (' ~ members_query ~ ') as linking_values') -}}
{% endmacro %}


{#- Every account of `members` its own parent: the labels before the
    first round. -#}
{% macro initial_labels_sql(members) %}
    {{- return('select distinct account_id, account_id as parent_id from ' ~ members) -}}
{% endmacro %}


{#- One hop through the memberships: per account of `members` (account_id,
    value_id), the smallest `column` of `relation` (keyed by account_id)
    among the accounts that share a value with it, itself included, as a
    select of (account_id, neighbour_min). -#}
{% macro neighbour_min_sql(members, relation, column) %}
    {%- set sql -%}
select
    members.account_id,
    min(value_mins.value_min) as neighbour_min
from {{ members }} as members
inner join (
    select
        values_of.value_id,
        min(neighbours.{{ column }}) as value_min
    from {{ members }} as values_of
    inner join {{ relation }} as neighbours
        on values_of.account_id = neighbours.account_id
    group by values_of.value_id
) as value_mins
    on members.value_id = value_mins.value_id
group by members.account_id
    {%- endset -%}
    {{- return(sql) -}}
{% endmacro %}


{#- Rounds unrolled outside a build: FastSV settles a chain of n accounts
    in about 2 log2(n) rounds, so 8 cover the unit tests' chains. -#}
{% macro unrolled_rounds() %}
    {{- return(8) -}}
{% endmacro %}


{#- The prefix of the scratch tables of the model being built. -#}
{% macro component_scratch_prefix() %}
    {{- return(this.schema ~ '.' ~ this.identifier ~ '__cc_') -}}
{% endmacro %}


{#- The model's post-hook: drops the last round's table once the model has
    read it (nothing to do in a unit test or at parse time). -#}
{% macro drop_component_scratch() %}
    {%- if execute and this.identifier -%}
        {{- return('drop table if exists ' ~ component_scratch_prefix() ~ 'components') -}}
    {%- endif -%}
    {{- return('') -}}
{% endmacro %}


{#- Creates (or replaces) the scratch table `name` as `sql`. -#}
{% macro create_scratch_table(name, sql) %}
    {%- do run_query('drop table if exists ' ~ name) -%}
    {%- do run_query(scratch_table_ddl(name, sql)) -%}
{% endmacro %}

{#- `create table <name> as <sql>`; Spark needs a format. -#}
{% macro scratch_table_ddl(name, sql) %}
    {{- return(adapter.dispatch('scratch_table_ddl', 'trustmart')(name, sql)) -}}
{% endmacro %}

{% macro default__scratch_table_ddl(name, sql) %}
    {{- return('create table ' ~ name ~ ' as ' ~ sql) -}}
{% endmacro %}

{% macro spark__scratch_table_ddl(name, sql) %}
    {{- return('create table ' ~ name ~ ' using parquet as ' ~ sql) -}}
{% endmacro %}


{#- One FastSV round over `labels` (account_id, parent_id) and `members`
    (account_id, value_id), as CTEs named `<prefix>...`; the last,
    `<prefix>labels`, holds the new parents:
    - grand: every account's grandparent (its parent's parent);
    - neighbour_mins: per account, the smallest grandparent among the
      accounts it shares a value with (neighbour_min_sql);
    - hooks: an account's candidates, its grandparent (shortcutting) and
      its neighbours' smallest grandparent (aggressive hooking), which is
      also offered to its parent (stochastic hooking);
    - labels: the smaller of the old parent and the smallest candidate.
    Parents only fall, and stay in the component. -#}
{% macro component_round(labels, members, prefix) %}
    {%- set sql -%}
{{ prefix }}grand as (
    select
        labels.account_id,
        labels.parent_id,
        parents.parent_id as grandparent_id
    from {{ labels }} as labels
    inner join {{ labels }} as parents
        on labels.parent_id = parents.account_id
),
{{ prefix }}neighbour_mins as (
{{ neighbour_min_sql(members, prefix ~ 'grand', 'grandparent_id') }}
),
{{ prefix }}hooks as (
    select
        target_id,
        min(candidate_id) as candidate_id
    from (
        select account_id as target_id, grandparent_id as candidate_id from {{ prefix }}grand
        union all
        select account_id as target_id, neighbour_min as candidate_id from {{ prefix }}neighbour_mins
        union all
        select
            grand.parent_id as target_id,
            neighbour_mins.neighbour_min as candidate_id
        from {{ prefix }}neighbour_mins as neighbour_mins
        inner join {{ prefix }}grand as grand
            on neighbour_mins.account_id = grand.account_id
    ) as candidates
    group by target_id
),
{{ prefix }}labels as (
    select
        labels.account_id,
        least(labels.parent_id, hooks.candidate_id) as parent_id
    from {{ labels }} as labels
    inner join {{ prefix }}hooks as hooks
        on labels.account_id = hooks.target_id
)
    {%- endset -%}
    {{- return(sql) -}}
{% endmacro %}

{#- Fails for every row whose column holds something that looks like a
    generated record id (r123, ap45, rv7, qa3, ...): `match: whole` when
    the whole value is one (a dimension value), `match: word` when any
    word of a text is. Nulls pass. -#}
{% test no_record_ids(model, column_name, match='whole') %}
{%- set id_pattern = '(ap|qa|rv|qr|tf|au|[rdesacu])[0-9]+' %}
{%- if match == 'whole' %}
    {%- set pattern = '^' ~ id_pattern ~ '$' %}
{%- elif match == 'word' %}
    {%- set pattern = '\\b' ~ id_pattern ~ '\\b' %}
{%- else %}
    {{ exceptions.raise_compiler_error("no_record_ids: match must be `whole` or `word`, not " ~ match) }}
{%- endif %}
select {{ column_name }} as id_like_value
from {{ model }}
where {{ regexp_test(column_name, pattern) }}
{% endtest %}

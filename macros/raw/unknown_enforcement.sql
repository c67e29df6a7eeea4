{#-
    The `unknown_enforcement` rule of tables that refer to a decision
    (appeals, qa_reviews): the row's enforcement_id must be a staged
    enforcement. unknown_enforcement_check() is the check for
    check_raw_rows(extra_checks=...); unknown_enforcement_recheck() the
    recheck condition that re-ranks rows quarantined by it once their
    decision has arrived (incremental builds).
-#}
{% macro unknown_enforcement_check() %}
    {{- return({
        'reason': 'unknown_enforcement',
        'column': 'enforcement_id',
        'condition': "nullif(trim(source_rows.enforcement_id), '') not in ("
            ~ staged_enforcement_ids() ~ ")",
        'detail': "'enforcement_id ' || source_rows.enforcement_id",
    }) -}}
{% endmacro %}


{% macro unknown_enforcement_recheck() %}
    {{- return("prior_rows.quarantine_reason = 'unknown_enforcement'"
        ~ " and prior_rows.enforcement_id in (" ~ staged_enforcement_ids() ~ ")") -}}
{% endmacro %}


{% macro staged_enforcement_ids() %}
    {{- return("select enforcement_id from " ~ ref('base_raw__enforcements')
        ~ " where row_status = 'staged'") -}}
{% endmacro %}

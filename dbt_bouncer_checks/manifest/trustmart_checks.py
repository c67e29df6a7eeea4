"""dbt-bouncer checks of trustmart's conventions that dbt-bouncer has no
built-in check for (custom_checks_dir in dbt-bouncer.yml)."""

from __future__ import annotations

import re

from dbt_bouncer.check_framework.decorator import check, fail


@check
def check_model_has_primary_key_test(model, ctx):
    """Every model tests its primary key: one column tested both `unique` and
    `not_null` (a column listed in the model's `not_null_columns` test is
    tested not_null), or a `unique_combination_of_columns` test
    (tests/generic).

    Receives:
        model (ModelNode): The ModelNode object to check.

    Takes dbt-bouncer's usual `include`, `exclude`, `severity` and `description`.
    """
    tests_by_column: dict[str, set[str]] = {}
    for test in ctx.tests_by_attached_node.get(model.unique_id, []):
        metadata = getattr(test, "test_metadata", None)
        if metadata is None:
            continue
        if metadata.name == "unique_combination_of_columns":
            return
        if metadata.name == "not_null_columns":
            for listed in (metadata.kwargs or {}).get("columns", []):
                tests_by_column.setdefault(listed, set()).add("not_null")
        column = getattr(test, "column_name", None)
        if column:
            tests_by_column.setdefault(column, set()).add(metadata.name)
    if any({"unique", "not_null"} <= names for names in tests_by_column.values()):
        return
    fail(
        f"`{model.name}` has no primary-key test: test one column `unique` and `not_null`, "
        "or add a `unique_combination_of_columns` test of its key."
    )


@check
def check_exposure_depends_only_on_paths(exposure, ctx, *, permitted_model_paths: str):
    """Exposures depend only on models whose path matches `permitted_model_paths`.

    Parameters:
        permitted_model_paths (str): Regexp the path of every model an exposure
            depends on must match.

    Receives:
        exposure (ExposureNode): The ExposureNode object to check.

    Takes dbt-bouncer's usual `include`, `exclude`, `severity` and `description`.
    """
    models = ctx.models_by_unique_id or {m.unique_id: m for m in ctx.models}
    pattern = re.compile(permitted_model_paths.strip())
    wrong = []
    for node_id in getattr(exposure.depends_on, "nodes", []) or []:
        model = models.get(node_id)
        path = model.original_file_path if model is not None else node_id
        if not pattern.match(path):
            wrong.append(path)
    if wrong:
        fail(
            f"`{exposure.name}` depends on {wrong}, outside `{permitted_model_paths.strip()}`: "
            "report pages read only report (rpt_*) and published models."
        )

"""Where a build's time went, from dbt's run_results.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

from trustmart.dbt_memory import FIRST_RUN_RESULTS

#: Models after the KPI family marts: published tables and quality marts.
_PUBLISHED = {
    "kpi_weekly",
    "kpi_daily",
    "metric_definitions",
    "fct_quarantined_rows",
    "fct_raw_reconciliation",
    "kpi_alerts",
}


def node_group(unique_id: str) -> str:
    """The layer a dbt node belongs to, for the time split."""
    kind, _, rest = unique_id.partition(".")
    name = rest.split(".")[1] if "." in rest else rest
    name = re.sub(r"_v\d+$", "", name)
    if kind != "model":
        return {
            "test": "data tests",
            "unit_test": "unit tests",
            "seed": "seeds",
            "operation": "on-run-start (landing raw views)",
        }.get(kind, kind)
    if name.startswith("base_raw__"):
        return "base models (type, check, fate of every raw row)"
    if name.startswith("stg_raw__"):
        return "staging views"
    if name.startswith("int_"):
        return "intermediate"
    if name in _PUBLISHED:
        return "published and quality marts"
    return "KPI family marts"


def model_name(unique_id: str) -> str:
    """`model.trustmart.kpi_weekly.v1` -> `kpi_weekly.v1`."""
    return ".".join(unique_id.split(".")[2:])


def linking_nodes(manifest: Path) -> set[str]:
    """The account-linking nodes of the build (issue 14): the models in a
    `linking` folder and `dim_account_entities`, with the data tests
    attached to them, from dbt's manifest.json (empty when unreadable)."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    nodes = data.get("nodes", {})
    models = {
        uid
        for uid, node in nodes.items()
        if node.get("resource_type") == "model"
        and (
            "linking" in Path(node.get("original_file_path", "")).parts
            or node.get("name", "").startswith("dim_account_entities")
        )
    }
    tests = {
        uid
        for uid, node in nodes.items()
        if node.get("resource_type") == "test" and node.get("attached_node") in models
    }
    return models | tests


def dbt_timings(run_results: Path) -> dict:
    """Total, per-layer and slowest-node times from dbt's run_results.json,
    and the account-linking nodes' time (manifest.json beside it). When the
    build ran nodes again after running out of memory (trustmart.dbt_memory),
    the first run's results beside it count too: both runs' time was spent."""
    try:
        data = json.loads(run_results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    results = list(data.get("results", []))
    elapsed = float(data.get("elapsed_time") or 0.0)
    retried = 0
    try:
        first = json.loads(run_results.with_name(FIRST_RUN_RESULTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        first = None
    if first is not None:
        retried = len(results)
        results = list(first.get("results", [])) + results
        elapsed += float(first.get("elapsed_time") or 0.0)
    linking = linking_nodes(run_results.with_name("manifest.json"))
    nodes = [(r["unique_id"], float(r.get("execution_time") or 0.0)) for r in results]
    groups: dict[str, list[float]] = {}
    for unique_id, seconds in nodes:
        groups.setdefault(node_group(unique_id), []).append(seconds)
    models = sorted(
        ((model_name(uid), s) for uid, s in nodes if uid.startswith("model.")),
        key=lambda item: -item[1],
    )
    return {
        "elapsed_seconds": elapsed,
        "node_seconds": sum(s for _, s in nodes),
        "nodes": len({uid for uid, _ in nodes}),
        "retried_nodes": retried,
        "groups": sorted(
            ([name, sum(v), len(v)] for name, v in groups.items()), key=lambda g: -g[1]
        ),
        "slowest_models": [[name, s] for name, s in models[:12]],
        "linking_seconds": sum(s for uid, s in nodes if uid in linking),
        "linking_nodes": sum(1 for uid, _ in nodes if uid in linking),
    }

"""The definitions lock: which SQL stands behind each published metric.

A metric's fingerprint hashes the compiled SQL of the fact mart it is read
from and of every model upstream of it, the seeds they read, the macro that
publishes it into kpi_weekly / kpi_daily (finality), and the metric's own
mapping (source columns, window, grain). The lock file
(metrics/definitions.lock.json) records, per metric and version, that
fingerprint and a hash of the metric's changelog.

- `check` (run in CI) fails when the lock is not current, naming each
  metric and saying what to do.
- `lock` records the current fingerprints, but refuses a metric whose SQL
  changed while its version and changelog did not: a changed definition
  must be a new version (or, for a change that keeps the meaning, carry a
  changelog entry saying so).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from trustmart.dbt_runner import run_dbt
from trustmart.errors import TrustmartError

REGISTRY = Path("models/marts/published/_metric_registry.yml")
LOCK = Path("metrics/definitions.lock.json")


@dataclass(frozen=True)
class MetricState:
    """The current fingerprint of one metric version and its changelog hash."""

    key: str
    fingerprint: str
    changelog_hash: str
    models: tuple[str, ...]


def load_registry(project: Path) -> list[dict]:
    """The metric registry: meta.metrics of metric_definitions."""
    document = yaml.safe_load((project / REGISTRY).read_text())
    for model in document["models"]:
        if model["name"] == "metric_definitions":
            return model["config"]["meta"]["metrics"]
    raise TrustmartError(
        f"No metric_definitions model in {REGISTRY}.",
        "Restore the metric registry: it is the `meta.metrics` of metric_definitions.",
    )


def metric_key(metric: dict) -> str:
    return f"{metric['metric_id']}@v{metric['metric_version']}"


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_sql(sql: str) -> str:
    """Compiled SQL without comments, quoting of the database name or
    layout, so that only changes of logic change the fingerprint."""
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.S)
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r'"[^"]+"\."(\w+)"\."(\w+)"', r"\1.\2", sql)
    return " ".join(sql.split()).lower()


def compile_manifest(project: Path) -> dict:
    """Compile the project against an in-memory database; the manifest."""
    with tempfile.TemporaryDirectory() as scratch:
        result = run_dbt(
            ["compile", "--target", "lint", "--no-partial-parse", "--quiet"],
            env={"TRUSTMART_DB": ":memory:"},
            log_path=Path(scratch) / "dbt-compile.log",
            project=project,
        )
        if not result.ok:
            raise TrustmartError(
                "dbt compile failed, so the metric definitions cannot be fingerprinted.\n"
                + result.error_digest,
                "Fix the compilation error above and run the check again.",
            )
    return json.loads((project / "target" / "manifest.json").read_text())


def current_states(project: Path) -> dict[str, MetricState]:
    """Fingerprint every metric version of the registry."""
    manifest = compile_manifest(project)
    nodes = manifest["nodes"]
    parents = manifest["parent_map"]
    publishing_macro = manifest["macros"]["macro.trustmart.kpi_rows"]["macro_sql"]
    states: dict[str, MetricState] = {}
    for metric in load_registry(project):
        root = f"model.trustmart.{metric['source']['model']}"
        if root not in nodes:
            raise TrustmartError(
                f"Metric {metric_key(metric)} reads model {metric['source']['model']}, "
                "which does not exist.",
                f"Fix `source.model` of the metric in {REGISTRY}.",
            )
        lineage: set[str] = set()
        stack = [root]
        while stack:
            node_id = stack.pop()
            if node_id in lineage or node_id not in nodes:
                continue
            lineage.add(node_id)
            stack.extend(parents.get(node_id, []))
        parts = []
        for node_id in sorted(lineage):
            node = nodes[node_id]
            if node["resource_type"] == "seed":
                parts.append(f"{node_id}:{node['checksum']['checksum']}")
            else:
                parts.append(f"{node_id}:{_hash(normalise_sql(node.get('compiled_code') or ''))}")
        mapping = {k: metric[k] for k in ("source", "window_days", "grain")}
        parts.append("mapping:" + json.dumps(mapping, sort_keys=True))
        # how kpi_weekly / kpi_daily read the mart (finality, casts)
        parts.append("kpi_rows:" + _hash(normalise_sql(publishing_macro)))
        states[metric_key(metric)] = MetricState(
            key=metric_key(metric),
            fingerprint=_hash("\n".join(parts)),
            changelog_hash=_hash(json.dumps(metric["changelog"], sort_keys=True)),
            models=tuple(sorted(n.split(".")[-1] for n in lineage if n.startswith("model."))),
        )
    return states


def read_lock(project: Path) -> dict[str, dict]:
    path = project / LOCK
    return json.loads(path.read_text())["metrics"] if path.exists() else {}


def problems(project: Path, states: dict[str, MetricState] | None = None) -> list[str]:
    """What is not current in the lock, one plain sentence each."""
    states = states if states is not None else current_states(project)
    locked = read_lock(project)
    found: list[str] = []
    for key, state in sorted(states.items()):
        entry = locked.get(key)
        if entry is None:
            found.append(
                f"{key} is new and not in {LOCK}: run `trustmart definitions lock` to record it."
            )
        elif entry["fingerprint"] != state.fingerprint:
            if entry["changelog_hash"] == state.changelog_hash:
                found.append(
                    f"{key}: the SQL behind it changed but its version and changelog did not. "
                    "If the definition changed, publish a new version of the metric in "
                    f"{REGISTRY} (metric_version + 1, dated changelog entry saying what and "
                    "why); if the meaning is unchanged, add a changelog entry saying so. "
                    "Then run `trustmart definitions lock`."
                )
            else:
                found.append(
                    f"{key}: definition and changelog changed; run `trustmart definitions lock` "
                    "to record the new fingerprint."
                )
        elif entry["changelog_hash"] != state.changelog_hash:
            found.append(f"{key}: changelog changed; run `trustmart definitions lock`.")
    for key in sorted(set(locked) - set(states)):
        found.append(
            f"{key} is locked but no longer in the registry; removing a published metric "
            "version is a breaking change: run `trustmart definitions lock` once intended."
        )
    return found


def check(project: Path, states: dict[str, MetricState] | None = None) -> None:
    """Raise naming every metric whose lock entry is not current."""
    found = problems(project, states)
    if found:
        raise TrustmartError(
            "The metric definitions lock is not current:\n- " + "\n- ".join(found),
            "Follow the advice for each metric above (kpi-definitions.md, 'Versioning').",
        )


def lock(project: Path, states: dict[str, MetricState] | None = None) -> list[str]:
    """Record current fingerprints; refuse unversioned changes. Returns keys written."""
    states = states if states is not None else current_states(project)
    locked = read_lock(project)
    refused = [
        key
        for key, state in sorted(states.items())
        if key in locked
        and locked[key]["fingerprint"] != state.fingerprint
        and locked[key]["changelog_hash"] == state.changelog_hash
    ]
    if refused:
        raise TrustmartError(
            "Refusing to lock: the SQL behind "
            + ", ".join(refused)
            + " changed but the version and changelog did not.",
            f"Publish a new version of each metric in {REGISTRY} (or add a changelog entry "
            "when the meaning is unchanged), then lock again.",
        )
    document = {
        "comment": "Written by `trustmart definitions lock`; checked in CI. Do not edit by hand.",
        "metrics": {
            key: {
                "fingerprint": state.fingerprint,
                "changelog_hash": state.changelog_hash,
                "models": list(state.models),
            }
            for key, state in sorted(states.items())
        },
    }
    (project / LOCK).parent.mkdir(parents=True, exist_ok=True)
    (project / LOCK).write_text(json.dumps(document, indent=2) + "\n")
    return sorted(states)

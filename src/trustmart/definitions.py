"""The definitions lock: which SQL stands behind each published metric.

A metric's fingerprint hashes the compiled SQL of the fact mart it is read
from and of every model upstream of it, the macro that publishes it into
kpi_weekly / kpi_daily (finality), and the metric's own mapping (source
columns, window, grain, the parameters it reads). The lock file
(metrics/definitions.lock.json) records, per metric and version, that
fingerprint and a hash of the metric's changelog.

Settings are not definitions: the content of the reference seeds and the
platform config (taxonomy, targets, thresholds) is not in the fingerprint.
Their values are published with every build (marts.metric_parameters) and
a change is recorded, dated, against exactly the metrics that read it.

- `check` (run in CI) fails when the lock is not current, naming each
  metric and saying what to do.
- `lock` records the current fingerprints, but refuses a metric whose SQL
  changed while its version and changelog did not: a changed definition
  must be a new version. A refactor that leaves the meaning unchanged is
  acknowledged in the lock itself (`lock --refactor REASON`): the lock
  keeps a dated list of such refactors with their reason and metrics, and
  the metric's changelog (which readers see) records only changes of
  meaning.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from datetime import date
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
        # a private target folder: the project's own target/ is left alone,
        # and two checks (or a check and a test) can compile at once
        target = Path(scratch) / "target"
        result = run_dbt(
            [
                "compile",
                "--target",
                "lint",
                "--no-partial-parse",
                "--quiet",
                "--target-path",
                str(target),
                "--log-path",
                scratch,
            ],
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
        return json.loads((target / "manifest.json").read_text())


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
                # reference data: a setting, recorded when it changes (not here)
                parts.append(f"{node_id}:seed")
            else:
                parts.append(f"{node_id}:{_hash(normalise_sql(node.get('compiled_code') or ''))}")
        mapping = {k: metric[k] for k in ("source", "window_days", "grain", "parameters")}
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


def read_refactors(project: Path) -> list[dict]:
    """The refactors acknowledged in the lock: date, reason, metrics."""
    path = project / LOCK
    return json.loads(path.read_text()).get("refactors", []) if path.exists() else []


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
                    "why), then run `trustmart definitions lock`; if the meaning is unchanged "
                    '(a refactor), run `trustmart definitions lock --refactor "REASON"`.'
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


def lock(
    project: Path,
    states: dict[str, MetricState] | None = None,
    *,
    refactor: str | None = None,
    today: date | None = None,
) -> list[str]:
    """Record current fingerprints; refuse unversioned changes unless
    `refactor` says why the meaning is unchanged (recorded in the lock).
    Returns keys written."""
    states = states if states is not None else current_states(project)
    locked = read_lock(project)
    refused = [
        key
        for key, state in sorted(states.items())
        if key in locked
        and locked[key]["fingerprint"] != state.fingerprint
        and locked[key]["changelog_hash"] == state.changelog_hash
    ]
    refactors = read_refactors(project)
    if refused and not refactor:
        raise TrustmartError(
            "Refusing to lock: the SQL behind "
            + ", ".join(refused)
            + " changed but the version and changelog did not.",
            f"If the definition changed, publish a new version of each metric in {REGISTRY} "
            "(metric_version + 1, dated changelog entry), then lock again. If the meaning is "
            'unchanged (a refactor), say why: `trustmart definitions lock --refactor "REASON"` '
            "records it in the lock.",
        )
    if refused:
        refactors.append(
            {
                "date": (today or date.today()).isoformat(),
                "reason": refactor,
                "metrics": refused,
            }
        )
    document = {
        "comment": "Written by `trustmart definitions lock`; checked in CI. Do not edit by hand.",
        "refactors": refactors,
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

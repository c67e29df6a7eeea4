"""The definitions lock refuses an unversioned change of a metric's SQL and
accepts it once the metric gets a new version with a changelog entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from trustmart import definitions
from trustmart.errors import TrustmartError
from trustmart.settings import project_dir

COPIED = ("dbt_project.yml", "models", "macros", "seeds", "profiles", "tests/generic", "metrics")


@pytest.fixture
def scratch_project(tmp_path: Path) -> Path:
    """A copy of the dbt project, its registry and its lock."""
    root = project_dir()
    for name in COPIED:
        source = root / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return tmp_path


@pytest.fixture(scope="module")
def repository_states() -> dict:
    """The repository's metric states (one dbt compile, shared: a scratch
    copy before any edit has the same states)."""
    return definitions.current_states(project_dir())


def test_repository_lock_is_current(repository_states: dict) -> None:
    definitions.check(project_dir(), repository_states)


def test_unversioned_change_is_refused_then_a_new_version_passes(scratch_project: Path) -> None:
    mart = scratch_project / "models/marts/kpis/fct_proactive_weekly.sql"
    sql = mart.read_text()
    assert "count_where('not has_prior_report')" in sql
    # Redefine "proactive" as "no signal at all" (report or detection).
    mart.write_text(sql.replace("not has_prior_report", "not has_prior_signal"))

    changed = definitions.current_states(scratch_project)
    found = definitions.problems(scratch_project, changed)
    assert len(found) == 1
    assert found[0].startswith("proactive_rate@v1: the SQL behind it changed")
    with pytest.raises(TrustmartError, match="proactive_rate@v1"):
        definitions.check(scratch_project, changed)
    with pytest.raises(TrustmartError, match="Refusing to lock: the SQL behind proactive_rate@v1"):
        definitions.lock(scratch_project, changed)

    registry_path = scratch_project / definitions.REGISTRY
    document = yaml.safe_load(registry_path.read_text())
    metrics = document["models"][0]["config"]["meta"]["metrics"]
    metric = next(m for m in metrics if m["metric_id"] == "proactive_rate")
    metric["metric_version"] = 2
    metric["changelog"].append(
        {"date": "2026-11-22", "version": 2, "change": "Proactive now means no signal at all."}
    )
    registry_path.write_text(yaml.safe_dump(document, sort_keys=False))

    bumped = definitions.current_states(scratch_project)
    assert any(
        "proactive_rate@v2 is new" in p for p in definitions.problems(scratch_project, bumped)
    )
    written = definitions.lock(scratch_project, bumped)
    assert "proactive_rate@v2" in written
    definitions.check(scratch_project, bumped)


def test_settings_are_not_definitions(scratch_project: Path, repository_states: dict) -> None:
    """A changed severity target or a renamed category changes no
    fingerprint: settings are recorded per build (metric_parameters), not
    versioned."""
    before = repository_states
    targets = scratch_project / "seeds" / "severity_targets.csv"
    targets.write_text(targets.read_text().replace("high,2,1.0,8.0", "high,2,1.0,6.0"))
    categories = scratch_project / "seeds" / "policy_categories.csv"
    categories.write_text(categories.read_text().replace("Spam,low", "Junk,low"))
    after = definitions.current_states(scratch_project)
    assert {k: s.fingerprint for k, s in after.items()} == {
        k: s.fingerprint for k, s in before.items()
    }


def test_a_refactor_is_acknowledged_in_the_lock_not_the_changelog(scratch_project: Path) -> None:
    mart = scratch_project / "models/marts/kpis/fct_proactive_weekly.sql"
    # the same meaning, written differently
    sql = mart.read_text()
    assert "count_where('not has_prior_report')" in sql
    mart.write_text(
        sql.replace(
            "count_where('not has_prior_report')", "count_where('has_prior_report = false')"
        )
    )
    changed = definitions.current_states(scratch_project)
    with pytest.raises(TrustmartError, match="--refactor"):
        definitions.lock(scratch_project, changed)
    written = definitions.lock(
        scratch_project, changed, refactor="Same predicate, written as a comparison."
    )
    assert "proactive_rate@v1" in written
    definitions.check(scratch_project, changed)
    last = definitions.read_refactors(scratch_project)[-1]
    assert last["reason"] == "Same predicate, written as a comparison."
    assert last["metrics"] == ["proactive_rate@v1"]

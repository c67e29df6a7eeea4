"""dbt's unit tests (`unit_tests:` in the models' YAML: hand-worked KPI
and report cases) check the code, not the data, so `trustmart build` leaves
them out (dbt's advice for production builds) and they run here, against a
copy of the warehouse built from the hand-made fixture (dbt reads the
column types of a model's parents from it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from trustmart.dbt_runner import run_dbt
from trustmart.settings import project_dir


def _defined_unit_tests() -> set[str]:
    names = set()
    for path in (project_dir() / "models").rglob("*.yml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names |= {test["name"] for test in document.get("unit_tests") or []}
    return names


def test_every_dbt_unit_test_passes(small_db: Path, small_raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(small_db, db)
    target = tmp_path / "target"
    result = run_dbt(
        ["test", "--select", "test_type:unit", "--target-path", str(target)],
        env={"TRUSTMART_DB": str(db), "TRUSTMART_RAW_DIR": str(small_raw)},
        log_path=tmp_path / "dbt-unit-tests.log",
    )
    assert result.ok, result.error_digest
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    ran = {
        r["unique_id"].split(".")[-1]: r["status"]
        for r in results
        if r["unique_id"].startswith("unit_test.")
    }
    defined = _defined_unit_tests()
    assert len(defined) >= 20
    assert set(ran) == defined
    assert set(ran.values()) == {"pass"}

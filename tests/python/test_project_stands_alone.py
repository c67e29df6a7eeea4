"""The project documents and checks itself: a clone holds everything its
docs, code and tests refer to, the YAML reads as written by people, every
generic test is in use, and the commands the docs print work from the venv.
Reads files only (plus one `duckdb --version`)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from trustmart.settings import project_dir

PROJECT = project_dir()
#: Where a user's clone must not point outside itself.
STANDALONE = ("README.md", "docs", "src", "models", "macros", "tests", "reports/pages")
TEXT_SUFFIXES = {".md", ".py", ".sql", ".yml", ".yaml", ".svelte", ".csv", ".toml"}


def _files(*names: str) -> list[Path]:
    found = []
    for name in names:
        path = PROJECT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        found += [p for p in candidates if p.is_file() and p.suffix in TEXT_SUFFIXES]
    return found


def test_nothing_points_outside_the_repository() -> None:
    """A clone has no ../shared: docs, code and tests must not refer to it."""
    outside = re.compile(r"\.\./shared|shared/(spec|fixtures|notes)/")
    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for path in _files(*STANDALONE)
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if outside.search(line)
    ]
    assert offenders == []


def test_links_between_docs_resolve() -> None:
    """Every relative link of README.md and docs/*.md names a file that exists."""
    link = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
    broken = []
    for page in _files("README.md", "docs"):
        if page.suffix != ".md":
            continue
        for target in link.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(PROJECT)} -> {target}")
    assert broken == []


def test_no_generated_yaml_anchors_under_models() -> None:
    """YAML written the way people write it: no `*id001` anchors a dumper made."""
    generated = re.compile(r"[&*]id\d{3}\b")
    offenders = [
        str(path.relative_to(PROJECT))
        for path in _files("models")
        if path.suffix == ".yml" and generated.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_generic_test_is_in_use() -> None:
    """Each generic test of tests/generic is applied somewhere under models/."""
    documented = yaml.safe_load((PROJECT / "tests/generic/_generic__tests.yml").read_text())
    names = [m["name"].removeprefix("test_") for m in documented["macros"]]
    defined = {p.stem for p in (PROJECT / "tests" / "generic").glob("*.sql")}
    assert set(names) == defined, "every generic test is documented, and only those"
    yaml_text = "\n".join(p.read_text(encoding="utf-8") for p in _files("models"))
    unused = [name for name in names if not re.search(rf"\b{name}\b", yaml_text)]
    assert unused == []


def test_the_duckdb_command_runs_from_the_venv() -> None:
    """`trustmart demo` prints `duckdb -readonly ...`: the CLI is installed
    beside the project's Python, at the duckdb version the project pins."""
    import duckdb

    cli = Path(sys.executable).with_name("duckdb")
    result = subprocess.run([str(cli), "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.split()[0].lstrip("v") == duckdb.__version__


def test_every_macro_is_documented() -> None:
    """Each macro under macros/ (dispatch implementations included) has an
    entry in a macros YAML there, so dbt docs describe all of them."""
    defined: set[str] = set()
    for path in (PROJECT / "macros").rglob("*.sql"):
        defined |= set(re.findall(r"\{%-?\s*macro\s+(\w+)\(", path.read_text(encoding="utf-8")))
    documented: set[str] = set()
    for path in (PROJECT / "macros").rglob("*.yml"):
        documented |= {m["name"] for m in yaml.safe_load(path.read_text())["macros"]}
    assert sorted(defined - documented) == []
    assert sorted(documented - defined) == []

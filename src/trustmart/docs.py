"""`trustmart docs`: the dbt docs site of the warehouse (every model, column,
test and source, their descriptions and lineage, and the relations and column
types the warehouse has), built offline and published as one static page.

`dbt docs generate --static` runs with the project's profiles, target
`docs`: the published warehouse opened read-only (DuckDB's access_mode
READ_ONLY), so the catalog is read without taking the writer lock, beside
readers and while `trustmart check` works on its copy. Its single
`static_index.html` holds the manifest and the catalog inline, so the page
needs no server-side files and fetches nothing at view time (dbt's page loads
its usage tracker only when the manifest allows tracking, which trustmart
never does: DBT_SEND_ANONYMOUS_USAGE_STATS=false).

The page is published as `<out>/index.html` in one rename. By default `out`
is `dbt-docs` inside the report site (reports/build/dbt-docs): the report
links it, and a report rebuild keeps it (trustmart.site_publish).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from trustmart.config import LoadedConfig, load_config
from trustmart.config.dbt_vars import dbt_vars
from trustmart.dbt_runner import run_dbt
from trustmart.errors import TrustmartError
from trustmart.site_publish import DOCS_FOLDER, site_lock

#: The dbt profile target that reads the warehouse read-only (profiles/profiles.yml).
DOCS_TARGET = "docs"
#: The page's title: marks an earlier docs build that may be replaced.
_DOCS_TITLE = "<title>dbt Docs</title>"
#: The new page's name until it is renamed over index.html.
_NEW_PREFIX = ".index.html.trustmart-new-"


def build_docs(db: Path, out: Path, config: LoadedConfig | None = None) -> Path:
    """Generate the dbt docs of the warehouse at `db` and publish them at
    `out/index.html`; returns that file.

    `config`: the platform config the warehouse was built with (its vars
    make the compiled SQL shown the SQL that ran). Raises TrustmartError
    when there is no warehouse, `out` holds something else, or dbt fails
    (for instance while a writer holds the warehouse open).
    """
    db = Path(db).resolve()
    out = Path(out).resolve()
    if not db.is_file():
        raise TrustmartError(
            f"No warehouse at {db}: the docs read its catalog (tables, views, column types).",
            "Run `trustmart build` first, or pass the database with --db (or TRUSTMART_DB).",
        )
    _check_replaceable(out)
    settings = dbt_vars((config or load_config()).config)
    log_path = db.parent / "logs" / "dbt-docs.log"
    with tempfile.TemporaryDirectory(prefix="trustmart-docs-") as target:
        result = run_dbt(
            [
                "docs",
                "generate",
                "--static",
                "--target",
                DOCS_TARGET,
                "--target-path",
                target,
                "--log-path",
                str(log_path.parent),
                "--vars",
                json.dumps(settings),
            ],
            env={"TRUSTMART_DB": str(db)},
            log_path=log_path,
        )
        page = Path(target) / "static_index.html"
        locked = next(
            (line for line in result.error_digest.splitlines() if "Could not set lock" in line),
            None,
        )
        if locked:
            raise TrustmartError(
                f"The warehouse {db} is open for writing in another program: "
                + locked.split("IO Error: ", 1)[-1].strip(),
                "Close that program (or wait for it to finish), then run `trustmart docs` "
                f"again. Full log: {log_path}",
            )
        if not result.ok or not page.is_file():
            raise TrustmartError(
                f"dbt docs generate failed on {db}:\n" + result.error_digest,
                f"Fix the cause above and run `trustmart docs` again. Full log: {log_path}",
            )
        return publish_docs(page, out)


def publish_docs(page: Path, out: Path) -> Path:
    """Put `page` at `out/index.html` in one rename. Inside a report site
    (`out` named dbt-docs), under the site's lock, so that a report rebuild
    carries over this page and not the one before it."""
    _check_replaceable(out)
    lock = site_lock(out.parent) if out.name == DOCS_FOLDER else contextlib.nullcontext()
    with lock:
        out.mkdir(parents=True, exist_ok=True)
        for leftover in out.glob(f"{_NEW_PREFIX}*"):  # of an interrupted publish
            leftover.unlink(missing_ok=True)
        index = out / "index.html"
        handle, name = tempfile.mkstemp(prefix=_NEW_PREFIX, dir=out)
        os.close(handle)
        try:
            shutil.copyfile(page, name)
            os.chmod(name, 0o644)
            os.replace(name, index)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name)
    return index


def _check_replaceable(out: Path) -> None:
    """`out` may receive the docs: absent, empty, or an earlier docs build."""
    if not out.exists():
        return
    names = (
        {p.name for p in out.iterdir() if not p.name.startswith(_NEW_PREFIX)}
        if out.is_dir()
        else None
    )
    index = out / "index.html"
    is_docs = names == {"index.html"} and _DOCS_TITLE in _head(index)
    if names is None or not (is_docs or not names):
        raise TrustmartError(
            f"{out} exists and is not an earlier `trustmart docs` build; not overwriting it.",
            "Choose an empty or new folder for --out (the default, dbt-docs inside the "
            "report site, is linked from the report).",
        )


def _head(path: Path, size: int = 4096) -> str:
    with path.open("rb") as handle:
        return handle.read(size).decode("utf-8", errors="replace")

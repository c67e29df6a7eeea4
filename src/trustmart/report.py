"""`trustmart report`: build the Evidence site (reports/) from a DuckDB file,
offline, and publish it in one step.

Evidence is driven as a subprocess with npm, in a private working copy of
the Evidence project (see `build_report`):

1. ``npm run sources -- --strict``: runs every source query
   (``reports/sources/trustmart/*.sql``, thin selects over the marts) against
   the database, opened read-only, and writes them as Parquet;
2. ``npm run build:strict``: prerenders every page, running the page queries
   against those extracts.

Neither command fails on everything that breaks a page, so the logs are read
too: a source that returns zero rows (every page using it then breaks) or an
"Error in Query" in the build log fails the build with :class:`ReportError`,
naming the query and the page. Only a site that built cleanly is published
(`publish_site`), and it replaces the previous one in one step. Set up first
with ``bash scripts/setup-report.sh`` (npm packages, the offline patch,
Chromium).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from trustmart.errors import ReportError
from trustmart.settings import project_dir, tool_env
from trustmart.site_publish import check_replaceable, publish_site, site_lock

#: The Evidence source name (reports/sources/<name>/connection.yaml).
SOURCE_NAME = "trustmart"
#: A line in the patched universal-sql proving the offline patch is applied.
_PATCH_MARKER = "trustmart patch"
_PATCHED_FILE = Path("node_modules/@evidence-dev/universal-sql/src/build-parquet.js")

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# ora's success/failure symbols (\u221a and \u00d7 on terminals without unicode).
_SOURCE_OK = re.compile(r"^\s*(\S+) [\u2714\u221a] Finished, wrote (\d+) rows\.")
_SOURCE_FAIL = re.compile(r"^\s*(\S+) [\u2716\u00d7] Error: (.*)$")
_QUERY_ERROR = re.compile(r"^(\S+) \| Error in Query!?\s*(.*)$")
_PAGE_QUERY = re.compile(r"^```\s*sql\s+([A-Za-z_][\w]*)", re.MULTILINE)
_NOT_QUERIES = {"connection.yaml", "connection.options.yaml", "initialize.sql"}

#: progress(step_done, steps_total, message)
Progress = Callable[[int, int, str], None]


def reports_dir() -> Path:
    """The Evidence project: reports/ in the repository."""
    return project_dir() / "reports"


# --------------------------------------------------------------------------
# Building the site


#: What a build reads from the Evidence project: copied into the build's
#: private working copy. Nothing else is (node_modules is linked; build/,
#: .evidence/ and any site published inside the project are left out).
PROJECT_INPUTS = (
    "package.json",
    "package-lock.json",
    ".npmrc",
    ".env",
    "evidence.config.yaml",
    "evidence.settings.json",
    "app.css",
    "pages",
    "sources",
    "components",
    "partials",
    "queries",
    "static",
    ".evidence/customization",
)
#: Where working copies live, inside the Evidence project (not under its
#: .evidence/: Evidence's svelte.config.js takes the part of the working
#: directory before ".evidence" as the project root).
_WORK_DIR = Path(".trustmart-builds")


def build_report(
    db: Path,
    out: Path | None = None,
    progress: Progress | None = None,
    *,
    project: Path | None = None,
    sources_timeout: float = 600,
    build_timeout: float = 1800,
) -> Path:
    """Build the static report site from the marts in `db` and publish it at
    `out` (default: <project>/build, i.e. reports/build).

    Evidence always writes into <its project>/build and keeps its state in
    <its project>/.evidence, so each build runs in a private working copy of
    the project (`PROJECT_INPUTS` copied, node_modules linked) under
    <project>/.trustmart-builds/, removed afterwards. Building
    therefore never touches any site but `out`, reports/build included, and
    builds into different folders can run at the same time. Builds into the
    same folder take turns (a lock file beside it, `.<name>.trustmart.lock`).
    The site is published by `publish_site`: a reader of `out` sees the
    previous site or the new one, never none or half of one; a failed build
    publishes nothing. `out` must be absent, empty or an earlier build.

    `project` is the Evidence project (reports/ by default; tests pass a
    copy). The database is opened read-only. Logs go to
    <project>/.evidence/logs/<out name>-<hash of its path>/. Returns `out`.

    Raises ReportError when the setup is missing, a command fails or hangs, a
    source query fails or returns no rows, or a page query fails.
    """
    project = (project or reports_dir()).resolve()
    db = Path(db).resolve()
    out = Path(out).resolve() if out is not None else project / "build"
    step = _stepper(progress, 3)

    check_setup(project)
    if not db.is_file():
        raise ReportError(
            f"No database at {db}: the report reads the published marts from it.",
            "Run `trustmart build` first, or pass the database with --db (or TRUSTMART_DB).",
        )
    check_replaceable(out)
    key = hashlib.sha256(str(out).encode()).hexdigest()[:10]
    logs = project / ".evidence" / "logs" / f"{out.name}-{key}"
    logs.mkdir(parents=True, exist_ok=True)

    with site_lock(out), _working_copy(project) as work:
        source_dir = work / "sources" / SOURCE_NAME
        env = tool_env(
            # connection.yaml's filename is joined to the source folder (an
            # absolute path would be appended to it), so pass a relative path.
            **{f"EVIDENCE_SOURCE__{SOURCE_NAME}__filename": os.path.relpath(db, source_dir)},
            NO_COLOR="1",
            FORCE_COLOR="0",
            BROWSERSLIST_IGNORE_OLD_DATA="1",
            NPM_CONFIG_UPDATE_NOTIFIER="false",
            NODE_OPTIONS=node_options(),
        )

        step(f"Extracting the report sources from {db.name}")
        sources_log = logs / "sources.log"
        code, text = _run(
            ["npm", "run", "sources", "--", "--strict"],
            work,
            env,
            sources_log,
            sources_timeout,
            "Extracting the report sources",
        )
        _check_sources(work, text, code, db, sources_log)

        step("Building the report pages (Evidence build, about a minute)")
        build_log = logs / "build.log"
        code, text = _run(
            ["npm", "run", "build:strict"],
            work,
            env,
            build_log,
            build_timeout,
            "Building the report pages",
        )
        _check_build(work, text, code, build_log)

        step(f"Publishing the site to {out}")
        publish_site(work / "build", out)
    if progress:
        progress(3, 3, f"Report built at {out}")
    return out


#: node's heap limit for the Evidence build (MiB). Evidence's CLI raises it
#: to 4096 unless NODE_OPTIONS sets one; at 2048 the build peaks at 2.8 GiB
#: of RSS instead of 3.1-3.3 GiB (1792 runs out of heap: docs/performance.md).
REPORT_HEAP_MIB = 2048


def node_options() -> str:
    """NODE_OPTIONS for the Evidence build: the caller's, with a heap limit
    of REPORT_HEAP_MIB unless the caller set one."""
    options = os.environ.get("NODE_OPTIONS", "")
    if "--max-old-space-size" in options:
        return options
    return f"{options} --max-old-space-size={REPORT_HEAP_MIB}".strip()


def check_setup(project: Path | None = None) -> None:
    """Fail with what to do when the npm packages or the offline patch are missing."""
    project = (project or reports_dir()).resolve()
    evidence = project / "node_modules" / ".bin" / "evidence"
    patched = project / _PATCHED_FILE
    fix = "Run `bash scripts/setup-report.sh` (or `bash scripts/bootstrap.sh setup`)."
    if not evidence.exists():
        raise ReportError(f"The report's npm packages are not installed in {project}.", fix)
    if not patched.is_file() or _PATCH_MARKER not in patched.read_text(encoding="utf-8"):
        raise ReportError(
            "The offline patch of @evidence-dev/universal-sql is not applied "
            f"in {project / 'node_modules'}: Evidence would hang forever offline.",
            fix + " It reinstalls the packages; patch-package applies the patch.",
        )
    if shutil.which("npm") is None:
        raise ReportError("npm is not on PATH: the report is built with Evidence (npm).", fix)


def source_queries(project: Path) -> dict[str, Path]:
    """Every source query of the project, as '<source>/<name>' -> file."""
    found: dict[str, Path] = {}
    for source in sorted((project / "sources").glob("*/connection.yaml")):
        for file in sorted(source.parent.iterdir()):
            if file.is_file() and file.name not in _NOT_QUERIES:
                found[f"{source.parent.name}/{file.stem}"] = file
    return found


def page_queries(project: Path) -> dict[str, list[Path]]:
    """Query name -> the pages (markdown files) defining it."""
    found: dict[str, list[Path]] = {}
    for page in sorted((project / "pages").rglob("*.md")):
        for name in _PAGE_QUERY.findall(page.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(page)
    return found


def _check_sources(project: Path, text: str, code: int, db: Path, log: Path) -> None:
    lines = text.splitlines()
    queries = source_queries(project)
    names = {key.split("/", 1)[1]: key for key in queries}
    failed = [(i, m) for i, m in enumerate(map(_SOURCE_FAIL.match, lines)) if m]
    if failed or code != 0:
        if failed:
            index, match = failed[0]
            key = names.get(match.group(1), match.group(1))
            where = _rel(queries[key], project) if key in queries else key
            what = f"Source query `{key}` ({where}) failed:\n" + _following(
                lines, match.group(2), index
            )
            fix = (
                f"Fix {where}: it must be a thin `select ... from marts.<relation>` over a mart "
                f"that exists in {db}. Full log: {log}"
            )
        else:
            what = "Extracting the report sources failed:\n" + _tail(lines)
            fix = (
                f"Check that {db} is a DuckDB file (written by duckdb 1.4/1.5) holding the "
                f"schema `marts`, and not locked by a writer. Full log: {log}"
            )
        raise ReportError(what, fix)
    wrote = {m.group(1): int(m.group(2)) for m in map(_SOURCE_OK.match, lines) if m}
    for key, file in queries.items():
        name = key.split("/", 1)[1]
        rows = wrote.get(name)
        if rows is None:
            raise ReportError(
                f"Source query `{key}` ({_rel(file, project)}) produced no extract.",
                f"See the log for what Evidence did with it: {log}",
            )
        if rows == 0:
            raise ReportError(
                f"Source query `{key}` ({_rel(file, project)}) returned zero rows: every page "
                "using it would fail.",
                f"Build the mart it reads so it has rows (`trustmart build`), or check {db} "
                "is the published warehouse. A published source must never be empty.",
            )


def _check_build(project: Path, text: str, code: int, log: Path) -> None:
    lines = text.splitlines()
    errors: dict[str, str] = {}
    for i, line in enumerate(lines):
        match = _QUERY_ERROR.match(line.strip())
        if match and match.group(1) not in errors:
            errors[match.group(1)] = _following(lines, match.group(2), i)
    if errors:
        pages = page_queries(project)
        parts = []
        for name, message in errors.items():
            where = ", ".join(_rel(p, project) for p in pages.get(name, [])) or "page unknown"
            parts.append(f"Query `{name}` on {where} failed at build time:\n{message}")
        raise ReportError(
            "\n".join(parts),
            "Fix the SQL of that query in the page (page queries read the sources as "
            f"`{SOURCE_NAME}.<source query>`; their columns are those of "
            f"sources/{SOURCE_NAME}/*.sql), then build the report again. Full log: {log}",
        )
    index = project / "build" / "index.html"
    if code != 0 or not index.is_file():
        raise ReportError(
            "Building the report pages failed:\n" + _tail(lines),
            f"Fix the cause above (a page or component error) and build again. Full log: {log}",
        )


def _following(lines: list[str], first: str, index: int, limit: int = 6) -> str:
    """An error message and the indented/continuation lines after it."""
    kept = [first.strip()] if first.strip() else []
    for line in lines[index + 1 : index + 1 + limit]:
        if not line.strip() or _QUERY_ERROR.match(line.strip()) or _SOURCE_OK.match(line):
            break
        kept.append(line.rstrip())
    return "\n".join(kept)


def _tail(lines: list[str], limit: int = 25) -> str:
    useful = [line for line in lines if line.strip() and not line.startswith(">")]
    return "\n".join(useful[-limit:])


def _rel(path: Path, project: Path) -> str:
    try:
        return str(path.relative_to(project))
    except ValueError:
        return str(path)


def _stepper(progress: Progress | None, total: int) -> Callable[[str], None]:
    done = 0

    def step(message: str) -> None:
        nonlocal done
        if progress:
            progress(done, total, message)
        done += 1

    return step


def _run(
    command: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float, what: str
) -> tuple[int, str]:
    """Run `command`, output to `log`; kill its whole process group on timeout."""
    with log.open("w", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}  (cwd {cwd})\n")
        out.flush()
        try:
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except FileNotFoundError as error:
            raise ReportError(
                f"{what}: cannot run {command[0]} ({error}).",
                "Install node 20+ and npm, then run `bash scripts/setup-report.sh`.",
            ) from error
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise ReportError(
                f"{what} did not finish within {timeout:.0f} s (log: {log}).",
                "If it sat at 0% CPU, duckdb-wasm is waiting for an extension download "
                "offline: the universal-sql patch is not applied. Run "
                "`bash scripts/setup-report.sh` (delete reports/node_modules first to force "
                "a reinstall) and build again.",
            ) from None
    return code, _ANSI.sub("", log.read_text(encoding="utf-8", errors="replace"))


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def _working_copy(project: Path) -> Iterator[Path]:
    """A private copy of the Evidence project for one build: its inputs
    (`PROJECT_INPUTS`) copied, node_modules a link to the project's. Removed
    when the build ends; copies left by builds that were killed (their
    process is gone) are removed first."""
    parent = project / _WORK_DIR
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.iterdir():
        owner = stale.name.split("-", 1)[0]
        if owner.isdigit() and not _process_alive(int(owner)):
            shutil.rmtree(stale, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))
    try:
        for name in PROJECT_INPUTS:
            source = project / name
            if source.is_dir():
                shutil.copytree(source, work / name)
            elif source.is_file():
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, work / name)
        (work / "node_modules").symlink_to(
            (project / "node_modules").resolve(), target_is_directory=True
        )
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

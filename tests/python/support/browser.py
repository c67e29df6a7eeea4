"""Open a built report site in headless Chromium, the way a reader would:
serve it on loopback, screenshot each page, keep its DOM after the page's
JavaScript ran, and read its visible text and tables.

Test support only: the trustmart package builds and publishes the site
(trustmart.report); looking at it is the tests' job. Debian's chromium is
installed by scripts/setup-report.sh.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from trustmart.report import ReportError
from trustmart.settings import tool_env

#: Debian's Chromium, installed by scripts/setup-report.sh.
CHROMIUM = "/usr/bin/chromium"

#: Text a page shows when a query failed (server-rendered or in the browser).
_ERROR_TEXT = re.compile(r"Error in Query|\b[A-Z][A-Za-z]* Error:|^Error\b")


@dataclass
class PageCapture:
    """One page as headless Chromium rendered it."""

    page: str
    url: str
    screenshot: Path
    dom_file: Path
    dom: str = field(repr=False)
    text: str = field(repr=False)
    seconds: float = 0.0

    @property
    def table_cells(self) -> int:
        """Number of data cells (<td>) in rendered tables."""
        return len(re.findall(r"<td[\s>]", self.dom))

    @property
    def has_chart(self) -> bool:
        """An ECharts chart was drawn (Evidence charts render to a canvas)."""
        return "_echarts_instance_" in self.dom and "<canvas" in self.dom

    @property
    def is_loading(self) -> bool:
        """A component still shows its loading skeleton: offline this means
        the browser is trying to run a query itself (no prerendered result,
        e.g. a query that failed at build time) and never will."""
        return "Loading..." in self.text

    @property
    def error_lines(self) -> list[str]:
        """Lines of visible text that look like an error message."""
        return [line for line in self.text.splitlines() if _ERROR_TEXT.search(line)]

    def problems(self) -> list[str]:
        """Why this page did not render its data (empty when it did)."""
        found = [f"shows error text: {line!r}" for line in self.error_lines]
        if self.is_loading:
            found.append("still shows 'Loading...' (a query did not run at build time)")
        if not self.table_cells and not self.has_chart:
            found.append("has no table cell and no chart")
        return found


class _TextOf(HTMLParser):
    """Visible text of a DOM dump, one line per block-ish element."""

    _SKIP = frozenset({"script", "style", "noscript", "template"})
    _BREAK = frozenset({"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "br", "td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def visible_text(dom: str) -> str:
    """The visible text of an HTML document, one line per block."""
    parser = _TextOf()
    parser.feed(dom)
    parser.close()
    return html.unescape(parser.text())


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Chromium closes connections mid-transfer when it stops (the large
        # duckdb-wasm files): not an error worth a traceback.
        pass


@contextlib.contextmanager
def serve_site(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def chromium_command(
    url: str,
    profile: Path,
    screenshot: Path,
    *,
    budget_ms: int = 20000,
    window: tuple[int, int] = (1280, 1400),
) -> list[str]:
    """Headless Chromium: screenshot `url` and print its DOM after client JS ran.

    Loopback only: every host name resolves to nothing and other traffic is
    sent to a dead local proxy port, so the browser reaches no outside host.
    """
    return [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--mute-audio",
        "--proxy-server=http://127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--user-data-dir={profile}",
        f"--window-size={window[0]},{window[1]}",
        # Virtual time runs the page's JS (hydration, charts) before the dump.
        f"--virtual-time-budget={budget_ms}",
        f"--screenshot={screenshot}",
        "--dump-dom",
        url,
    ]


def capture_page(
    base_url: str, page: str, out_dir: Path, *, budget_ms: int = 20000, timeout: float = 180
) -> PageCapture:
    """Open `page` (a path such as "/" or "/kpis/") under `base_url` and keep a
    screenshot (<name>.png) and the rendered DOM (<name>.html) in `out_dir`."""
    if not Path(CHROMIUM).exists():
        raise ReportError(
            f"Chromium is not installed at {CHROMIUM}.",
            "Run `bash scripts/setup-report.sh` (it installs Debian's chromium).",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    name = page.strip("/").replace("/", "__") or "index"
    url = base_url.rstrip("/") + "/" + page.lstrip("/")
    screenshot = out_dir / f"{name}.png"
    dom_file = out_dir / f"{name}.html"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = chromium_command(url, Path(profile), screenshot, budget_ms=budget_ms)
        try:
            result = subprocess.run(
                command,
                env=tool_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise ReportError(
                f"Chromium did not finish rendering {url} within {timeout:.0f} s.",
                "Check the page in a browser (`npm run preview` in reports/).",
            ) from error
    if result.returncode != 0 or not result.stdout.strip():
        raise ReportError(
            f"Chromium failed on {url} (exit {result.returncode}):\n{result.stderr[-2000:]}",
            "Run `bash scripts/setup-report.sh` to (re)install chromium.",
        )
    dom_file.write_text(result.stdout, encoding="utf-8")
    return PageCapture(
        page=page,
        url=url,
        screenshot=screenshot,
        dom_file=dom_file,
        dom=result.stdout,
        text=visible_text(result.stdout),
        seconds=time.monotonic() - started,
    )


def serve_and_screenshot(
    site: Path, pages: list[str], out_dir: Path, *, budget_ms: int = 20000
) -> dict[str, PageCapture]:
    """Serve the built `site` on loopback and capture each page in headless
    Chromium: page -> PageCapture (screenshot, DOM, visible text, problems())."""
    if not (Path(site) / "index.html").is_file():
        raise ReportError(f"{site} is not a built report site (no index.html).", "Build it first.")
    captures: dict[str, PageCapture] = {}
    with serve_site(Path(site)) as base_url:
        for page in pages:
            captures[page] = capture_page(base_url, page, out_dir, budget_ms=budget_ms)
    return captures


def table_rows(dom: str) -> list[list[str]]:
    """The visible text of each cell of each table row of a rendered page."""
    rows = []
    for row in re.findall(r"<tr[\s>].*?</tr>", dom, re.DOTALL):
        cells = re.findall(r"<td[\s>].*?</td>", row, re.DOTALL)
        if cells:
            rows.append([visible_text(cell).replace("\n", " ") for cell in cells])
    return rows

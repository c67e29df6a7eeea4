"""Made-up report sites and a reader of a site's index.html, for the tests
of how sites are published (test_report_infra) and of a rebuild while
another site builds (test_report_pages)."""

from __future__ import annotations

import threading
import time
from pathlib import Path


def fake_site(folder: Path, marker: str, *, filler: int = 0) -> Path:
    """A folder shaped like a built site (index.html, _app/, data/) whose
    index.html says `marker` (and ends with `</html>` after `filler` bytes)."""
    (folder / "_app").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "_app" / "app.js").write_text(f"// {marker}\n", encoding="utf-8")
    (folder / "data" / "extract.parquet").write_bytes(b"PAR1" + marker.encode())
    (folder / "index.html").write_text(f"<html>{marker}{'.' * filler}</html>", encoding="utf-8")
    return folder


def listing(folder: Path) -> list[tuple[str, bool, int, int]]:
    """Every entry under `folder` (and `folder` itself): path, is_dir, size
    and mtime in ns; identical listings mean nothing was added, removed,
    replaced or written."""
    entries = [folder, *sorted(folder.rglob("*"))]
    return [
        (str(entry.relative_to(folder)), entry.is_dir(), entry.stat().st_size,
         entry.stat().st_mtime_ns)
        for entry in entries
    ]  # fmt: skip


class IndexReader:
    """A thread reading <site>/index.html over and over while a site is
    replaced: keeps the reads that found no file, and every distinct content
    it read, in order (a half-written or mixed page would be a content that
    is neither the old page nor the new one)."""

    def __init__(self, site: Path, pause: float = 0.001) -> None:
        self.index = site / "index.html"
        self.pause = pause
        self.reads = 0
        self.misses: list[str] = []
        self.seen: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                text = self.index.read_text(encoding="utf-8")
            except (FileNotFoundError, NotADirectoryError) as error:
                self.misses.append(repr(error))
            else:
                self.reads += 1
                if not self.seen or self.seen[-1] != text:
                    self.seen.append(text)
            time.sleep(self.pause)

    def __enter__(self) -> IndexReader:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

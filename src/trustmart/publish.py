"""Publishing a DuckDB file in one step, for every command that writes the
warehouse (`trustmart build`, `trustmart check`).

The published file is never written in place. A command works on a sibling
file (`.<name>.<purpose>.duckdb`, same folder, so the same file system),
empty or a copy of the published one; when it is done, the sibling's
write-ahead log is folded into it (checkpoint) and one rename puts it over
the published file. A reader that opens the published file sees the old
warehouse or the new one, never a half-written one:

    with DatabaseDraft(db, "checking", rerun="trustmart check") as draft:
        draft.copy_published()
        ...                      # read and write draft.path
        draft.publish()

Leaving the block without publishing (an error) removes the sibling, or,
with `keep_failed`, keeps it beside the published file as
`<name>.failed.duckdb` for inspection; a later successful publish removes
that file. With `rerun`, `publish` refuses to replace a published file that
was itself replaced (rebuilt, checked) since the draft started: the work
was done on the old one.

All of it is about the DuckDB file (copy, write-ahead log, rename); it
opens the file through the warehouse seam (trustmart.warehouse) only to
checkpoint it. A Spark build writes its databases in place and publishes
nothing here (trustmart.build).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from types import TracebackType

from trustmart.errors import TrustmartError
from trustmart.warehouse import open_duckdb


class DatabaseDraft:
    """A sibling working copy of the published DuckDB file `published`.

    purpose: names the sibling (`.<stem>.<purpose>.duckdb`), e.g. "building".
    keep_failed: a draft abandoned on an error is kept as `<stem>.failed.duckdb`.
    rerun: the command to run again when the published file was replaced
    while the draft was worked on; None: no such check.
    """

    def __init__(
        self,
        published: Path,
        purpose: str,
        *,
        keep_failed: bool = False,
        rerun: str | None = None,
    ) -> None:
        self.published = Path(published)
        self.path = self.published.with_name(f".{self.published.stem}.{purpose}.duckdb")
        self.failed = self.published.with_name(f"{self.published.stem}.failed.duckdb")
        self.keep_failed = keep_failed
        self.rerun = rerun
        self._stamp: tuple[int, int, int] | None = None
        self._done = False

    def __enter__(self) -> DatabaseDraft:
        """Remove what an earlier, interrupted draft left; note the published
        file's identity (to detect its replacement)."""
        self.published.parent.mkdir(parents=True, exist_ok=True)
        remove_database(self.path)
        if self.rerun is not None:
            self._stamp = _stamp(self.published)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._done:
            if self.keep_failed:
                self.set_aside()
            remove_database(self.path)

    def copy_published(self) -> None:
        """Start from a copy of the published file (and its write-ahead log)."""
        shutil.copyfile(self.published, self.path)
        if wal(self.published).exists():
            shutil.copyfile(wal(self.published), wal(self.path))

    def set_aside(self) -> Path | None:
        """Keep the draft (and its write-ahead log) as `<stem>.failed.duckdb`;
        returns that path, or None when there was no draft yet."""
        if not self.path.exists():
            return None
        remove_database(self.failed)
        os.replace(self.path, self.failed)
        if wal(self.path).exists():
            os.replace(wal(self.path), wal(self.failed))
        self._done = True
        return self.failed

    def publish(self) -> Path:
        """Checkpoint the draft and rename it over the published file; returns
        the published path. Raises TrustmartError (and publishes nothing) when
        `rerun` is set and the published file was replaced meanwhile."""
        checkpoint(self.path)
        if self.rerun is not None and _stamp(self.published) != self._stamp:
            raise TrustmartError(
                f"{self.published} was replaced (rebuilt?) while `{self.rerun}` worked on a "
                "copy of it; its results were not recorded.",
                f"Run `{self.rerun}` again.",
            )
        os.replace(self.path, self.published)
        self._done = True
        if self.keep_failed:
            remove_database(self.failed)
        return self.published


def checkpoint(path: Path) -> None:
    """Fold any write-ahead log into the file so one rename publishes all."""
    if wal(path).exists():
        with open_duckdb(path, read_only=False) as con:
            con.execute("checkpoint")


def wal(path: Path) -> Path:
    """DuckDB's write-ahead log of the database file `path`."""
    return Path(f"{path}.wal")


def remove_database(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if there."""
    for stale in (path, wal(path)):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """The file's identity and version (inode, size, mtime); None when missing."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns

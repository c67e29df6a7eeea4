"""Publishing a built static site in one step (`trustmart report`), and
the folders other commands publish inside a site (`trustmart docs`).

A site folder is replaced whole: the new site is swapped in with one
renameat2(2) RENAME_EXCHANGE (see `publish_site`). Folders of `KEPT_FOLDERS`
inside the old site are not the report's own: `trustmart docs` publishes the
dbt docs at `<site>/dbt-docs`, the report links them, and a report rebuild
carries them into the new site. Writers of one site take turns through its
lock (`site_lock`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from trustmart.errors import ReportError

#: The dbt docs folder inside a report site (`trustmart docs`; the report links it).
DOCS_FOLDER = "dbt-docs"
#: Folders inside a site that other commands publish and a new site keeps.
KEPT_FOLDERS = (DOCS_FOLDER,)


@contextlib.contextmanager
def site_lock(target: Path) -> Iterator[None]:
    """One build at a time into `target` (a lock file beside it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.trustmart.lock"
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_replaceable(target: Path) -> None:
    """`target` may receive the site: absent, empty, an earlier build, or
    holding only folders of `KEPT_FOLDERS` (docs published before the site)."""
    if not target.exists():
        return
    is_build = (target / "index.html").is_file() and (target / "_app").is_dir()
    only_kept = target.is_dir() and {p.name for p in target.iterdir()} <= set(KEPT_FOLDERS)
    if not (target.is_dir() and (is_build or only_kept)):
        raise ReportError(
            f"{target} exists and is not an earlier report build; not overwriting it.",
            "Choose an empty or new folder for --out.",
        )


#: renameat2(2) flag: swap two existing paths atomically (Linux 3.15+).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def publish_site(built: Path, target: Path) -> None:
    """Put the site at `built` in place at `target` in one step.

    The new site is first moved (or, across file systems, copied) to a
    hidden folder beside `target` (`.<name>.trustmart-new-*`, same file
    system), then swapped with `target` by a single renameat2(2) call with
    RENAME_EXCHANGE: the path `target` goes from the old complete site to the
    new complete one at once, and stays a plain directory. The old site,
    now at the hidden name, is deleted straight away, so versions do not
    pile up; leftovers of an interrupted publish are deleted by the next
    publish to the same folder (the caller holds the folder's lock). When
    `target` does not exist yet, a plain rename puts the site there. The
    folders of `KEPT_FOLDERS` in the old site (the dbt docs) are copied into
    the new one first, unless it has its own.

    Why not the other usual way, `target` as a symlink to a versioned
    folder replaced by renaming a new symlink over it: `target` would stop
    being a directory (tools that copy, serve or delete it then act on a
    link), an existing directory could not be turned into a link atomically
    anyway, and old versions would need their own clean-up. RENAME_EXCHANGE
    needs Linux and a local file system (ext4, xfs, btrfs, tmpfs, overlayfs);
    where the file system refuses it (e.g. NFS), the swap falls back to two
    renames in a row, and a reader may find no site for that instant.
    """
    target = Path(target)
    check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.trustmart-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.trustmart-new-", dir=target.parent))
    try:
        try:
            os.rename(built, staging)  # replaces the empty folder
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            shutil.copytree(built, staging, symlinks=True, dirs_exist_ok=True)
        _carry_over(target, staging)
        if target.exists():
            _exchange(staging, target)  # staging now holds the old site
        else:
            os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _carry_over(old: Path, new: Path) -> None:
    """Copy the folders of `KEPT_FOLDERS` from the old site into the new one."""
    for name in KEPT_FOLDERS:
        if (old / name).is_dir() and not (new / name).exists():
            shutil.copytree(old / name, new / name, symlinks=True)


def _exchange(first: Path, second: Path) -> None:
    """Swap two existing paths in one step (renameat2 RENAME_EXCHANGE)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        renameat2.argtypes += [ctypes.c_uint]
        renameat2.restype = ctypes.c_int
        result = renameat2(
            _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
        )
        if result == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(first), None, str(second))
    # No RENAME_EXCHANGE here: two renames, with a moment without `second`.
    aside = Path(tempfile.mkdtemp(prefix=f".{second.name}.trustmart-old-", dir=second.parent))
    os.rename(second, aside)
    os.rename(first, second)
    os.rename(aside, first)

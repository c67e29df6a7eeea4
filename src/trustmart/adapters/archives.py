"""Find the data files behind the paths given to an importer.

A path may be a data file, a folder (searched recursively) or a zip
archive; archives may hold data files and further archives (the DSA dumps
are zips of zips of CSV chunks). Archive members are extracted into a
scratch folder under safe generated names; each file keeps a label saying
where it came from (`outer.zip!inner.zip!chunk.csv`).
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from trustmart.errors import TrustmartError

#: Archives nested deeper than this are refused (a zip bomb guard).
MAX_ZIP_DEPTH = 4


@dataclass(frozen=True)
class InputFile:
    """A readable data file and where it came from."""

    path: Path
    label: str


@dataclass
class Inputs:
    """The data files found, and archive members that were not data files."""

    files: list[InputFile] = field(default_factory=list)
    ignored_members: list[str] = field(default_factory=list)
    extracted: int = 0


def _is_data(name: str, suffixes: tuple[str, ...]) -> bool:
    return name.lower().endswith(suffixes)


def expand_inputs(paths: Sequence[Path], work_dir: Path, suffixes: tuple[str, ...]) -> Inputs:
    """The data files (names ending in `suffixes`) behind `paths`, in order."""
    found = Inputs()
    for path in paths:
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file())
            for member in members:
                if _is_data(member.name, suffixes):
                    found.files.append(InputFile(member, str(member)))
                elif member.name.lower().endswith(".zip"):
                    _expand_zip(member, str(member), work_dir, found, suffixes, 1)
        elif path.is_file() and path.name.lower().endswith(".zip"):
            _expand_zip(path, str(path), work_dir, found, suffixes, 1)
        elif path.is_file() and _is_data(path.name, suffixes):
            found.files.append(InputFile(path, str(path)))
        elif not path.exists():
            raise TrustmartError(f"Input {path} does not exist.", "Check the path and try again.")
        else:
            raise TrustmartError(
                f"Input {path} is not a {', '.join(suffixes)} file, a .zip or a folder.",
                "Pass the dump files (or the folders or zips holding them).",
            )
    if not found.files:
        raise TrustmartError(
            f"No {' or '.join(suffixes)} files found in {', '.join(map(str, paths))}.",
            "Pass the dump files, or the folders or zips that hold them.",
        )
    return found


def _expand_zip(
    archive: Path,
    label: str,
    work_dir: Path,
    found: Inputs,
    suffixes: tuple[str, ...],
    depth: int,
) -> None:
    if depth > MAX_ZIP_DEPTH:
        raise TrustmartError(
            f"{label} nests archives more than {MAX_ZIP_DEPTH} deep.",
            "Unpack it by hand and pass the data files.",
        )
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as error:
        raise TrustmartError(
            f"{label} is not a readable zip file ({error}).", "Re-download it."
        ) from error
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            name = PurePosixPath(info.filename).name
            member_label = f"{label}!{info.filename}"
            if name.startswith(".") or info.filename.startswith("__MACOSX/"):
                found.ignored_members.append(member_label)
                continue
            is_zip = name.lower().endswith(".zip")
            if not is_zip and not _is_data(name, suffixes):
                found.ignored_members.append(member_label)
                continue
            found.extracted += 1
            target = work_dir / f"{found.extracted:06d}-{name}"
            with zf.open(info) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, length=1 << 20)
            if is_zip:
                _expand_zip(target, member_label, work_dir, found, suffixes, depth + 1)
                target.unlink()
            else:
                found.files.append(InputFile(target, member_label))

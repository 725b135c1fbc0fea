"""OutputFiles -> the output folder: inside it only, atomic, unchanged files left alone."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import SiteError
from .outputs import OutputFile

MARKER = ".sitegen-output"
"""Marks a folder sitegen built, so it may remove files the site no longer produces."""


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What writing the site did."""

    written: int
    unchanged: int
    removed: int


def safe_dest(out_dir: Path, dest_path: str) -> Path:
    """The absolute path of `dest_path`, which must stay inside `out_dir`.

    Raises:
        SiteError: for an absolute path, a `..` segment or a path that leaves the folder.
    """
    pure = PurePosixPath(dest_path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in dest_path or not pure.parts:
        raise SiteError(f"refusing to write outside the output folder: {dest_path!r}")
    target = out_dir / pure
    if not target.resolve().is_relative_to(out_dir.resolve()):
        raise SiteError(f"refusing to write outside the output folder: {dest_path!r}")
    return target


def check_output_dir(out_dir: Path, site_root: Path) -> None:
    """Refuse an output folder that holds the site, or a folder sitegen did not make.

    Raises:
        SiteError: when writing there could delete the writer's own files.
    """
    out, root = out_dir.resolve(), site_root.resolve()
    if root.is_relative_to(out):
        raise SiteError(f"output folder {out_dir} contains the site itself; choose another (such as output/)")
    for inner in ("content", "themes", "static"):
        if out.is_relative_to(root / inner):
            raise SiteError(f"output folder {out_dir} is inside the site's {inner}/ folder; choose another")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise SiteError(
            f"output folder {out_dir} is not empty and was not made by sitegen; "
            "empty it or choose another, so that no file of yours is deleted"
        )


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False


def _same_file(target: Path, source: Path) -> bool:
    try:
        if target.stat().st_size != source.stat().st_size:
            return False
        return target.read_bytes() == source.read_bytes()
    except OSError:
        return False


def _replace(target: Path, data: bytes) -> None:
    """Write through a temporary file so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.sitegen-tmp")
    temp.write_bytes(data)
    os.replace(temp, target)


def check_unique(files: Iterable[OutputFile]) -> None:
    """Two outputs at one path would silently overwrite each other.

    Raises:
        SiteError: naming the path produced twice.
    """
    seen: set[str] = set()
    for file in files:
        key = file.dest_path.casefold()
        if key in seen:
            raise SiteError(f"two files would be written to {file.dest_path}: rename one of them")
        seen.add(key)


def write_site(out_dir: Path, files: list[OutputFile]) -> WriteReport:
    """Write `files` under `out_dir`, skip identical ones and remove files no longer produced."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if not (out_dir / MARKER).exists():
        (out_dir / MARKER).touch()
    targets = {safe_dest(out_dir, f.dest_path): f for f in files}
    written = unchanged = 0
    for target, file in targets.items():
        if file.data is not None:
            same = _same_bytes(target, file.data)
            if not same:
                _replace(target, file.data)
        else:
            assert file.source is not None
            same = _same_file(target, file.source)
            if not same:
                target.parent.mkdir(parents=True, exist_ok=True)
                temp = target.with_name(f".{target.name}.sitegen-tmp")
                shutil.copyfile(file.source, temp)
                os.replace(temp, target)
        written += not same
        unchanged += same
    removed = _remove_stale(out_dir, set(targets))
    return WriteReport(written, unchanged, removed)


def _remove_stale(out_dir: Path, keep: set[Path]) -> int:
    removed = 0
    for dirpath, _dirnames, filenames in os.walk(out_dir, topdown=False):
        folder = Path(dirpath)
        for name in filenames:
            path = folder / name
            if path not in keep and not (folder == out_dir and name == MARKER):
                path.unlink()
                removed += 1
        if folder != out_dir and not any(folder.iterdir()):
            folder.rmdir()
    return removed

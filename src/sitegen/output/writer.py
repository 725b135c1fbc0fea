"""OutputFiles -> the output folder: inside it only, atomic, unchanged files left alone."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import SiteError
from .files import OutputFile

MARKER = ".sitegen-output"
"""Marks a folder sitegen built, so it may remove files the site no longer produces."""


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What writing the site did."""

    written: int
    unchanged: int
    removed: int


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


def _refuse(dest_path: str) -> SiteError:
    return SiteError(f"refusing to write outside the output folder: {dest_path!r}")


class Stager:
    """Writes files beside their place in the output folder, as temporary files, never outside it.

    Made once per build and inherited by forked render workers. Paths stay text and each folder
    is checked once (one lstat), not every path resolved in full: pathlib and the resolving were a
    fifth of the time it takes to render a page.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.top = os.fspath(out_dir)
        self.verified: set[str] = set()
        """Folders of the output seen to exist and to be real folders, not symlinks."""

    def _checked(self, dest_path: str) -> tuple[str, bool]:
        """The absolute path of `dest_path` (as text), which must stay inside the output folder,
        and whether its folder is known to exist.

        Raises:
            SiteError: for an absolute path, a `..` segment, or a path through a symlink (which
                could lead out of the folder).
        """
        parts = dest_path.split("/")
        if "" in parts or "." in parts:  # spelled oddly ("a//b", "./a"): let pathlib normalise it
            pure = PurePosixPath(dest_path)
            if not pure.parts or pure.is_absolute():
                raise _refuse(dest_path)
            parts = list(pure.parts)
        if ".." in parts or "\\" in dest_path:
            raise _refuse(dest_path)
        top = self.top
        target = os.path.join(top, *parts)
        folder = os.path.dirname(target)
        while len(folder) > len(top) and folder not in self.verified:
            try:
                if stat.S_ISLNK(os.lstat(folder).st_mode):
                    raise _refuse(dest_path)
                self.verified.add(folder)
            except FileNotFoundError:
                pass  # made when the file is staged
            folder = os.path.dirname(folder)
        return target, os.path.dirname(target) in self.verified or len(parts) == 1

    def safe_dest(self, dest_path: str) -> Path:
        """The absolute path of `dest_path`, which must stay inside the output folder.

        Raises:
            SiteError: for an absolute path, a `..` segment, or a path through a symlink.
        """
        target, _ = self._checked(dest_path)
        if os.path.islink(target):
            raise _refuse(dest_path)
        return Path(target)

    def stage_bytes(self, dest_path: str, data: bytes) -> str | None:
        """Write `data` beside its destination as a temporary file, unless the file already holds it.

        Returns:
            The temporary file (as text: it travels from worker processes, 11,000 at a time),
            which `OutputWriter.commit` moves into place; None when unchanged.

        Raises:
            SiteError: when `dest_path` would lead outside the output folder (see safe_dest).
        """
        target, folder_exists = self._checked(dest_path)
        try:
            now = os.lstat(target)
        except FileNotFoundError:
            pass
        else:
            if stat.S_ISLNK(now.st_mode):
                raise _refuse(dest_path)
            if now.st_size == len(data):
                with open(target, "rb") as current:
                    if current.read() == data:
                        return None
        folder = os.path.dirname(target)
        if not folder_exists:
            os.makedirs(folder, exist_ok=True)
            while folder not in self.verified and len(folder) > len(self.top):
                self.verified.add(folder)  # made just now: real folders
                folder = os.path.dirname(folder)
        temp = _temp_for(target)
        with open(temp, "wb") as staged:
            staged.write(data)
        return temp


TEMP_SUFFIX = ".sitegen-tmp"


def _temp_for(target: Path | str) -> str:
    folder, name = os.path.split(os.fspath(target))
    return os.path.join(folder, f".{name}{TEMP_SUFFIX}")


def _same_copy(target: Path, source: Path) -> bool:
    """Copies keep their source's modification time, so size and time tell an unchanged copy."""
    try:
        a, b = target.stat(), source.stat()
    except OSError:
        return False
    return a.st_size == b.st_size and a.st_mtime_ns == b.st_mtime_ns


def output_owner(out_dir: Path) -> str:
    """What the output folder's marker says made it (see OutputWriter's `owner`); "" if unknown."""
    try:
        return (out_dir / MARKER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


class OutputWriter:
    """Writes a build into its output folder in two steps: stage every changed file next to its
    destination, then move them all into place, so a failed build leaves the last good output."""

    def __init__(self, out_dir: Path, owner: str = "") -> None:
        self.out_dir = out_dir
        self.owner = owner
        """The build cache that makes this build (its identity), written in the marker on commit."""
        self.stager = Stager(out_dir)
        self.staged: list[str] = []
        self.unchanged = 0

    def prepare(self) -> None:
        """Create the folder and its marker."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        if not (self.out_dir / MARKER).exists():
            (self.out_dir / MARKER).touch()

    def add_staged(self, temps: list[str | None]) -> None:
        """Record files staged elsewhere (by worker processes); None counts as unchanged."""
        for temp in temps:
            if temp is None:
                self.unchanged += 1
            else:
                self.staged.append(temp)

    def stage(self, file: OutputFile) -> None:
        """Stage one file (bytes or a copy) if it differs from what the output holds."""
        if file.data is not None:
            self.add_staged([self.stager.stage_bytes(file.dest_path, file.data)])
            return
        assert file.source is not None
        target = self.stager.safe_dest(file.dest_path)
        if _same_copy(target, file.source):
            self.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = _temp_for(target)
        shutil.copy2(file.source, temp)
        self.staged.append(temp)

    def commit(self) -> list[str]:
        """Move every staged file into place; return their paths in the output."""
        written = []
        top = os.path.join(os.fspath(self.out_dir), "")
        for temp in self.staged:
            folder, name = os.path.split(temp)
            target = os.path.join(folder, name[1 : -len(TEMP_SUFFIX)])
            os.replace(temp, target)
            inside = target[len(top) :] if target.startswith(top) else os.path.relpath(target, top)
            written.append(inside.replace(os.sep, "/"))
        self.staged = []
        if self.owner and output_owner(self.out_dir) != self.owner:
            marker = self.out_dir / MARKER
            temp = _temp_for(marker)
            Path(temp).write_text(self.owner + "\n", encoding="utf-8")
            os.replace(temp, marker)
        return written

    def abort(self) -> None:
        """Delete the staged files: the output stays as the last good build left it."""
        for temp in self.staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
        self.staged = []


def remove_stale(out_dir: Path, keep: set[str], previous: set[str] | None) -> list[str]:
    """Remove what the site no longer produces: the previous build's files not in `keep`, or,
    when the previous build is unknown, every file of the folder not in `keep`. Return their paths."""
    if previous is not None:
        removed = []
        for dest in sorted(previous - keep):
            path = out_dir / dest
            if path.is_file():
                path.unlink()
                removed.append(dest)
                _prune_empty(path.parent, out_dir)
        return removed
    return _remove_unknown(out_dir, keep)


def _prune_empty(folder: Path, out_dir: Path) -> None:
    while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _remove_unknown(out_dir: Path, keep: set[str]) -> list[str]:
    # paths as text: a Path for each of 11,000 files cost more than the walk itself
    removed = []
    top = os.fspath(out_dir)
    for dirpath, _dirnames, filenames in os.walk(top, topdown=False):
        relative = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in filenames:
            dest = prefix + name
            if dest not in keep and dest != MARKER:
                os.unlink(os.path.join(dirpath, name))
                removed.append(dest)
        if prefix and not os.listdir(dirpath):
            os.rmdir(dirpath)
    return removed

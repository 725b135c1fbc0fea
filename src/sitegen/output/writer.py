"""OutputFiles -> the output folder: inside it only, all at once or marked unfinished, unchanged
files left alone.

A build stages every changed file in the output folder's own `.sitegen-staging/` (beside its place,
so that moving it in is a rename), then commits: it writes a journal of every move and removal
(`.sitegen-commit`), makes them, and, once the build cache has recorded the build, deletes the
journal and the staging folder. Killed at any moment, a build leaves the last good site as it
was (and staged files the next build deletes first), or a journal: the output is then unfinished,
`sitegen check` says so, and the next build finishes the commit before anything else.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import SiteError
from .files import OutputFile

MARKER = ".sitegen-output"
"""Marks a folder sitegen built, so it may remove files the site no longer produces."""
STAGING = ".sitegen-staging"
"""Where a build stages its files: removed when it ends, and by the next build if it did not."""
JOURNAL = ".sitegen-commit"
"""The moves and removals of a commit under way: present only while one is, or was interrupted."""
CLOCK = ".sitegen-clock"
"""A file made and removed at once to read the output folder's clock (see routes/unchanged.py)."""
OWN_FILES = frozenset({MARKER, STAGING, JOURNAL, CLOCK})
"""sitegen's own entries of an output folder: never site files, never removed as stale."""
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What writing the site did."""

    written: int
    unchanged: int
    removed: int


class DiskFull(SiteError):
    """No space was left on the output's device while staging a file."""


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
    if out.exists() and not out.is_dir():
        raise SiteError(f"output folder {out_dir} is a file: remove it or choose another folder (--output)")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise SiteError(
            f"output folder {out_dir} is not empty and was not made by sitegen; "
            "empty it or choose another, so that no file of yours is deleted"
        )


def _refuse(dest_path: str) -> SiteError:
    return SiteError(f"refusing to write outside the output folder: {dest_path!r}")


def cannot_write(exc: OSError, where: str) -> SiteError:
    """A SiteError for an error of the file system while writing `where` (a path in the output)."""
    if exc.errno in _DISK_FULL:
        return DiskFull(f"no space left on the device while writing {where}: free some space and build again")
    if exc.errno == errno.ENAMETOOLONG:
        return SiteError(f"cannot write {where}: a name in it is too long for the file system (shorten its slug)")
    reason = exc.strerror or type(exc).__name__
    return SiteError(f"cannot write {where}: {reason}")


class Stager:
    """Stages files for the output folder, never outside it.

    Made once per build and inherited by forked render workers (each names its files with its
    process id). Paths stay text and each folder is checked once (one lstat), not every path
    resolved in full: pathlib and the resolving were a fifth of the time it takes to render a page.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.top = os.fspath(out_dir)
        self.staging = os.path.join(self.top, STAGING)
        self.verified: set[str] = set()
        """Folders of the output seen to exist and to be real folders, not symlinks."""
        self._numbers = itertools.count()
        self._staging_made_by: int | None = None

    def target(self, dest_path: str) -> tuple[str, bool]:
        """The absolute path of `dest_path` (as text), which must stay inside the output folder,
        and whether its folder is known to exist.

        Raises:
            SiteError: for an absolute path, a `..` segment, one of sitegen's own names, or a path
                through a symlink (which could lead out of the folder).
        """
        parts = dest_path.split("/")
        if "" in parts or "." in parts:  # spelled oddly ("a//b", "./a"): let pathlib normalise it
            pure = PurePosixPath(dest_path)
            if not pure.parts or pure.is_absolute():
                raise _refuse(dest_path)
            parts = list(pure.parts)
        if ".." in parts or "\\" in dest_path or parts[0] in OWN_FILES:
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
                pass  # made when the file is committed
            folder = os.path.dirname(folder)
        return target, os.path.dirname(target) in self.verified or len(parts) == 1

    def _unchanged(self, target: str, dest_path: str, data: bytes) -> bool:
        try:
            now = os.lstat(target)
        except FileNotFoundError:
            return False
        if stat.S_ISLNK(now.st_mode):
            raise _refuse(dest_path)
        if now.st_size != len(data):
            return False
        with open(target, "rb") as current:
            return current.read() == data

    def forget_staging(self) -> None:
        """The staging folder was deleted: make it again for the next file staged."""
        self._staging_made_by = None

    def _temp(self) -> str:
        pid = os.getpid()
        if self._staging_made_by != pid:
            os.makedirs(self.staging, exist_ok=True)
            self._staging_made_by = pid
        return f"{pid}-{next(self._numbers)}"

    def stage_bytes(self, dest_path: str, data: bytes) -> tuple[str, str] | None:
        """Stage `data` for `dest_path`, unless the file there already holds it.

        Returns:
            (the staged file's name in the staging folder, dest_path), which `OutputWriter.commit`
            moves into place; None when unchanged. (Text: they travel from worker processes,
            11,000 at a time.)

        Raises:
            SiteError: when `dest_path` would lead outside the output folder, or cannot be written
                (DiskFull when the device is full).
        """
        target, _ = self.target(dest_path)
        if self._unchanged(target, dest_path, data):
            return None
        try:
            temp = self._temp()
            with open(os.path.join(self.staging, temp), "wb") as staged:
                staged.write(data)
        except OSError as exc:
            raise cannot_write(exc, dest_path) from None
        return temp, dest_path

    def stage_copy(self, dest_path: str, source: Path) -> tuple[str, str] | None:
        """Stage a copy of `source` for `dest_path`, unless the file there is that copy already
        (copies keep their source's modification time: size and time tell an unchanged one)."""
        target, _ = self.target(dest_path)
        try:
            now, wanted = os.lstat(target), source.stat()
        except OSError:
            pass
        else:
            if stat.S_ISLNK(now.st_mode):
                raise _refuse(dest_path)
            if now.st_size == wanted.st_size and now.st_mtime_ns == wanted.st_mtime_ns:
                return None
        try:
            temp = self._temp()
            shutil.copy2(source, os.path.join(self.staging, temp))
        except OSError as exc:
            raise cannot_write(exc, dest_path) from None
        return temp, dest_path


def output_owner(out_dir: Path) -> str:
    """What the output folder's marker says made it (see OutputWriter's `owner`); "" if unknown."""
    try:
        return (out_dir / MARKER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def is_unfinished(out_dir: Path) -> bool:
    """Whether a commit into `out_dir` was interrupted (see the module's docstring)."""
    return (out_dir / JOURNAL).exists()


class OutputWriter:
    """Writes a build into its output folder: stage every changed file, then commit them all."""

    def __init__(self, out_dir: Path, owner: str = "") -> None:
        self.out_dir = out_dir
        self.owner = owner
        """The build cache that makes this build (its identity), written in the marker on commit."""
        self.stager = Stager(out_dir)
        self.staged: list[tuple[str, str]] = []
        self.unchanged = 0

    def prepare(self) -> None:
        """Create the folder and its marker.

        Raises:
            SiteError: when the folder cannot be made (a read-only place, a name too long).
        """
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            (self.out_dir / MARKER).touch()
        except OSError as exc:
            raise cannot_write(exc, str(self.out_dir)) from None

    def add_staged(self, staged: Iterable[tuple[str, str] | None]) -> None:
        """Record files staged elsewhere (by worker processes); None counts as unchanged."""
        for item in staged:
            if item is None:
                self.unchanged += 1
            else:
                self.staged.append(item)

    def stage(self, file: OutputFile) -> None:
        """Stage one file (bytes or a copy) if it differs from what the output holds."""
        if file.data is not None:
            self.add_staged([self.stager.stage_bytes(file.dest_path, file.data)])
        else:
            assert file.source is not None
            self.add_staged([self.stager.stage_copy(file.dest_path, file.source)])

    def commit(self, removals: Iterable[str] = ()) -> tuple[list[str], list[str]]:
        """Move every staged file into place and remove `removals` (paths in the output), after a
        journal of both (see the module's docstring); return (written, removed). Call `finish`
        once the build is recorded.

        Raises:
            SiteError: when the file system refuses (the journal then stays: the output is unfinished).
        """
        removals = sorted(removals)
        journal = {"moves": [list(item) for item in self.staged], "removals": removals}
        try:
            _write_atomically(self.out_dir / JOURNAL, json.dumps(journal).encode("utf-8"))
            written = _apply(self.out_dir, self.stager, self.staged)
            removed = remove_files(self.out_dir, removals)
            if self.owner and output_owner(self.out_dir) != self.owner:
                # in place, not replaced: a build in progress holds a lock on this file (lock.py)
                with open(self.out_dir / MARKER, "r+", encoding="utf-8") as marker:
                    marker.truncate()
                    marker.write(self.owner + "\n")
        except OSError as exc:
            raise cannot_write(exc, str(self.out_dir)) from None
        self.staged = []
        return written, removed

    def finish(self) -> None:
        """The build is recorded: the commit is over (its journal and staged files go)."""
        with contextlib.suppress(FileNotFoundError):
            (self.out_dir / JOURNAL).unlink()
        self.abort()

    def abort(self) -> None:
        """Delete the staged files: the output stays as the last good build left it."""
        shutil.rmtree(self.stager.staging, ignore_errors=True)
        self.stager.forget_staging()
        self.staged = []


def _write_atomically(path: Path, data: bytes) -> None:
    temp = path.with_name(path.name + ".new")
    with open(temp, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)


def _apply(out_dir: Path, stager: Stager, moves: Iterable[tuple[str, str] | list[str]]) -> list[str]:
    """Move staged files into place (those still staged: a commit may be finished twice)."""
    written = []
    made: set[str] = set()
    for temp, dest in moves:
        source = os.path.join(stager.staging, temp)
        if not os.path.exists(source):
            continue
        target, folder_exists = stager.target(dest)
        folder = os.path.dirname(target)
        if not folder_exists and folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        os.replace(source, target)
        written.append(dest)
    return written


def finish_interrupted(out_dir: Path) -> bool:
    """Finish a commit an interrupted build left (see the module's docstring), and delete what any
    earlier build staged. Returns whether there was a commit to finish: the build cache's record of
    this folder is then not to be trusted.

    Raises:
        SiteError: when the file system refuses.
    """
    journal_path = out_dir / JOURNAL
    stager = Stager(out_dir)
    finished = False
    try:
        if journal_path.exists():
            try:
                journal = json.loads(journal_path.read_bytes())
                moves = [(str(temp), str(dest)) for temp, dest in journal["moves"]]
                removals = [str(dest) for dest in journal["removals"]]
            except (ValueError, KeyError, TypeError):
                moves, removals = [], []  # torn: the next build makes every file again anyway
            _apply(out_dir, stager, moves)
            remove_files(out_dir, removals)
            journal_path.unlink()
            finished = True
        _empty_staging(stager.staging)
        (out_dir / (JOURNAL + ".new")).unlink(missing_ok=True)
    except OSError as exc:
        raise cannot_write(exc, str(out_dir)) from None
    return finished


def _empty_staging(staging: str) -> None:
    """Delete what earlier builds staged (but the note of which build holds the lock, see lock.py)."""
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(staging):
            if entry.name == "build.pid":
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)


def stale_files(out_dir: Path, keep: set[str], previous: set[str] | None) -> list[str]:
    """What the site no longer produces: the previous build's files not in `keep`, or, when the
    previous build is unknown, every file (and link) of the folder not in `keep`."""
    if previous is not None:
        return sorted(previous - keep)
    found = []
    top = os.fspath(out_dir)
    for dirpath, dirnames, filenames in os.walk(top):  # links are listed, never followed
        relative = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        if not prefix:
            dirnames[:] = [d for d in dirnames if d not in OWN_FILES]
        links = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in (*filenames, *links):
            dest = prefix + name
            if dest not in keep and dest not in OWN_FILES:
                found.append(dest)
    return sorted(found)


def remove_files(out_dir: Path, dests: Iterable[str]) -> list[str]:
    """Remove files of the output folder, and the folders they leave empty; return those removed.

    A link is removed itself and never followed: a folder of the output replaced by a link to
    another folder loses the link, never the other folder's files.
    """
    removed = []
    top = os.fspath(out_dir)
    for dest in dests:
        parts = dest.split("/")
        if ".." in parts or not dest or parts[0] in OWN_FILES:
            continue
        path = top
        for number, part in enumerate(parts, start=1):
            path = os.path.join(path, part)
            try:
                info = os.lstat(path)
            except FileNotFoundError:
                break
            if stat.S_ISLNK(info.st_mode) or number == len(parts):
                if not stat.S_ISDIR(info.st_mode):
                    os.unlink(path)
                    removed.append(dest)
                    _prune_empty(os.path.dirname(path), top)
                break
    return removed


def _prune_empty(folder: str, top: str) -> None:
    while len(folder) > len(top) and os.path.isdir(folder) and not os.path.islink(folder) and not os.listdir(folder):
        os.rmdir(folder)
        folder = os.path.dirname(folder)

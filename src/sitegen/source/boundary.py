"""The site folder's boundary: sitegen reads nothing outside it, except the folders site.yaml names.

A site may come from a stranger's pull request, built in CI where the environment holds tokens: a
symlink in content/ to /proc/self/environ, or a template that includes a link to ~/.ssh/id_rsa,
would publish what it points to. So every file sitegen reads is looked at before it is read: a
link must lead inside the site folder or into a folder of `allow_outside:`, and /proc, /sys, /dev,
devices, FIFOs and sockets are never read (a FIFO would hang the build; /dev/zero never ends).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError

NEVER_READ = ("/proc", "/sys", "/dev")
"""Folders whose files are never read, even when site.yaml allows them (devices, FIFOs and sockets
anywhere are refused by their kind)."""
TMPFS = "/dev/shm"
"""The one folder of /dev that holds ordinary files (a memory file system), where sites may live."""
_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def never_read(real: str) -> bool:
    """Whether `real` (a resolved path) lies in a folder sitegen never reads."""
    return any(_within(real, folder) for folder in NEVER_READ) and not _within(real, TMPFS)


@dataclass(frozen=True, slots=True)
class Boundary:
    """Where the files of one site may lead."""

    root: str
    """The site folder, resolved."""
    allowed: tuple[str, ...] = ()
    """The folders outside it that site.yaml allows (allow_outside:), resolved."""
    trusted: tuple[str, ...] = ()
    """sitegen's own folders (its packaged themes), resolved."""

    @classmethod
    def of(cls, root: Path, allowed: Iterable[str] = (), trusted: Iterable[Path] = ()) -> Boundary:
        """The boundary of the site at `root`, with the outside folders `allowed` (as site.yaml
        names them, relative to the site) and sitegen's own `trusted` folders."""
        real_root = os.path.realpath(root)
        return cls(
            real_root,
            tuple(os.path.realpath(os.path.join(real_root, folder)) for folder in allowed),
            tuple(os.path.realpath(folder) for folder in trusted),
        )

    def admits(self, real: str) -> bool:
        """Whether a resolved path may be read."""
        if never_read(real):
            return False
        return any(_within(real, folder) for folder in (self.root, *self.allowed, *self.trusted))

    def check_link(self, src_path: str, target: str) -> None:
        """Refuse a link (at `src_path`, as the site names it) whose resolved `target` may not be read.

        Raises:
            SiteError: naming the link and its target.
        """
        if never_read(target):
            raise SiteError(f"links to {target}, which sitegen never reads", src_path)
        if not self.admits(target):
            raise SiteError(
                f"links to {target}, outside the site folder",
                src_path,
                hint="sitegen reads nothing outside the site unless site.yaml lists the folder under allow_outside:",
            )

    def kind_of(self, entry: os.DirEntry[str], src_path: str) -> str:
        """"file" or "folder", for an entry sitegen may read (following a link within the boundary).

        Raises:
            SiteError: for a link that leads outside, a link to nothing, a FIFO, socket or device,
                or a name that is not UTF-8 (what a page's address and the build cache need).
        """
        try:
            entry.name.encode("utf-8")
        except UnicodeEncodeError:
            shown = src_path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise SiteError("its name is not UTF-8 text: rename it", shown) from None
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            self.check_link(src_path, target)
            try:
                mode = os.stat(target).st_mode
            except OSError:
                raise SiteError(f"links to {target}, which does not exist", src_path) from None
        elif entry.is_dir(follow_symlinks=False):
            return "folder"
        elif entry.is_file(follow_symlinks=False):
            return "file"
        else:
            mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISDIR(mode):
            return "folder"
        if stat.S_ISREG(mode):
            return "file"
        kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise SiteError(f"is {kind}, not a file sitegen reads", src_path)

    def check_path(self, path: Path, src_path: str) -> None:
        """Refuse a file or folder the site names at `src_path` (`path` on disk) that leads outside.

        Raises:
            SiteError: naming it and where it leads.
        """
        real = os.path.realpath(path)
        if real != os.path.abspath(path) or not self.admits(real):
            self.check_link(src_path, real)


def walk(
    folder: Path,
    prefix: str,
    boundary: Boundary,
    ignored: tuple[str, ...] = (),
    seen: set[tuple[int, int]] | None = None,
    errors: list[SiteError] | None = None,
) -> Iterator[tuple[str, str]]:
    """(absolute path, path as the site names it) of every regular file under `folder`, sorted (a
    folder's files, then each of its folders), following links that stay within `boundary`, and
    skipping names that start with `ignored`. (Paths as text: making a Path of each of 10,000
    files was a tenth of a rebuild.)

    Args:
        prefix: `folder` as the site names it ("content/posts/").
        seen: the folders (device, inode) walked already, shared by walks of one tree: a link back
            to one of them is a loop, and is not followed again.
        errors: where to collect the problems found (else the first is raised), each file at fault
            being left out.

    Raises:
        SiteError: for a link that leads outside, a link to nothing, or a FIFO, socket or device.
    """
    seen = set() if seen is None else seen
    todo = [(os.fspath(folder), prefix)]
    while todo:
        dirpath, rel = todo.pop()
        info = os.stat(dirpath)
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(dirpath) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        folders = []
        for entry in entries:
            name = entry.name
            if ignored and (name.startswith(ignored) or name.endswith("~")):
                continue
            try:
                kind = boundary.kind_of(entry, rel + name)
            except SiteError as exc:
                if errors is None:
                    raise
                errors.append(exc)
                continue
            if kind == "folder":
                folders.append((entry.path, rel + name + "/"))
            else:
                yield entry.path, rel + name
        todo.extend(reversed(folders))


def linked_folders(folder: Path, boundary: Boundary) -> list[Path]:
    """The folders that links under `folder` lead to (within the boundary), each once: where a
    watcher must look besides `folder` itself."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    todo = [folder]
    while todo:
        current = todo.pop()
        try:
            info = os.stat(current)
            entries = list(os.scandir(current))
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        for entry in entries:
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if os.path.isdir(target) and boundary.admits(target):
                    found.append(Path(target))
                    todo.append(Path(target))
            elif entry.is_dir(follow_symlinks=False):
                todo.append(Path(entry.path))
    return found

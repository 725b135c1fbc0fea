"""The only importer of watchfiles: watch a site's sources, and say which saves a build reads.

Watchers run in their own threads and never pause: changes made while a rebuild runs queue up
for the next one (see loop.py).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from ..source.boundary import Boundary, linked_folders

Changes = set[tuple[watchfiles.Change, str]]


def watch_roots(
    root: Path, theme_dirs: Iterable[Path], boundary: Boundary, config: Path | None = None
) -> tuple[list[Path], list[Path]]:
    """(folders to watch recursively, folders to watch without their subfolders).

    The site folder itself is watched flat, for site.yaml, so that output/ and the build cache
    are never watched (and so is the folder of a --config file that lies elsewhere); content/,
    static/ and themes/ are watched wherever their links lead within `boundary` (each folder
    once, whatever loops links make).
    """
    deep = [root / name for name in ("content", "themes", "static") if (root / name).is_dir()]
    deep += [d for d in theme_dirs if not d.resolve().is_relative_to(root.resolve())]
    for folder in list(deep):
        if folder.is_symlink() and boundary.admits(os.path.realpath(folder)):
            deep.append(folder.resolve())
        deep += linked_folders(folder, boundary)
    unique: list[Path] = []
    for path in deep:
        if path.resolve() not in {u.resolve() for u in unique}:
            unique.append(path)
    flat = [root]
    if config is not None and config.parent.resolve() != root.resolve():
        flat.append(config.parent)
    return unique, flat


def _watch_into(
    paths: list[Path],
    recursive: bool,
    into: queue.SimpleQueue[Changes],
    stop: threading.Event,
    stop_all: threading.Event,
) -> None:
    paths = [p for p in paths if p.exists()]
    while paths and not stop.is_set() and not stop_all.is_set():
        try:
            for changes in watchfiles.watch(
                *paths, recursive=recursive, stop_event=stop, step=30, debounce=400, raise_interrupt=False
            ):
                into.put(changes)
                if stop_all.is_set():
                    return
            return
        except Exception:
            # Watch again, and have the site looked at in full once the new watcher runs (saves
            # made meanwhile were not seen): the build names what is wrong, such as a file name
            # that is not UTF-8, which the watcher cannot read.
            paths = [p for p in paths if p.exists()]
            everything = {(watchfiles.Change.modified, str(path)) for path in paths}
            threading.Timer(RESTART_SECONDS, into.put, (everything,)).start()


RESTART_SECONDS = 0.5
"""After a watcher fails and starts again, when the site is looked at in full."""
TOP_FOLDERS = ("content", "themes", "static")
"""The site's folders watched in depth: made again (deleted and restored), they are watched again."""


class Watchers:
    """The watchers of one site: its folders in depth, the site folder itself flat (for site.yaml,
    so that output/ and the build cache are never watched). Every batch of changes lands in `changes`."""

    def __init__(self, root: Path, roots: Callable[[], tuple[list[Path], list[Path]]]) -> None:
        self.root = root
        self.roots = roots
        """Where to watch now (see watch_roots): asked again when the folders change."""
        self.changes: queue.SimpleQueue[Changes] = queue.SimpleQueue()
        self.stop = threading.Event()
        self._deep_stop = threading.Event()

    def start(self) -> None:
        """Start watching."""
        deep, flat = self.roots()
        self._start(deep, True, self._deep_stop)
        self._start(flat, False, self.stop)

    def _start(self, paths: list[Path], recursive: bool, stop: threading.Event) -> None:
        args = (paths, recursive, self.changes, stop, self.stop)
        threading.Thread(target=_watch_into, args=args, daemon=True).start()

    def follow(self, changes: Changes) -> None:
        """Watch the site's folders again when one of them was made (a watcher loses a folder that
        is deleted, and does not see it come back)."""
        top = self.root.resolve()
        made = any(
            change == watchfiles.Change.added and Path(raw).parent.resolve() == top and Path(raw).name in TOP_FOLDERS
            for change, raw in changes
        )
        if made:
            self._deep_stop.set()
            self._deep_stop = threading.Event()
            self._start(self.roots()[0], True, self._deep_stop)

    def close(self) -> None:
        """Stop every watcher."""
        self.stop.set()
        self._deep_stop.set()


def relevant(changes: Changes, root: Path) -> list[str]:
    """The changed paths a build reads (of the site folder's own entries: site.yaml or another
    settings file, and its folders themselves, removed or made again)."""
    found = []
    top = root.resolve()
    for _change, raw in changes:
        path = Path(raw)
        # site.yaml, or the settings file of --config (a needless build of another finds nothing to do)
        settings = path.suffix in (".yaml", ".yml")
        if path.parent.resolve() == top and not settings and path.name not in TOP_FOLDERS:
            continue
        found.append(raw)
    return found

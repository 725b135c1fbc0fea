"""The only importer of watchfiles: watch a site's sources, and say which saves a build reads.

Watchers run in their own threads and never pause: changes made while a rebuild runs queue up
for the next one (see loop.py).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable
from pathlib import Path

import watchfiles

from ..source.boundary import Boundary, linked_folders

Changes = set[tuple[watchfiles.Change, str]]


def watch_roots(root: Path, theme_dirs: Iterable[Path], boundary: Boundary) -> tuple[list[Path], list[Path]]:
    """(folders to watch recursively, folders to watch without their subfolders).

    The site folder itself is watched flat, for site.yaml, so that output/ and the build cache
    are never watched; content/, static/ and themes/ are watched wherever their links lead within
    `boundary` (each folder once, whatever loops links make).
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
    return unique, [root]


def _watch_into(paths: list[Path], recursive: bool, into: queue.SimpleQueue[Changes], stop: threading.Event) -> None:
    if not paths:
        return
    for changes in watchfiles.watch(
        *paths, recursive=recursive, stop_event=stop, step=30, debounce=400, raise_interrupt=False
    ):
        into.put(changes)


def start_watchers(deep: list[Path], flat: list[Path], stop: threading.Event) -> queue.SimpleQueue[Changes]:
    """Start watching; every batch of changes lands in the returned queue."""
    changes: queue.SimpleQueue[Changes] = queue.SimpleQueue()
    for paths, recursive in ((deep, True), (flat, False)):
        thread = threading.Thread(target=_watch_into, args=(paths, recursive, changes, stop), daemon=True)
        thread.start()
    return changes


def relevant(changes: Changes, root: Path) -> list[str]:
    """The changed paths a build reads (the site folder's own files: only site.yaml)."""
    found = []
    top = root.resolve()
    for _change, raw in changes:
        path = Path(raw)
        if path.parent.resolve() == top and path.name != "site.yaml":
            continue
        found.append(raw)
    return found

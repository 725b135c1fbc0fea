"""The only importer of watchfiles: watch a site's sources and rebuild on every save.

Watchers run in their own threads and never pause: changes made while a rebuild runs queue up
and start the next rebuild, which takes everything queued at once (an editor's temp file,
rename and touch give one rebuild). A failed build keeps the last good output.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from .build import Builder, BuildReport
from .errors import SiteError, SiteErrors

log = logging.getLogger("sitegen")

Changes = set[tuple[watchfiles.Change, str]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rebuild: its report, or the errors that stopped it."""

    report: BuildReport | None
    errors: tuple[SiteError, ...] = ()
    seconds: float = 0.0
    changed_sources: tuple[str, ...] = ()


def watch_roots(root: Path, theme_dirs: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(folders to watch recursively, folders to watch without their subfolders).

    The site folder itself is watched flat, for site.yaml, so that output/ and the build cache
    are never watched; content/ is watched wherever its symlinks lead.
    """
    deep = [root / name for name in ("content", "themes", "static") if (root / name).is_dir()]
    deep += [d for d in theme_dirs if not d.resolve().is_relative_to(root.resolve())]
    content = root / "content"
    for dirpath, dirnames, _files in os.walk(content, followlinks=True):
        for name in dirnames:
            path = Path(dirpath) / name
            if path.is_symlink():
                deep.append(path.resolve())
    if content.is_symlink():
        deep.append(content.resolve())
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


def build_once(builder: Builder, changed: tuple[str, ...] = ()) -> Outcome:
    """Build, turning a site error into an Outcome instead of an exception."""
    started = time.perf_counter()
    try:
        report = builder.build(changed or None)
    except SiteError as exc:
        return Outcome(None, (exc,), time.perf_counter() - started, changed)
    except SiteErrors as exc:
        return Outcome(None, exc.errors, time.perf_counter() - started, changed)
    return Outcome(report, (), time.perf_counter() - started, changed)


def rebuild_forever(
    builder: Builder,
    changes: queue.SimpleQueue[Changes],
    root: Path,
    on_outcome: Callable[[Outcome], None],
    stop: threading.Event,
    on_quick: Callable[[list[str], float], None] | None = None,
) -> None:
    """Rebuild after each batch of changes (and whatever queued up meanwhile) until `stop`.

    With `on_quick`, an edited post's own page is rewritten first (see Builder.quick_page) and
    reported before the full rebuild."""
    while not stop.is_set():
        try:
            batch = changes.get(timeout=0.2)
        except queue.Empty:
            continue
        while True:  # take everything saved so far: one rebuild for a burst of writes
            try:
                batch |= changes.get_nowait()
            except queue.Empty:
                break
        changed = relevant(batch, root)
        if not changed:
            continue
        if on_quick is not None:
            started = time.perf_counter()
            written = builder.quick_page(changed)
            if written:
                on_quick(written, time.perf_counter() - started)
        on_outcome(build_once(builder, tuple(sorted(changed))))

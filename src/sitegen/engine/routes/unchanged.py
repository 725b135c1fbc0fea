"""Route: nothing changed since the last build into this folder, so there is nothing to do."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable

from ...output.writer import CLOCK, WriteReport
from .. import keys
from ..options import BuildReport, Route
from ..session import Session


def output_clock(out_dir: str) -> int:
    """The output folder's file system's time now: the time it gives a file made there (and
    removed at once; no output is touched). Folder times come from that clock (coarse on Linux,
    whole seconds on some file systems), never the process's, so "changed since" compares like
    with like. 0 when no file can be made there: then every folder is listed. (One name, one of
    the output folder's own: the build holds the folder's lock, and a file a killed build left is
    never published, and is replaced.)"""
    path = os.path.join(out_dir, CLOCK)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return 0
    try:
        return os.fstat(handle).st_ctime_ns
    finally:
        os.close(handle)
        os.unlink(path)


def outputs_in_place(session: Session) -> int | None:
    """How many files the last build into the output folder made, when they are all still there
    (see outputs_exist), which is then recorded; None when one is missing."""
    cache, out_dir = session.cache, session.options.out_dir
    looked = output_clock(str(out_dir))  # before looking: a folder changed while we look is listed next time
    folders = cache.output_folders(out_dir)
    if not outputs_exist(str(out_dir), folders, cache.outputs_seen(out_dir)):
        return None
    cache.save_outputs_seen(out_dir, looked)
    return sum(names.count("/") + 1 for _folder, names in folders)


def outputs_exist(out_dir: str, folders: Iterable[tuple[str, str]], seen: int = 0) -> bool:
    """Whether every file of the last build is still in the output folder, by folder (see
    BuildCache.output_folders): one whose change time is before `seen` (the output clock when all
    were last found there, see BuildCache.outputs_seen) has had nothing created or deleted in it
    since, and only the others are listed. The change time (ctime), not the modification time: a
    folder copied back with its old times (`cp -a`, `rsync -a`) has an old mtime, but setting it
    changed its ctime, which nothing can set back. (Text paths: a Path for each output cost 50 ms.)"""
    for folder, names in folders:
        path = os.path.join(out_dir, folder)
        try:
            if os.stat(path).st_ctime_ns < seen:
                continue
            with os.scandir(path) as entries:
                files = {entry.name for entry in entries if entry.is_file()}
        except OSError:
            return False
        if not files.issuperset(names.split("/")):
            return False
    return True


def attempt(session: Session) -> BuildReport | None:
    """The report of a build with nothing to do, or None when there may be something: a file was
    read again, an input changed since the last build into this folder, a post came due, or an
    output is missing."""
    scan, out_dir = session.scan, session.options.out_dir
    if scan.to_read or scan.known.keys() != scan.keys.keys():
        return None
    last = session.cache.last_build(out_dir)
    if last is None or last.inputs_key != keys.inputs_key(session.site_key, scan.copied_key, scan.keys):
        return None
    if last.came_due(session.now):
        return None
    unchanged = outputs_in_place(session)
    if unchanged is None:
        return None
    return session.report(Route.UNCHANGED, last.counts, WriteReport(0, unchanged, 0), last.warnings)

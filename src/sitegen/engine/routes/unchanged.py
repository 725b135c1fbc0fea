"""Route: nothing changed since the last build into this folder, so there is nothing to do."""

from __future__ import annotations

import os

from ...output.writer import WriteReport
from .. import keys
from ..options import BuildReport, Route
from ..session import Session


def outputs_exist(out_dir: str, dests: list[str]) -> bool:
    """Whether every file of the last build is still in the output folder. (Text paths: a Path
    for each of 11,000 outputs cost 50 ms.)"""
    return all(os.path.isfile(os.path.join(out_dir, dest)) for dest in dests)


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
    dests = session.cache.output_paths(out_dir)
    if not outputs_exist(str(out_dir), dests):
        return None
    return session.report(Route.UNCHANGED, last.counts, WriteReport(0, len(dests), 0), last.warnings)

"""Stage: every Markdown file's record and rendered body, parsing (on every core) only what
neither the memory nor the cache holds."""

from __future__ import annotations

from typing import NamedTuple

from ..errors import SiteError, SiteWarning
from ..markup.rendered import Rendered
from ..source.records import Sources
from ..source.validate import ContentLoader
from .memory import Lifetime, ScanResult
from .records import CachedParse, FileState
from .session import Session
from .store import FileRecord, StoredParse
from .workers import PARSE_CHUNK, ParseState, cached_parse, inherited, parse_chunk, run_all

SNAPSHOT_SLACK = 0.05
"""Share of files that may differ from the snapshot before it is written again."""
STORE_BATCH = 256
"""Parse results written to the cache at a time."""


class Loaded(NamedTuple):
    """What content/ holds, validated, with every body rendered."""

    sources: Sources
    bodies: dict[str, Rendered]
    """By src_path; the HTML is in the body store."""
    parsed: int
    """How many files were parsed (the others came from the memory or the cache)."""


def load_sources(session: Session) -> Loaded:
    """Every Markdown file's record and rendered body.

    Raises:
        SiteError: or SiteErrors, every problem of every file.
    """
    memory, cache, scan = session.memory, session.cache, session.scan
    parses = memory.parses
    snapshot_loaded = bool(parses)
    if not parses:
        parses.update(cache.snapshot())
        snapshot_loaded = bool(parses)
    file_keys = dict(scan.keys)
    errors: list[SiteError] = []
    fresh: list[StoredParse] = []
    files: list[FileRecord] = []
    seen: dict[str, FileState] = {}
    parsed = 0
    state = ParseState(session.config, scan.settings_key, scan.cached, cache.db_path)
    progress = session.options.progress("reading", len(scan.to_read))
    chunks = [scan.to_read[i : i + PARSE_CHUNK] for i in range(0, len(scan.to_read), PARSE_CHUNK)]
    try:
        with inherited(state):
            done = run_all(parse_chunk, chunks, session.workers, lambda c: progress.advance(len(c)), min_items=6)
            for item in (item for chunk in done for item in chunk):
                if isinstance(item.result, SiteError):
                    errors.append(item.result)
                    continue
                file_keys[item.src_path] = item.key
                if not item.stored:
                    files.append(FileRecord(item.src_path, item.stamp, item.digest))
                seen[item.src_path] = FileState(item.stamp, item.digest)
                if item.result is not None:
                    parses[item.key] = cached_parse(item.result, item.key)
                    if not item.stored:
                        fresh.append(StoredParse(item.key, parses[item.key], item.result.html, item.result.text))
                    parsed += 1
                if len(fresh) >= STORE_BATCH:  # never hold every post's HTML at once
                    cache.store(fresh, files)
                    fresh, files = [], []
    finally:
        progress.close()
    cache.store(fresh, files)
    missing = [k for k in file_keys.values() if k not in parses]
    parses.update(cache.parses(missing))
    in_order = [file_keys[f.src_path] for f in scan.scan.markdown if f.src_path in file_keys]  # deterministic
    memory.parses = kept = {k: parses[k] for k in in_order}  # forget what no file uses any more
    sources = _finish(session, list(kept.values()), errors)
    gone = set(scan.known) - set(file_keys)
    if gone:
        cache.forget_files(gone, set(file_keys.values()))
    # The snapshot is rewritten when much changed; a few files the next build reads one by one.
    stale = parsed + len(gone) + len(missing)
    if memory.lifetime is Lifetime.ONE_SHOT and (
        stale > SNAPSHOT_SLACK * len(file_keys) or (stale and not snapshot_loaded)
    ):
        session.timed("snapshot", lambda: cache.save_snapshot(kept))  # (part of "load")
    bodies = {p.record.src_path: p.rendered for p in kept.values()}
    # what the next build of a long-lived builder starts from
    known = {**scan.known, **seen}
    memory.remember_scan(ScanResult(scan.scan, scan.settings_key, known, frozenset(), file_keys, [], scan.copied_key))
    return Loaded(sources, bodies, parsed)


def _finish(session: Session, parses: list[CachedParse], errors: list[SiteError]) -> Sources:
    """Check what spans files and place the assets (see source.validate.ContentLoader.finish)."""
    warnings: list[SiteWarning] = [w for p in parses for w in p.warnings]
    return ContentLoader(session.config).finish(session.scan.scan, [p.record for p in parses], warnings, errors)


"""Which files changed since the last build: by modification time, size and inode, reading none."""

from __future__ import annotations

import os
from collections.abc import Iterable

from ..source.config import SiteConfig
from ..source.scan import ContentScan, scan_content
from . import keys
from .memory import BuildMemory, ScanResult
from .store import BuildCache


def scan_for_changes(
    config: SiteConfig, cache: BuildCache, memory: BuildMemory, changed: Iterable[str] | None
) -> ScanResult:
    """The site's files, and which of them to read again.

    Args:
        changed: the files saved since the last build, when a watcher knows them: a long-lived
            builder then looks at those alone instead of every file of the site.
    """
    settings_key = keys.parse_settings_key(config)
    if changed is not None:
        watched = _scan_watched(memory, settings_key, changed)
        if watched is not None:
            return watched
    scan = scan_content(config, config.boundary())
    known = cache.file_states()
    cached = frozenset(cache.keys()) | frozenset(memory.parses)
    file_keys: dict[str, str] = {}
    to_read = []
    for file in scan.markdown:
        before = known.get(file.src_path)
        try:
            unchanged = before is not None and keys.file_stamp(os.stat(file.abs_text)) == before.stamp
        except OSError:
            unchanged = False
        key = keys.parse_key(settings_key, file.section, file.src_path, before.digest) if unchanged and before else ""
        if key in cached:
            file_keys[file.src_path] = key
        else:  # new, touched, or parsed under other settings: read it (a worker does)
            to_read.append(file)
    return ScanResult(scan, settings_key, known, cached, file_keys, to_read, copied_key(scan))


def _scan_watched(memory: BuildMemory, settings_key: str, changed: Iterable[str]) -> ScanResult | None:
    """The last build's scan with the watcher's changed files to read again, when every one of
    them is a Markdown file the last build read; None sends the build to a full scan."""
    last = memory.scan
    if last is None or last.settings_key != settings_key:
        return None
    to_read = [memory.file_at(path) for path in changed]
    found = [f for f in to_read if f is not None]
    if len(found) != len(to_read) or not all(f.abs_path.is_file() for f in found):
        return None  # a new, deleted or non-Markdown file: look at everything
    reread = {f.src_path for f in found}
    file_keys = {path: key for path, key in last.keys.items() if path not in reread}
    return ScanResult(last.scan, settings_key, last.known, frozenset(memory.parses), file_keys, found, last.copied_key)


def copied_key(scan: ContentScan) -> str:
    """The key of every file a build copies as it is (see keys.copied_files_key)."""
    stamps = []
    for file in scan.copied():
        try:
            stamps.append((file.src_path, keys.file_stamp(os.stat(file.abs_text))))
        except OSError:  # gone since the scan: the next build sees it
            stamps.append((file.src_path, "?"))
    return keys.copied_files_key(stamps)

"""What a builder remembers between its builds, and how long it lives."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ..model.site import Post, Site
from ..render.templates import Renderer
from ..source.config import SiteConfig
from ..source.scan import ContentScan, SiteFile
from .pictures import PictureReader
from .plan import SitePlan
from .records import CachedParse, FileState, OutputState


class Lifetime(Enum):
    """How long a builder lives, which decides what it keeps where.

    A one-shot builder (`sitegen build`) makes one build in its process: it keeps what the next
    run needs in the cache (the parse results in one piece, the page-key memos and the edit
    index), tries the text-edit route (routes/text_edit.py), and lets go of the parse results
    before the render workers fork, so that they do not copy them page by page.

    A long-lived builder (`sitegen serve`, `build --watch`) keeps all of that in memory instead,
    where saving it would cost more than its rebuilds, and assembles the site every time (it has
    the last one in memory, which the text-edit route exists to avoid).
    """

    ONE_SHOT = "one-shot"
    LONG_LIVED = "long-lived"

    @property
    def saves_for_next_run(self) -> bool:
        """Whether to save the snapshot, key memos and edit index in the cache."""
        return self is Lifetime.ONE_SHOT


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Which Markdown files changed since the last build, by modification time, size and inode."""

    scan: ContentScan
    settings_key: str
    """See keys.parse_settings_key."""
    known: dict[str, FileState]
    """What each file looked like at the last build."""
    cached: frozenset[str]
    """The parse keys the cache or the memory holds."""
    keys: dict[str, str]
    """src_path -> parse key, for the files whose stamp is unchanged."""
    to_read: list[SiteFile]
    """The new and changed files, and those parsed under other settings."""
    copied_key: str
    """See keys.copied_files_key."""


@dataclass(slots=True)
class LastRender:
    """The last site a long-lived builder rendered, for the dev server's quick page."""

    config: SiteConfig
    site: Site
    plan: SitePlan
    renderer: Renderer


@dataclass
class BuildMemory:
    """Everything a builder keeps in memory from one build to the next (see Lifetime)."""

    lifetime: Lifetime
    cache_identity: str = ""
    """The cache the rest was made with (see BuildCache.identity)."""
    parses: dict[str, CachedParse] = field(default_factory=dict)
    """Parse results by key, from this process's earlier builds (their HTML is in the cache)."""
    site_key: str = ""
    """The site key the posts and key memos below were made under."""
    posts: dict[str, Post] = field(default_factory=dict)
    """Posts by source key (see model.assemble.assemble_site)."""
    meta_keys: dict[str, str] = field(default_factory=dict)
    hashes: dict[tuple[str, ...], str] = field(default_factory=dict)
    """The page-key memos (see engine.plan.SitePlan)."""
    outputs: dict[str, OutputState] | None = None
    """What the last build wrote; None: ask the cache."""
    scan: ScanResult | None = None
    """The last good build's scan, with every file's key, for a watcher's next build."""
    last_render: LastRender | None = None
    files_by_path: dict[str, SiteFile] | None = None
    """The last scan's Markdown files by absolute path (made once per scan)."""
    pictures: PictureReader = field(default_factory=PictureReader)
    """Images' sizes and hashes, by file stamp."""

    def forget(self) -> None:
        """Drop what earlier builds left in memory."""
        self.parses, self.site_key, self.posts, self.meta_keys, self.hashes = {}, "", {}, {}, {}
        self.outputs = self.scan = self.last_render = self.files_by_path = None
        self.pictures = PictureReader()

    def forget_site(self, site_key: str) -> None:
        """Drop the posts and page keys made under other settings than `site_key`."""
        self.site_key, self.posts, self.meta_keys, self.hashes = site_key, {}, {}, {}

    def index_files(self) -> dict[str, SiteFile]:
        """The last scan's Markdown files by absolute path (made once per scan)."""
        if self.files_by_path is None:
            files = self.scan.scan.markdown if self.scan is not None else ()
            self.files_by_path = {os.path.abspath(f.abs_text): f for f in files}
        return self.files_by_path

    def file_at(self, path: str) -> SiteFile | None:
        """The Markdown file of the last scan at `path` (as a watcher names it), if any."""
        return self.index_files().get(os.path.abspath(path)) if self.scan is not None else None

    def remember_scan(self, scan: ScanResult) -> None:
        """Keep the scan of a good build for the next one."""
        if self.scan is None or self.scan.scan is not scan.scan:
            self.files_by_path = None
        self.scan = scan

    def previous_outputs(self, out_dir: Path) -> dict[str, OutputState] | None:
        """What the last build into `out_dir` wrote, when this memory knows (else ask the cache)."""
        return self.outputs if self.outputs is not None and out_dir.is_dir() else None

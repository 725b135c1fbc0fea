"""Orchestration: run the named stages in order and report what was built."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urljoin

from .assemble import assemble_site
from .config import SiteConfig, load_config
from .content import load_sources
from .feeds import render_feeds
from .markup import render_markdown
from .model import Rendered
from .outputs import OutputFile
from .seo import render_robots, render_sitemap
from .sources import Sources
from .theme import URL_SAFE, load_theme, render_pages, static_files
from .writer import WriteReport, check_output_dir, check_unique, write_site

log = logging.getLogger("sitegen")
T = TypeVar("T")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where, into what, and with which overrides."""

    root: Path
    output: Path | None = None
    """Defaults to root/output."""
    drafts: bool = False
    base_url: str | None = None
    now: datetime | None = None
    """The build's clock (tests freeze it); posts dated later are future posts."""

    @property
    def out_dir(self) -> Path:
        """The folder the site is written to."""
        return self.output if self.output is not None else self.root / "output"


@dataclass(frozen=True)
class BuildReport:
    """What a build produced, for the summary line."""

    posts: int
    pages: int
    feeds: int
    static: int
    write: WriteReport
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def default_now() -> datetime:
    """The build's clock when none is given: now, in UTC."""
    return datetime.now(UTC)


def render_bodies(config: SiteConfig, sources: Sources) -> dict[str, Rendered]:
    """Render the Markdown of every post, page and author bio, by source path."""
    allow_html = config.markdown_html
    bodies = {p.src_path: render_markdown(p.body, allow_html) for p in sources.posts}
    bodies.update((p.src_path, render_markdown(p.body, allow_html)) for p in sources.pages)
    bodies.update((a.src_path, render_markdown(a.body, allow_html)) for a in sources.authors)
    return bodies


def absolute_for(config: SiteConfig) -> Callable[[str], str]:
    """A function turning a site-relative URL into an absolute, percent-encoded one."""
    base = config.url

    def absolute(site_url: str) -> str:
        return urljoin(base, quote(site_url.lstrip("/"), safe=URL_SAFE))

    return absolute


def build(options: BuildOptions) -> BuildReport:
    """Build the site at `options.root` into its output folder.

    Everything is rendered in memory first; the output folder is touched only once every
    page rendered, so a failed build leaves the last good output as it was.

    Raises:
        SiteError: or SiteErrors, for anything wrong in the site.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def stage(name: str, func: Callable[[], T]) -> T:
        begun = time.perf_counter()
        result = func()
        timings[name] = time.perf_counter() - begun
        log.debug("%-10s %7.1f ms", name, timings[name] * 1000)
        return result

    config = load_config(options.root, options.base_url)
    check_output_dir(options.out_dir, options.root)
    theme = load_theme(config)
    sources = stage("load", lambda: load_sources(config))
    bodies = stage("markdown", lambda: render_bodies(config, sources))
    now = options.now or default_now()
    site = stage("assemble", lambda: assemble_site(config, sources, bodies, now, options.drafts))
    absolute = absolute_for(config)
    pages = stage("render", lambda: render_pages(site, theme))
    copies = static_files(theme) + [
        OutputFile(a.dest_path, source=a.abs_src_path, kind="static") for a in sources.assets
    ]
    asset_sizes = {"/" + a.dest_path: a.abs_src_path.stat().st_size for a in sources.assets}
    feeds = render_feeds(site, absolute, asset_sizes)
    meta = [render_sitemap(site, absolute), render_robots(absolute)]
    files = pages + feeds + meta + copies
    check_unique(files)
    report = stage("write", lambda: write_site(options.out_dir, files))
    return BuildReport(
        posts=len(site.posts),
        pages=len(pages),
        feeds=len(feeds),
        static=len(copies),
        write=report,
        seconds=time.perf_counter() - started,
        timings=timings,
        warnings=sources.warnings,
    )

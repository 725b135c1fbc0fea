"""Source records: what content/ holds, validated, before any Markdown is rendered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import SiteError, SiteWarning
from .newsletter import Response, Subscribe


@dataclass(frozen=True, slots=True)
class SourceAuthor:
    """content/authors/<id>.md, validated."""

    id: str
    src_path: str
    name: str
    tagline: str
    photo: str | None
    email: str | None
    links: tuple[tuple[str, str], ...]
    subscribe: Subscribe | None
    body: str


@dataclass(frozen=True, slots=True)
class SourcePost:
    """One post file, validated, with its final URL."""

    src_path: str
    """POSIX path relative to the site folder, as shown in errors."""
    title: str
    slug: str
    date: datetime
    url: str
    author_ids: tuple[str, ...]
    body: str
    body_line: int
    subtitle: str | None = None
    updated: datetime | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    draft: bool = False
    image: str | None = None
    canonical_url: str | None = None
    feed_id: str | None = None
    """The post's `id:`, kept in feeds when its URL changes."""
    toc: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    positions: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    """1-based (line, column) of each front matter key, for errors found later."""
    responses: tuple[Response, ...] = ()
    """Readers' responses, shown under the post."""
    issue: int | None = None
    """The issue number written in front matter (else site.yaml's numbering: auto gives one)."""
    image_alt: str | None = None
    """What the cover image shows, for readers who cannot see it."""
    image_credit: str | None = None
    """Who made the cover image."""
    aliases: tuple[str, ...] = ()
    """Its old addresses, each answered by a redirect to it (/2019/05/old-post/)."""

    def error(self, key: str, message: str, hint: str | None = None) -> SiteError:
        """A SiteError pointing at `key` in this post's front matter."""
        line, column = self.positions.get(key, (1, 1))
        return SiteError(message, self.src_path, line, column, hint)


@dataclass(frozen=True, slots=True)
class SourcePage:
    """One file of content/pages/."""

    src_path: str
    title: str
    slug: str
    url: str
    body: str
    subtitle: str | None = None
    summary: str | None = None
    draft: bool = False
    image: str | None = None
    toc: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    positions: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    """1-based (line, column) of each front matter key, for errors found later."""


@dataclass(frozen=True, slots=True)
class Asset:
    """A file copied to the output as is."""

    abs_src_path: Path
    dest_path: str
    """POSIX path relative to the output folder."""


@dataclass(frozen=True, slots=True)
class Sources:
    """Everything content/ holds."""

    posts: tuple[SourcePost, ...]
    """Every post, drafts and future ones included; the model filters."""
    pages: tuple[SourcePage, ...]
    authors: tuple[SourceAuthor, ...]
    assets: tuple[Asset, ...]
    warnings: tuple[SiteWarning, ...] = ()


Record = SourcePost | SourcePage | SourceAuthor
"""The record of any Markdown file of content/."""

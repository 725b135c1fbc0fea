"""List a site's files without reading them: the Markdown of content/, and the files copied as they are."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError, raise_collected
from .boundary import Boundary, walk
from .config import SiteConfig

SECTIONS = ("posts", "pages", "authors")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Files editors and systems leave behind; never content.
IGNORED_PREFIXES = (".", "_", "~", "#")


@dataclass(frozen=True, slots=True)
class SiteFile:
    """One file of the site folder."""

    section: str
    """"posts", "pages" or "authors" for a file of that folder of content/; "" for any other."""
    abs_text: str
    """The absolute path as text: making a Path of each of 10,000 files was a tenth of a rebuild."""
    src_path: str
    """POSIX, relative to the site folder."""

    @property
    def abs_path(self) -> Path:
        """The absolute path."""
        return Path(self.abs_text)

    @property
    def is_markdown(self) -> bool:
        """Whether the file is Markdown (a post, a page or an author when in their section)."""
        return self.src_path.lower().endswith(MARKDOWN_SUFFIXES)


@dataclass(frozen=True, slots=True)
class ContentScan:
    """What content/ and static/ hold, before any file is read."""

    markdown: tuple[SiteFile, ...]
    """The posts, pages and authors: authors first, then posts, then pages."""
    by_section: dict[str, list[SiteFile]]
    """Every file of content/posts/, content/pages/ and content/authors/, Markdown or not."""
    other: tuple[SiteFile, ...]
    """The other files of content/, copied as they are."""
    static: tuple[SiteFile, ...]
    """The files of static/, copied to the output's root."""

    def copied(self) -> Iterator[SiteFile]:
        """Every file a build copies as it is: the files of content/ that are not Markdown, and static/."""
        for files in (*self.by_section.values(), self.other, self.static):
            for file in files:
                if not (file.section and file.is_markdown):
                    yield file


def scan_content(config: SiteConfig, boundary: Boundary) -> ContentScan:
    """List content/'s files by section, and static/'s, following links within `boundary` (reads
    no file).

    Raises:
        SiteError: or SiteErrors, when there is no content/ folder, or for links that lead
            outside the site and files sitegen never reads.
    """
    content = config.content_dir
    if not content.is_dir():
        raise SiteError("no content/ folder: add content/posts/ with a first post", content)
    errors: list[SiteError] = []
    by_section: dict[str, list[SiteFile]] = {s: [] for s in SECTIONS}
    other: list[SiteFile] = []
    seen: set[tuple[int, int]] = set()
    for section, rel in _content_folders(content, boundary, errors):
        files = by_section[section] if section else other
        if rel.endswith("/"):
            files.extend(_walked(content / rel, "content/" + rel, section, boundary, seen, errors))
        else:
            files.append(SiteFile("", os.path.join(content, rel), "content/" + rel))
    markdown = tuple(f for section in ("authors", "posts", "pages") for f in by_section[section] if f.is_markdown)
    static_dir = config.root / "static"
    static: tuple[SiteFile, ...] = ()
    if static_dir.is_dir():
        static = tuple(_walked(static_dir, "static/", "", boundary, set(), errors, "static"))
    raise_collected(errors)
    return ContentScan(markdown, by_section, tuple(other), static)


def _content_folders(content: Path, boundary: Boundary, errors: list[SiteError]) -> list[tuple[str, str]]:
    """(section, name) of each file ("name") and folder ("name/") right in content/, in order: its
    files first, then each folder, as one walk of content/ gives them."""
    try:
        boundary.check_path(content, "content")
        with os.scandir(content) as listing:
            entries = sorted((e for e in listing if not e.name.startswith(IGNORED_PREFIXES)), key=lambda e: e.name)
    except SiteError as exc:
        errors.append(exc)
        return []
    files, folders = [], []
    for entry in entries:
        try:
            kind = boundary.kind_of(entry, f"content/{entry.name}")
        except SiteError as exc:
            errors.append(exc)
            continue
        if kind == "folder":
            folders.append((entry.name if entry.name in SECTIONS else "", entry.name + "/"))
        elif not entry.name.endswith("~"):
            files.append(("", entry.name))
    return files + folders


def _walked(
    folder: Path,
    prefix: str,
    section: str,
    boundary: Boundary,
    seen: set[tuple[int, int]],
    errors: list[SiteError],
    name: str = "",
) -> list[SiteFile]:
    """The files under `folder` (see boundary.walk), or none and an error."""
    try:
        boundary.check_path(folder, name or prefix.rstrip("/"))
        found = walk(folder, prefix, boundary, IGNORED_PREFIXES, seen, errors)
        return [SiteFile(section, abs_text, src_path) for abs_text, src_path in found]
    except SiteError as exc:
        errors.append(exc)
        return []

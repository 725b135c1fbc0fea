"""List a site's files without reading them: the Markdown of content/, and the files copied as they are."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
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


def walk(folder: Path, root: Path, section: str = "", seen: set[tuple[int, int]] | None = None) -> Iterator[SiteFile]:
    """Every file under `folder`, sorted, following symlinked folders, skipping hidden ones.

    Args:
        section: the section the files belong to.
        seen: the folders (device, inode) walked already, shared by walks of one tree: a symlink
            back to one of them is a loop.
    """
    seen = set() if seen is None else seen
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
        stat = os.stat(dirpath)
        if (stat.st_dev, stat.st_ino) in seen:  # a symlink loop
            dirnames[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(IGNORED_PREFIXES))
        # paths as strings: pathlib's parsing was a tenth of a rebuild at 10,000 posts
        prefix = os.path.relpath(dirpath, root).replace(os.sep, "/") + "/"
        for name in sorted(filenames):
            if name.startswith(IGNORED_PREFIXES) or name.endswith("~"):
                continue
            yield SiteFile(section, os.path.join(dirpath, name), prefix + name)


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


def scan_content(config: SiteConfig) -> ContentScan:
    """List content/'s files by section, and static/'s, following symlinks (reads no file).

    Raises:
        SiteError: when there is no content/ folder.
    """
    content = config.content_dir
    if not content.is_dir():
        raise SiteError("no content/ folder: add content/posts/ with a first post", content)
    by_section: dict[str, list[SiteFile]] = {s: [] for s in SECTIONS}
    other: list[SiteFile] = []
    top = os.stat(content)
    seen = {(top.st_dev, top.st_ino)}
    prefix = os.path.relpath(content, config.root).replace(os.sep, "/") + "/"
    # content/'s own files, then each folder in order, as one walk of content/ would give them
    names = sorted(n for n in os.listdir(content) if not n.startswith(IGNORED_PREFIXES))
    folders = [n for n in names if os.path.isdir(os.path.join(content, n))]
    for name in names:
        if name not in folders and not name.endswith("~"):
            other.append(SiteFile("", os.path.join(content, name), prefix + name))
    for name in folders:
        section = name if name in by_section else ""
        found = walk(content / name, config.root, section, seen)
        (by_section[section] if section else other).extend(found)
    markdown = tuple(f for section in ("authors", "posts", "pages") for f in by_section[section] if f.is_markdown)
    static_dir = config.root / "static"
    static = tuple(walk(static_dir, config.root)) if static_dir.is_dir() else ()
    return ContentScan(markdown, by_section, tuple(other), static)

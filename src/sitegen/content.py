"""Walk content/ and turn each file into a validated source record; collect every error."""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from . import fields
from .config import SiteConfig
from .errors import SiteError, did_you_mean, raise_collected
from .frontmatter import split_front_matter
from .model import Rendered
from .slugs import is_safe_slug, slugify
from .sources import Asset, SourceAuthor, SourcePage, SourcePost, Sources
from .textfile import decode_text, read_bytes
from .yamldoc import YamlMapping

log = logging.getLogger("sitegen")

POST_KEYS = (
    "title", "subtitle", "date", "updated", "author", "authors", "tags", "summary",
    "slug", "draft", "image", "canonical_url", "toc", "id",
)
PAGE_KEYS = ("title", "subtitle", "summary", "slug", "draft", "image", "toc")
AUTHOR_KEYS = ("name", "tagline", "photo", "email", "links", "subscribe")
SECTIONS = ("posts", "pages", "authors")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Files editors and systems leave behind; never content.
IGNORED_PREFIXES = (".", "_", "~", "#")
# URLs of pages sitegen makes itself, which no post or page may take.
RESERVED_URLS = ("/", "/archive/", "/tags/", "/authors/", "/page/")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _File:
    abs_text: str
    """The absolute path as text: making a Path of each of 10,000 files was a tenth of a rebuild."""
    src_path: str
    """POSIX, relative to the site folder."""

    @property
    def abs_path(self) -> Path:
        """The absolute path."""
        return Path(self.abs_text)


def _walk(folder: Path, root: Path) -> Iterator[_File]:
    """Every file under `folder`, sorted, following symlinked folders, skipping hidden ones."""
    seen: set[tuple[int, int]] = set()
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
            yield _File(os.path.join(dirpath, name), prefix + name)


def _warn_unknown_keys(doc: YamlMapping, known: tuple[str, ...], warnings: list[str]) -> None:
    """A key close to a known one is probably a typo; others are kept for themes."""
    for key in doc.data:
        if key not in known and (hint := did_you_mean(key, known)):
            line, column = doc.where(key)
            where = Path(doc.path).as_posix()
            warnings.append(f"{where}:{line}:{column}: unknown key '{key}' ({hint})")


def _extra(doc: YamlMapping, known: tuple[str, ...]) -> MappingProxyType[str, object]:
    return MappingProxyType({k: v for k, v in doc.data.items() if k not in known})


def permalink_for(pattern: str, slug: str, date: datetime) -> str:
    """Fill the post permalink pattern: /posts/{year}/{slug}/ -> /posts/2024/x/."""
    return pattern.format(
        year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug
    )


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Markdown file of content/posts, content/pages or content/authors."""

    kind: str
    """"posts", "pages" or "authors"."""
    abs_text: str
    """The absolute path as text (see _File)."""
    src_path: str
    """POSIX, relative to the site folder."""

    @property
    def abs_path(self) -> Path:
        """The absolute path."""
        return Path(self.abs_text)


Record = SourcePost | SourcePage | SourceAuthor


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One Markdown file, validated and rendered: what the build cache keeps per file."""

    record: Record
    """The front matter as a source record, its Markdown body dropped."""
    rendered: Rendered
    html: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ContentScan:
    """What content/ holds, before any file is read."""

    markdown: tuple[SourceFile, ...]
    by_section: dict[str, list[_File]]
    other: tuple[_File, ...]


def scan_content(config: SiteConfig) -> ContentScan:
    """List content/'s files by section, following symlinks (reads no file).

    Raises:
        SiteError: when there is no content/ folder.
    """
    content = config.content_dir
    if not content.is_dir():
        raise SiteError("no content/ folder: add content/posts/ with a first post", content)
    by_section: dict[str, list[_File]] = {s: [] for s in SECTIONS}
    other: list[_File] = []
    for file in _walk(content, config.root):
        parts = file.src_path.split("/")  # content/<section>/.../<file>
        section = parts[1] if len(parts) > 2 else ""
        (by_section.get(section, other)).append(file)
    markdown = tuple(
        SourceFile(section, f.abs_text, f.src_path)
        for section in ("authors", "posts", "pages")
        for f in by_section[section]
        if f.src_path.lower().endswith(MARKDOWN_SUFFIXES)
    )
    return ContentScan(markdown, by_section, tuple(other))


def asset_files(scan: ContentScan, root: Path) -> list[tuple[str, str]]:
    """(src_path, absolute path) of every file a build copies from the site as it is: the files
    of content/ that are not Markdown, and static/."""
    found = [
        (f.src_path, f.abs_text)
        for files in (*scan.by_section.values(), scan.other)
        for f in files
        if not f.src_path.lower().endswith(MARKDOWN_SUFFIXES)
    ]
    static = root / "static"
    if static.is_dir():
        found += [(f.src_path, f.abs_text) for f in _walk(static, root)]
    return found


def parse_source(config: SiteConfig, file: SourceFile, data: bytes) -> ParsedFile:
    """Validate one Markdown file's front matter and render its body (no other file is read).

    Raises:
        SiteError: pointing at the file, line and column of what is wrong.
    """
    loader = ContentLoader(config)
    text = decode_text(data, Path(file.src_path))
    record: Record
    if file.kind == "posts":
        record = loader.post(file, text)
    elif file.kind == "pages":
        record = loader.page(file, text)
    else:
        record = loader.author(file, text)
    from .markup import render_markdown  # here: a rebuild that parses nothing never needs it

    rendered = render_markdown(record.body, config.markdown_html)
    light = Rendered(rendered.toc, rendered.words, rendered.first_paragraph, markdown_only=rendered.markdown_only)
    return ParsedFile(replace(record, body=""), light, rendered.html, tuple(loader.warnings))


def prepare_parsing(config: SiteConfig) -> None:
    """Import the Markdown engine and make its usual parser now, not at the first file parsed: a
    build from a warm cache needs neither, and the dev server's first quick page would wait for
    them (about a tenth of a second)."""
    from .markup import render_markdown

    render_markdown("A *first* [link](https://example.org/).\n", config.markdown_html)


def parse_config_fingerprint(config: SiteConfig) -> str:
    """The settings `parse_source` depends on: a change re-parses every file."""
    return repr((config.timezone, config.author, config.post_permalink, config.markdown_html))


class ContentLoader:
    """Validates the files of content/ for one config, collecting every error."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.root = config.root
        self.errors: list[SiteError] = []
        self.warnings: list[str] = []

    def finish(self, scan: ContentScan, parsed: list[ParsedFile], errors: list[SiteError]) -> Sources:
        """Check what spans files (authors exist, URLs are unique), place assets, return Sources.

        Raises:
            SiteError: or SiteErrors, with `errors` from parsing and every one found here.
        """
        self.errors.extend(errors)
        authors = [p.record for p in parsed if isinstance(p.record, SourceAuthor)]
        posts = [p.record for p in parsed if isinstance(p.record, SourcePost)]
        pages = [p.record for p in parsed if isinstance(p.record, SourcePage)]
        self.warnings.extend(w for p in parsed for w in p.warnings)
        self._check_authors(posts, {a.id for a in authors})
        self._check_unique_urls(posts, pages)
        # folders as POSIX strings relative to the site: no pathlib for 10,000 files
        page_urls: dict[str, list[str]] = {}
        records: list[SourcePost | SourcePage] = [*posts, *pages]
        for record in records:
            page_urls.setdefault(posixpath.dirname(record.src_path), []).append(record.url)
        for author in authors:
            page_urls.setdefault(posixpath.dirname(author.src_path), []).append(f"/authors/{author.id}/")
        assets = self._assets(scan.by_section, list(scan.other), page_urls)
        raise_collected(self.errors)
        return Sources(tuple(posts), tuple(pages), tuple(authors), tuple(assets), tuple(self.warnings))

    def _read(self, file: SourceFile, text: str) -> tuple[YamlMapping, str, int]:
        split = split_front_matter(text, Path(file.src_path))
        return split.meta, split.body, split.body_line

    def _slug(self, doc: YamlMapping, file: SourceFile, title: str) -> str:
        given = fields.opt_text(doc, "slug")
        if given is not None:
            if not is_safe_slug(given):
                raise doc.error("slug", f"slug {given!r} must be one path segment of letters, digits, '-', '_' or '.'")
            return given
        stem = file.abs_path.stem
        if stem.lower() in ("index", "_index"):
            stem = file.abs_path.parent.name
        return slugify(stem) or slugify(title) or "post"

    def post(self, file: SourceFile, text: str) -> SourcePost:
        """A post's source record."""
        doc, body, body_line = self._read(file, text)
        _warn_unknown_keys(doc, POST_KEYS, self.warnings)
        title = fields.req_text(doc, "title", "the post's title")
        date = fields.moment(doc, "date", self.config.zone, required=True)
        assert date is not None
        slug = self._slug(doc, file, title)
        author_ids = fields.text_list(doc, "authors") or fields.text_list(doc, "author")
        if not author_ids and self.config.author:
            author_ids = (self.config.author,)
        return SourcePost(
            src_path=file.src_path,
            title=title,
            slug=slug,
            date=date,
            url=permalink_for(self.config.post_permalink, slug, date),
            author_ids=author_ids,
            body=body,
            body_line=body_line,
            subtitle=fields.opt_text(doc, "subtitle"),
            updated=fields.moment(doc, "updated", self.config.zone, required=False),
            tags=fields.text_list(doc, "tags"),
            summary=fields.opt_text(doc, "summary"),
            draft=fields.flag(doc, "draft"),
            image=fields.opt_text(doc, "image"),
            canonical_url=fields.opt_text(doc, "canonical_url"),
            feed_id=fields.opt_text(doc, "id"),
            toc=fields.flag(doc, "toc"),
            extra=_extra(doc, POST_KEYS),
            positions=MappingProxyType(dict(doc.positions)),
        )

    def page(self, file: SourceFile, text: str) -> SourcePage:
        """A standalone page's source record."""
        doc, body, _ = self._read(file, text)
        _warn_unknown_keys(doc, PAGE_KEYS, self.warnings)
        title = fields.req_text(doc, "title", "the page's title")
        slug = self._slug(doc, file, title)
        return SourcePage(
            src_path=file.src_path,
            title=title,
            slug=slug,
            url=f"/{slug}/",
            body=body,
            subtitle=fields.opt_text(doc, "subtitle"),
            summary=fields.opt_text(doc, "summary"),
            draft=fields.flag(doc, "draft"),
            image=fields.opt_text(doc, "image"),
            toc=fields.flag(doc, "toc"),
            extra=_extra(doc, PAGE_KEYS),
        )

    def author(self, file: SourceFile, text: str) -> SourceAuthor:
        """An author's source record."""
        author_id = file.abs_path.stem
        if not is_safe_slug(author_id):
            raise SiteError(f"author file name {author_id!r} must be letters, digits, '-' or '_'", file.src_path)
        doc, body, _ = self._read(file, text)
        _warn_unknown_keys(doc, AUTHOR_KEYS, self.warnings)
        return SourceAuthor(
            id=author_id,
            src_path=file.src_path,
            name=fields.req_text(doc, "name", "the author's name"),
            tagline=fields.opt_text(doc, "tagline") or "",
            photo=fields.opt_text(doc, "photo"),
            email=fields.opt_text(doc, "email"),
            links=_links(doc),
            subscribe=_link(doc, "subscribe", doc.data.get("subscribe")),
            body=body,
        )

    def _check_authors(self, posts: list[SourcePost], known: set[str]) -> None:
        for post in posts:
            key = "authors" if "authors" in post.positions else "author"
            if not post.author_ids:
                message = "post has no author: add 'author:' or set 'author' in site.yaml"
                self.errors.append(post.error("title", message))
            for author_id in post.author_ids:
                if author_id not in known:
                    hint = did_you_mean(author_id, sorted(known))
                    message = f"unknown author '{author_id}' (no content/authors/{author_id}.md)"
                    self.errors.append(post.error(key, message, hint))

    def _check_unique_urls(self, posts: list[SourcePost], pages: list[SourcePage]) -> None:
        owners: dict[str, str] = {url: "sitegen's own pages" for url in RESERVED_URLS}
        items: list[SourcePost | SourcePage] = [*pages, *posts]
        for item in items:
            if item.url in owners:
                message = f"URL {item.url} is already used by {owners[item.url]}"
                self.errors.append(SiteError(message, item.src_path, 1, 1))
            else:
                owners[item.url] = item.src_path

    def _assets(
        self,
        by_section: dict[str, list[_File]],
        other: list[_File],
        page_urls: dict[str, list[str]],
    ) -> list[Asset]:
        """Files beside posts, pages and authors go beside their pages; the rest as they are."""
        content = self.config.content_dir
        assets = [Asset(f.abs_path, f.abs_path.relative_to(content).as_posix()) for f in other]
        for section in SECTIONS:
            for file in by_section[section]:
                if not file.src_path.lower().endswith(MARKDOWN_SUFFIXES):
                    assets.extend(_place_asset(file, page_urls))
        static = self.root / "static"
        if static.is_dir():
            assets.extend(
                Asset(f.abs_path, f.abs_path.relative_to(static).as_posix())
                for f in _walk(static, self.root)
            )
        return assets


def _place_asset(file: _File, page_urls: dict[str, list[str]]) -> list[Asset]:
    """Copy a file beside every page made from the nearest folder up that holds Markdown."""
    folder = posixpath.dirname(file.src_path)
    while folder not in page_urls and folder not in ("content", ""):
        folder = posixpath.dirname(folder)
    rel = file.src_path[len(folder) + 1 :]
    return [Asset(file.abs_path, f"{url.strip('/')}/{rel}".lstrip("/")) for url in page_urls.get(folder, [])]


def _link(doc: YamlMapping, key: str, value: object) -> tuple[str, str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value, value)
    if isinstance(value, dict) and isinstance(value.get("url"), str):
        label = value.get("label") or value["url"]
        return (str(label), value["url"])
    raise doc.error(key, f"'{key}' must be {{label: ..., url: ...}}")


def _links(doc: YamlMapping) -> tuple[tuple[str, str], ...]:
    value = doc.data.get("links")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise doc.error("links", "'links' must be a list of {label: ..., url: ...}")
    return tuple(link for item in value if (link := _link(doc, "links", item)))


def load_sources(config: SiteConfig) -> tuple[Sources, dict[str, ParsedFile]]:
    """Read, validate and render every file under content/, in this process and without a cache.

    Raises:
        SiteError: or SiteErrors, every error found.
    """
    scan = scan_content(config)
    parsed: dict[str, ParsedFile] = {}
    errors: list[SiteError] = []
    for file in scan.markdown:
        try:
            parsed[file.src_path] = parse_source(config, file, read_bytes(file.abs_path))
        except SiteError as exc:
            errors.append(exc)
    sources = ContentLoader(config).finish(scan, list(parsed.values()), errors)
    return sources, parsed

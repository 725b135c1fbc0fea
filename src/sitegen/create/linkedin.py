"""`sitegen import linkedin EXPORT`: the articles of a LinkedIn newsletter, from LinkedIn's data
export (the ZIP, or the folder it unpacks to), as posts of this site.

The only importer of markdownify, and of BeautifulSoup, which it reads HTML with. An export holds
each article as Articles/Articles/<name>.html: a <title>, maybe a cover <img>, an <h1> linking to
the article on LinkedIn, "Created on" and "Published on" lines (UTC; "Published on ---" for a
draft), then the body in one <div>. The importer never replaces a post unless told to, so running
it twice changes nothing.
"""

from __future__ import annotations

import mimetypes
import re
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import bs4
import markdownify

from ..errors import SiteError
from ..source.config import SiteConfig
from ..source.yamltext import yaml_text
from .newfile import create_file, slug_for

ARTICLE_PATH = re.compile(r"(?:^|/)Articles/Articles/([^/]+\.html?)$")
"""Where an export keeps its articles (drafts are named by time: "2024-05-02 09:18:07.0.html")."""
MAX_ARTICLE_BYTES = 20_000_000
"""An article larger than this is not one LinkedIn wrote: it is skipped, not read."""
MAX_IMAGE_BYTES = 20_000_000
IMAGE_TIMEOUT = 20.0
"""Seconds to wait for an image server at each step."""
_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})")
_HASHTAG = re.compile(r"#[^\s#]+")

Fetch = Callable[[str], tuple[bytes, str]]
"""Download an image: its bytes and its content type (raises OSError or ValueError)."""


class NotAnArticle(Exception):
    """A file of the export that is not an article LinkedIn made: skipped, with the reason."""


@dataclass(frozen=True)
class ImportOptions:
    """How `sitegen import linkedin` imports."""

    author: str | None = None
    """The author of every post (default: site.yaml's `author`)."""
    canonical: bool = True
    """Name the LinkedIn article as the original (canonical_url)."""
    force: bool = False
    """Replace posts imported before (and any post at the same path)."""
    download_images: bool = False
    """Fetch the images into each post's folder: LinkedIn's image addresses expire."""


@dataclass(frozen=True)
class Article:
    """One article of the export, read."""

    source: str
    """Its file name in the export, for messages."""
    title: str
    url: str | None
    """The article on LinkedIn."""
    date: datetime
    draft: bool
    cover: str | None
    cover_alt: str | None
    """What the cover shows, as LinkedIn's export says (its alt text), if it says."""
    markdown: str
    tags: tuple[str, ...]
    images: tuple[str, ...]
    """The addresses of its images, in the body and the cover."""


@dataclass
class ImportReport:
    """What an import did."""

    written: list[tuple[Path, bool]] = field(default_factory=list)
    """Each post written, and whether it is a draft."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """Each file of the export left out, and why."""
    warnings: list[str] = field(default_factory=list)
    remote_images: int = 0
    """Images left on LinkedIn's servers (without --download-images)."""


# -- reading the export ------------------------------------------------------------------------


def read_export(export: Path) -> list[tuple[str, bytes | None]]:
    """(name, bytes) of every article of the export, sorted by name; None for a file too large to
    be an article.

    Raises:
        SiteError: when `export` is neither a ZIP nor a folder, or holds no article.
    """
    if export.is_dir():
        found = sorted(_folder_articles(export))
    elif zipfile.is_zipfile(export):
        found = sorted(_zip_articles(export))
    elif export.exists():
        hint = "give LinkedIn's data export, or the folder it unpacks to"
        raise SiteError(f"{export} is not a ZIP file nor a folder", hint=hint)
    else:
        raise SiteError(f"{export} does not exist")
    if not found:
        raise SiteError(
            f"{export} holds no LinkedIn article (no Articles/Articles/*.html): is it LinkedIn's data export?",
            hint="request it under Settings, Data privacy, Get a copy of your data, with Articles ticked",
        )
    return found


def _zip_articles(export: Path) -> Iterator[tuple[str, bytes | None]]:
    try:
        with zipfile.ZipFile(export) as archive:
            for info in archive.infolist():
                match = ARTICLE_PATH.search(info.filename)
                if match is None or info.is_dir():
                    continue
                # read, never extracted: a name cannot lead out of the site, a size cannot fill the disk
                data = archive.read(info) if info.file_size <= MAX_ARTICLE_BYTES else None
                yield match.group(1), data
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:  # RuntimeError: an encrypted member
        raise SiteError(f"cannot read {export}: {exc}") from None


def _folder_articles(export: Path) -> Iterator[tuple[str, bytes | None]]:
    for candidate in (export / "Articles" / "Articles", export / "Articles", export):
        if candidate.is_dir() and any(p.suffix in (".html", ".htm") for p in candidate.iterdir()):
            for path in candidate.iterdir():
                if path.suffix in (".html", ".htm") and path.is_file() and not path.is_symlink():
                    data = path.read_bytes() if path.stat().st_size <= MAX_ARTICLE_BYTES else None
                    yield path.name, data
            return


# -- one article ------------------------------------------------------------------------------


def parse_article(source: str, data: bytes) -> Article:
    """Read one article of the export.

    Raises:
        NotAnArticle: when it lacks what LinkedIn writes (a title, its dates, a body).
    """
    soup = bs4.BeautifulSoup(data.decode("utf-8", errors="replace"), "html.parser")
    heading = soup.find("h1")
    title = " ".join((heading.get_text() if heading else soup.title.get_text() if soup.title else "").split())
    if not title:
        raise NotAnArticle("no title (<h1>)")
    link = heading.find("a", href=True) if isinstance(heading, bs4.Tag) else None
    url = str(link["href"]) if isinstance(link, bs4.Tag) and str(link["href"]).startswith("https://") else None
    created, published = _stamp(soup, "created"), _stamp(soup, "published")
    when = published or created
    if when is None:
        raise NotAnArticle("no “Created on” nor “Published on” date")
    body = _body(soup, heading)
    if body is None:
        raise NotAnArticle("no body (<div>)")
    cover_tag = heading.find_previous("img") if isinstance(heading, bs4.Tag) else None
    cover = str(cover_tag.get("src") or "") if isinstance(cover_tag, bs4.Tag) else ""
    cover_alt = " ".join(str(cover_tag.get("alt") or "").split()) if isinstance(cover_tag, bs4.Tag) else ""
    tags = _take_hashtags(body)
    _tidy(body)
    converter = _LinkedInConverter()
    markdown = converter.convert_soup(body).strip() + "\n"
    images = tuple(dict.fromkeys([*([cover] if _remote(cover) else []), *converter.images]))
    draft = published is None
    return Article(source, title, url, when, draft, cover or None, cover_alt or None, markdown, tags, images)


def _stamp(soup: bs4.BeautifulSoup, kind: str) -> datetime | None:
    """The time on the "Created on" or "Published on" line (UTC), or None ("---": a draft)."""
    line = soup.find("p", class_=kind)
    match = _STAMP.search(line.get_text()) if line else None
    if match is None:
        return None
    return datetime.strptime(f"{match.group(1)} {match.group(2)}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def _body(soup: bs4.BeautifulSoup, heading: Any) -> bs4.Tag | None:
    """The <div> that holds the article's text: the first after the heading."""
    found = heading.find_next("div") if isinstance(heading, bs4.Tag) else soup.find("div")
    return found if isinstance(found, bs4.Tag) else None


def _take_hashtags(body: bs4.Tag) -> tuple[str, ...]:
    """Remove the paragraphs that are only hashtags ("#networking #careers"); return the tags."""
    tags: list[str] = []
    for paragraph in body.find_all("p"):
        words = paragraph.get_text().split()
        if words and all(_HASHTAG.fullmatch(word) for word in words):
            tags += [word.lstrip("#") for word in words]
            paragraph.decompose()
    return tuple(dict.fromkeys(tags))


def _tidy(body: bs4.Tag) -> None:
    """What LinkedIn's editor leaves that Markdown should not show: empty paragraphs and code
    blocks, and list items whose text sits in a paragraph (a loose list with blank lines)."""
    for tag in body.find_all(["p", "pre"]):
        if not tag.get_text().strip() and not tag.find("img"):
            tag.decompose()
    for item in body.find_all("li"):
        paragraphs = item.find_all("p", recursive=False)
        for number, paragraph in enumerate(paragraphs):
            if number:
                paragraph.insert_before(bs4.Tag(name="br", can_be_empty_element=True))
            paragraph.unwrap()
    for figure in body.find_all("figure"):
        image, caption = figure.find("img"), figure.find("figcaption")
        if isinstance(image, bs4.Tag) and isinstance(caption, bs4.Tag) and not image.get("alt"):
            image["alt"] = " ".join(caption.get_text().split())


class _LinkedInConverter(markdownify.MarkdownConverter):
    """markdownify, with LinkedIn's quirks: ATX headings, "-" lists, captions in italics, raw
    HTML in the text escaped, and the images noted. (markdownify's type stubs leave out the
    methods a converter overrides: hence the ignores on calling them.)"""

    def __init__(self) -> None:
        super().__init__(heading_style="ATX", bullets="-", strip=["script", "style", "iframe"])
        self.images: list[str] = []

    def escape(self, text: str, parent_tags: set[str]) -> str:
        # "<" in an article's text is text: written as is, a site with markdown html: on would run it
        return str(super().escape(text, parent_tags)).replace("<", "\\<")  # type: ignore[misc]

    def convert_img(self, el: bs4.Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "")
        if _remote(src):
            self.images.append(src)
        return str(super().convert_img(el, text, parent_tags))  # type: ignore[misc]

    def convert_figcaption(self, el: bs4.Tag, text: str, parent_tags: set[str]) -> str:
        caption = " ".join(text.split())
        return f"\n\n*{caption}*\n\n" if caption else ""

    def convert_pre(self, el: bs4.Tag, text: str, parent_tags: set[str]) -> str:
        return str(super().convert_pre(el, text, parent_tags)) if text.strip() else ""  # type: ignore[misc]


def _remote(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")


# -- writing posts ----------------------------------------------------------------------------


def import_linkedin(
    config: SiteConfig, export: Path, options: ImportOptions, fetch: Fetch | None = None
) -> ImportReport:
    """Import every article of `export` into `config`'s site.

    Raises:
        SiteError: when the export is not LinkedIn's, or the author is unknown; nothing is written then.
    """
    author = options.author or config.author
    if author is not None and not (config.root / "content" / "authors" / f"{author}.md").is_file():
        raise SiteError(f"no author '{author}' in content/authors/", hint=f"sitegen new --author {author}")
    files = read_export(export)
    report = ImportReport()
    taken: set[str] = set()
    for source, data in files:
        try:
            if data is None:
                raise NotAnArticle(f"larger than {MAX_ARTICLE_BYTES // 1_000_000} MB")
            article = parse_article(source, data)
        except NotAnArticle as exc:
            report.skipped.append((source, f"not an article LinkedIn made: {exc}"))
            continue
        folder = f"content/posts/{article.date:%Y}"
        slug = _free_slug(slug_for(article.title), folder, taken)
        taken.add(f"{folder}/{slug}")
        places = (config.root / folder / f"{slug}.md", config.root / folder / slug / "index.md")
        existing = [path for path in places if path.exists()]
        if existing and not options.force:
            rel = existing[0].relative_to(config.root).as_posix()
            report.skipped.append((source, f"{rel} is already there (--force replaces it)"))
            continue
        for path in existing:
            path.unlink()
        _write(config, article, folder, slug, author, options, report, fetch or fetch_image)
    return report


def _free_slug(slug: str, folder: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`... when another article of this export has it."""
    candidate, number = slug, 1
    while f"{folder}/{candidate}" in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _write(
    config: SiteConfig,
    article: Article,
    folder: str,
    slug: str,
    author: str | None,
    options: ImportOptions,
    report: ImportReport,
    fetch: Fetch,
) -> None:
    local: dict[str, str] = {}
    if options.download_images and article.images:
        local = _download(article, config.root / folder / slug, fetch, report)
        rel = f"{folder}/{slug}/index.md"
    else:
        report.remote_images += len(article.images)
        rel = f"{folder}/{slug}.md"
    markdown = article.markdown
    for url, name in local.items():
        markdown = markdown.replace(f"]({url})", f"]({name})")
    text = _front_matter(article, author, options.canonical, local) + markdown
    path = create_file(config, rel, text)
    report.written.append((path, article.draft))


def _front_matter(article: Article, author: str | None, canonical: bool, local: dict[str, str]) -> str:
    lines = ["---", f"title: {yaml_text(article.title)}", f"date: {article.date:%Y-%m-%dT%H:%M:%S+00:00}"]
    if author:
        lines.append(f"author: {author}")
    if article.tags:
        lines.append("tags: [" + ", ".join(yaml_text(tag) for tag in article.tags) + "]")
    if article.cover:
        lines.append(f"image: {yaml_text(local.get(article.cover, article.cover))}")
        if article.cover_alt:
            lines.append(f"image_alt: {yaml_text(article.cover_alt)}")
    if canonical and article.url:
        lines.append(f"canonical_url: {yaml_text(article.url)}")
    if article.draft:
        lines.append("draft: true   # a draft on LinkedIn: delete this line to publish")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _download(article: Article, bundle: Path, fetch: Fetch, report: ImportReport) -> dict[str, str]:
    """Fetch the article's images into its folder; return {address: file name} of those fetched."""
    local: dict[str, str] = {}
    for number, url in enumerate(article.images, 1):
        try:
            data, kind = fetch(url)
        except (OSError, ValueError) as exc:
            report.warnings.append(f"{article.source}: image {url} not downloaded ({exc}): its address is kept")
            continue
        extension = mimetypes.guess_extension(kind) or ".img"
        name = ("cover" if url == article.cover else f"image-{number}") + (".jpg" if extension == ".jpe" else extension)
        bundle.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(data)
        local[url] = name
    return local


def fetch_image(url: str) -> tuple[bytes, str]:
    """Download the image at `url`, within the timeout and the size cap.

    Raises:
        OSError: when it cannot be fetched (an HTTP error is an OSError too).
        ValueError: when it is not an image, or larger than the cap.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "sitegen (import linkedin)"})
    with urllib.request.urlopen(request, timeout=IMAGE_TIMEOUT) as response:  # http(s) only: see _remote
        kind = response.headers.get_content_type()
        if not kind.startswith("image/"):
            raise ValueError(f"not an image: {kind}")
        data: bytes = response.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(f"larger than {MAX_IMAGE_BYTES // 1_000_000} MB")
    return data, kind

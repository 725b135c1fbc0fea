"""Markdown files -> validated source records; then what spans files (authors exist, URLs are unique,
assets find their pages), collecting every error."""

from __future__ import annotations

import json
import posixpath
import re
from datetime import date, datetime, time
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

from ..errors import SiteError, SiteWarning, did_you_mean, raise_collected
from . import fields
from .config import SiteConfig, TagSettings
from .frontmatter import split_front_matter
from .newsletter import responses_of, subscribe_of
from .records import Asset, Record, SourceAuthor, SourcePage, SourcePost, Sources
from .scan import SECTIONS, ContentScan, SiteFile
from .slugs import is_nfc, is_safe_slug, slugify, tag_key
from .urls import is_safe_url, site_path
from .yamldoc import YamlMapping

POST_KEYS = (
    "title", "subtitle", "date", "updated", "author", "authors", "tags", "summary",
    "slug", "draft", "image", "canonical_url", "toc", "id", "responses", "issue", "image_alt", "image_credit",
    "aliases",
)
PAGE_KEYS = ("title", "subtitle", "summary", "slug", "draft", "image", "toc")
AUTHOR_KEYS = ("name", "tagline", "photo", "email", "links", "subscribe")
# URLs of pages sitegen makes itself, which no post or page may take.
MAX_SLUG_BYTES = 200
"""Longest slug: the output folder named after it must fit in a file system's 255 bytes a name."""
MAX_TAGS = 100
"""Most tags a post may have: each tag's page and feed lists the post, so a post with thousands
of them made every build crawl."""
RESERVED_URLS = ("/", "/archive/", "/tags/", "/authors/", "/page/")


def _issue(doc: YamlMapping) -> int | None:
    """The issue number written in front matter (`issue: 12`), if any."""
    value = doc.data.get("issue")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise doc.error("issue", f"'issue' must be a whole number of at least 1, such as 12, not {value!r}")
    return value


def _aliases(doc: YamlMapping) -> tuple[str, ...]:
    """The post's old addresses (`aliases: [/2019/05/old-post/]`), each a path from the site's root.

    Raises:
        SiteError: for one that is not.
    """
    found = []
    for alias in fields.text_list(doc, "aliases"):
        path = site_path(alias)
        if path is None:
            message = f"alias {alias!r} must be an address of this site written from its root, such as /2019/old-post/"
            raise doc.error("aliases", message)
        found.append(path)
    return tuple(found)


def _warn_unknown_keys(doc: YamlMapping, known: tuple[str, ...], warnings: list[SiteWarning]) -> None:
    """A key close to a known one is probably a typo; others are kept for themes."""
    for key in doc.data:
        if key not in known and (hint := did_you_mean(key, known)):
            line, column = doc.where(key)
            warnings.append(SiteWarning(f"unknown key '{key}'", Path(doc.path).as_posix(), line, column, hint))


def _extra(doc: YamlMapping, known: tuple[str, ...]) -> MappingProxyType[str, object]:
    return MappingProxyType({k: v for k, v in doc.data.items() if k not in known})


def tag_slug(name: str, settings: TagSettings | None) -> str:
    """The slug of a tag's page: site.yaml's, else made from its name ("tag" when it has no
    letters or digits, which validation refuses)."""
    return (settings.slug if settings and settings.slug else slugify(name)) or "tag"


JEKYLL_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
"""A post's file (or bundle folder) named the Jekyll way: its date, then its slug."""


def _file_stem(file: SiteFile) -> str:
    """The name a post's slug comes from: its file's, or its folder's for an index.md."""
    stem = file.abs_path.stem
    return file.abs_path.parent.name if stem.lower() in ("index", "_index") else stem


def _date_of_name(doc: YamlMapping, stem: str, zone: ZoneInfo) -> datetime:
    """The date a Jekyll-style file name gives a post without `date:`, at midnight in `zone`.

    Raises:
        SiteError: when the name's date is not one (2024-02-30).
    """
    day = stem[:10]
    try:
        return datetime.combine(date.fromisoformat(day), time(), zone)
    except ValueError:
        message = f"the file name starts with {day}, which is not a date, and there is no date:"
        raise doc.error("date", message) from None


def permalink_for(pattern: str, slug: str, date: datetime) -> str:
    """Fill the post permalink pattern: /posts/{year}/{slug}/ -> /posts/2024/x/."""
    return pattern.format(
        year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}", slug=slug
    )


class ContentLoader:
    """Validates the files of content/ for one config, collecting every error."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.root = config.root
        self.errors: list[SiteError] = []
        self.warnings: list[SiteWarning] = []

    def read(self, file: SiteFile, text: str) -> Record:
        """The source record of one Markdown file of content/ (its body still Markdown).

        Raises:
            SiteError: pointing at the file, line and column of what is wrong.
        """
        if file.section == "posts":
            return self.post(file, text)
        if file.section == "pages":
            return self.page(file, text)
        return self.author(file, text)

    def finish(
        self,
        scan: ContentScan,
        records: list[Record],
        warnings: list[SiteWarning],
        errors: list[SiteError],
    ) -> Sources:
        """Check what spans files (authors exist, URLs are unique), place assets, return Sources.

        Args:
            scan: the files of the site.
            records: every Markdown file's record, in the scan's order.
            warnings: and errors: what reading the files one by one found.

        Raises:
            SiteError: or SiteErrors, with `errors` from parsing and every one found here.
        """
        self.errors.extend(errors)
        authors = [r for r in records if isinstance(r, SourceAuthor)]
        posts = [r for r in records if isinstance(r, SourcePost)]
        pages = [r for r in records if isinstance(r, SourcePage)]
        self.warnings.extend(warnings)
        # an author whose file has an error is known: its posts need no error of their own
        broken = {posixpath.splitext(posixpath.basename(str(e.path)))[0] for e in errors if _is_author_file(e.path)}
        self._check_authors(posts, {a.id for a in authors} | broken)
        self._check_unique_urls(posts, pages)
        self._check_tags(posts)
        # folders as POSIX strings relative to the site: no pathlib for 10,000 files
        page_urls: dict[str, list[str]] = {}
        with_pages: list[SourcePost | SourcePage] = [*posts, *pages]
        for record in with_pages:
            page_urls.setdefault(posixpath.dirname(record.src_path), []).append(record.url)
        for author in authors:
            page_urls.setdefault(posixpath.dirname(author.src_path), []).append(f"/authors/{author.id}/")
        assets = self._assets(scan, page_urls)
        raise_collected(self.errors)
        return Sources(tuple(posts), tuple(pages), tuple(authors), tuple(assets), tuple(self.warnings))

    def _read(self, file: SiteFile, text: str) -> tuple[YamlMapping, str, int]:
        split = split_front_matter(text, Path(file.src_path))
        return split.meta, split.body, split.body_line

    def _slug(self, doc: YamlMapping, file: SiteFile, title: str) -> str:
        given = fields.opt_text(doc, "slug")
        if given is not None:
            if not is_nfc(given):
                message = (
                    f"slug {given!r} is not in Unicode's composed form (NFC): an accent typed as a character "
                    "of its own looks the same but makes another address"
                )
                raise doc.error("slug", message, "type the slug again, or leave slug: out")
            if not is_safe_slug(given):
                raise doc.error("slug", f"slug {given!r} must be one path segment of letters, digits, '-', '_' or '.'")
            slug = given
        else:
            stem = _file_stem(file)
            # the date leaves the slug only when it is the post's date: a post that says date:
            # keeps the address it always had (/posts/2024-03-05-foo/)
            dated = JEKYLL_NAME.match(stem) if "date" not in doc.data else None
            slug = slugify(dated[2] if dated else stem) or slugify(title) or "post"
        size = len(slug.encode("utf-8"))
        if size > MAX_SLUG_BYTES:  # a folder of the output is named after it
            key = "slug" if given is not None else "title"
            message = f"the slug is {size} bytes long: a name on disk may be {MAX_SLUG_BYTES} at most"
            raise doc.error(key, message, "give a shorter slug: (a letter of CJK text takes 3 bytes)")
        return slug

    def post(self, file: SiteFile, text: str) -> SourcePost:
        """A post's source record."""
        doc, body, body_line = self._read(file, text)
        _warn_unknown_keys(doc, POST_KEYS, self.warnings)
        title = fields.req_text(doc, "title", "the post's title")
        date = fields.moment(doc, "date", self.config.zone, required=not JEKYLL_NAME.match(_file_stem(file)))
        if date is None:  # 2024-03-05-a-title.md, as Jekyll names posts
            date = _date_of_name(doc, _file_stem(file), self.config.zone)
        slug = self._slug(doc, file, title)
        author_ids = fields.text_list(doc, "authors") or fields.text_list(doc, "author")
        if doc.data.get("image") is not None and "image_alt" not in doc.data:
            line, column = doc.positions.get("image", (1, 1))
            message = (
                "the cover image has no image_alt: say what it shows, for readers who cannot see it "
                '(image_alt: "" for a cover that only decorates)'
            )
            self.warnings.append(SiteWarning(message, Path(doc.path).as_posix(), line, column))
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
            tags=_tags(doc),
            summary=fields.opt_text(doc, "summary"),
            draft=fields.flag(doc, "draft"),
            image=fields.opt_url(doc, "image"),
            canonical_url=fields.opt_url(doc, "canonical_url"),
            feed_id=fields.opt_text(doc, "id"),
            toc=fields.flag(doc, "toc"),
            extra=_extra(doc, POST_KEYS),
            positions=MappingProxyType(dict(doc.positions)),
            responses=responses_of(doc),
            issue=_issue(doc),
            image_alt=fields.opt_text(doc, "image_alt"),
            image_credit=fields.opt_text(doc, "image_credit"),
            aliases=_aliases(doc),
        )

    def page(self, file: SiteFile, text: str) -> SourcePage:
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
            image=fields.opt_url(doc, "image"),
            toc=fields.flag(doc, "toc"),
            extra=_extra(doc, PAGE_KEYS),
            positions=MappingProxyType(dict(doc.positions)),
        )

    def author(self, file: SiteFile, text: str) -> SourceAuthor:
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
            photo=fields.opt_url(doc, "photo"),
            email=fields.opt_text(doc, "email"),
            links=_links(doc),
            subscribe=subscribe_of(doc, "subscribe", doc.data.get("subscribe")),
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

    def _check_tags(self, posts: list[SourcePost]) -> None:
        """Two tags that are not the same tag ("C" and "C#") must not share a page."""
        owners: dict[str, tuple[str, str, str]] = {}  # slug -> (tag key, name, first post's file)
        reported: set[str] = set()
        for post in posts:
            for name in post.tags:
                settings = self.config.tag_settings(name)
                slug, key = tag_slug(name, settings), tag_key(name)
                way_out = f"give it a slug in site.yaml: tags: {{{json.dumps(name)}: {{slug: ...}}}}"
                if not (settings and settings.slug) and not slugify(name):
                    message = f"tag {name!r} has no letters or digits to make its address from"
                    self.errors.append(post.error("tags", message, way_out))
                    continue
                first = owners.setdefault(slug, (key, name, post.src_path))
                if first[0] != key and key not in reported:
                    reported.add(key)
                    message = f"tag {name!r} would share the page /tags/{slug}/ of tag {first[1]!r} ({first[2]})"
                    self.errors.append(post.error("tags", message, way_out))

    def _check_unique_urls(self, posts: list[SourcePost], pages: list[SourcePage]) -> None:
        owners: dict[str, str] = {url: "sitegen's own pages" for url in RESERVED_URLS}
        items: list[SourcePost | SourcePage] = [*pages, *posts]
        for item in items:
            if item.url in owners:
                message = f"URL {item.url} is already used by {owners[item.url]}"
                self.errors.append(SiteError(message, item.src_path, 1, 1))
            else:
                owners[item.url] = item.src_path

    def _assets(self, scan: ContentScan, page_urls: dict[str, list[str]]) -> list[Asset]:
        """Files beside posts, pages and authors go beside their pages; the rest as they are."""
        assets = [Asset(f.abs_path, f.src_path.partition("/")[2]) for f in scan.other]  # content/x -> x
        for section in SECTIONS:
            for file in scan.by_section[section]:
                if not file.is_markdown:
                    assets.extend(_place_asset(file, page_urls))
        assets.extend(Asset(f.abs_path, f.src_path.partition("/")[2]) for f in scan.static)  # static/x -> x
        return assets


def _tags(doc: YamlMapping) -> tuple[str, ...]:
    tags = fields.text_list(doc, "tags")
    if len(tags) > MAX_TAGS:
        raise doc.error("tags", f"a post may have {MAX_TAGS} tags at most, not {len(tags):,}")
    return tags


def _is_author_file(path: object) -> bool:
    return isinstance(path, str | Path) and Path(path).as_posix().startswith("content/authors/")


def _place_asset(file: SiteFile, page_urls: dict[str, list[str]]) -> list[Asset]:
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
        link = (value, value)
    elif isinstance(value, dict) and isinstance(value.get("url"), str):
        link = (str(value.get("label") or value["url"]), value["url"])
    else:
        raise doc.error(key, f"'{key}' must be {{label: ..., url: ...}}")
    if not is_safe_url(link[1]):
        raise doc.error(key, fields.unsafe_url(key, link[1]))
    return link


def _links(doc: YamlMapping) -> tuple[tuple[str, str], ...]:
    value = doc.data.get("links")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise doc.error("links", "'links' must be a list of {label: ..., url: ...}")
    return tuple(link for item in value if (link := _link(doc, "links", item)))

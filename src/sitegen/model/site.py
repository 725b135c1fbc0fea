"""The site model: frozen dataclasses, and the pure functions that link them together."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ..markup.rendered import Heading, Rendered
from ..source.config import SiteConfig
from ..source.newsletter import Response, Subscribe


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link, such as an author's LinkedIn profile."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Picture:
    """A raster image of the site, as pages show it: its size, and its smaller WebP copies."""

    width: int
    height: int
    copies: tuple[tuple[str, int], ...] = ()
    """(file name beside the image, width) of each WebP copy, narrowest first; none for an image
    no wider than the theme's measure."""

    @property
    def token(self) -> str:
        """What keys of pages that show it hold of it."""
        return f"{self.width}x{self.height}" + "".join(f",{w}" for _name, w in self.copies)


_BASE = "https://site.invalid"
"""A host to resolve site-relative URLs against (only their paths count)."""


def output_path(page_url: str, ref: str) -> str | None:
    """The path in the output (images/a.jpg, about/) that the link or image `ref`, written in the
    page at site-relative `page_url`, leads to; None for another site's."""
    parts = urlsplit(urljoin(_BASE + page_url, ref))
    if f"{parts.scheme}://{parts.netloc}" != _BASE:
        return None
    return unquote(parts.path).lstrip("/")


NO_BIO = Rendered((), 0, "", inline_html="")
"""The bio of an author whose file has none."""


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag as a post shows it."""

    name: str
    slug: str
    url: str
    title: str = ""
    """The name its page shows: site.yaml's `tags:` title, else the tag with a capital first
    letter when written all in small letters ("networking" -> "Networking")."""
    description: str = ""
    """A sentence for its page, from site.yaml's `tags:`."""


@dataclass(frozen=True, slots=True)
class Author:
    """A writer, from content/authors/<id>.md."""

    id: str
    name: str
    url: str
    src_path: str
    tagline: str = ""
    photo: str | None = None
    """URL of the photo, site-relative or absolute."""
    email: str | None = None
    links: tuple[Link, ...] = ()
    """Ways to connect, in the order the author listed them."""
    subscribe: Subscribe | None = None
    """The author's own way to follow (a mail service's form, or a sign-up page): on their pages
    and posts it takes the place of the site's."""
    bio: Rendered = NO_BIO

    @property
    def first_name(self) -> str:
        """The first word of the name, for friendly notes ("Hi Ana")."""
        return self.name.split()[0] if self.name.split() else self.name


@dataclass(frozen=True, slots=True)
class Post:
    """One published (or, with --drafts, draft) post."""

    src_path: str
    """POSIX path of the Markdown file, relative to the site folder."""
    title: str
    slug: str
    date: datetime
    url: str
    """Site-relative URL with a leading "/", before any base path."""
    body: Rendered
    authors: tuple[Author, ...]
    tags: tuple[TagRef, ...] = ()
    subtitle: str | None = None
    updated: datetime | None = None
    summary: str = ""
    """Plain text: the front matter's summary, else the first paragraph."""
    draft: bool = False
    image: str | None = None
    canonical_url: str | None = None
    feed_id: str = ""
    """A stable id for feeds: the post's `id:`, else a tag: URI from host, date and slug."""
    toc_enabled: bool = False
    source_key: str = ""
    """Changes when the post's file or an author's file changes (for the build cache)."""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    responses: tuple[Response, ...] = ()
    """Readers' responses, shown under the post (their text as `html`)."""
    issue: int | None = None
    """Its issue number ("No. 12"): from front matter, else from site.yaml's numbering: auto."""
    image_alt: str = ""
    """What the cover shows ("" for a cover that only decorates)."""
    image_credit: str | None = None
    aliases: tuple[str, ...] = ()
    """Its old addresses, each answered by a redirect to it."""

    @property
    def html(self) -> str:
        """The rendered body."""
        return self.body.html

    @property
    def toc(self) -> tuple[Heading, ...]:
        """The headings of the body."""
        return self.body.toc

    @property
    def reading_minutes(self) -> int:
        """Minutes to read at 230 words a minute, at least one."""
        return max(1, round(self.body.words / 230))

    @property
    def author(self) -> Author:
        """The first author."""
        return self.authors[0]


@dataclass(frozen=True, slots=True)
class Page:
    """A standalone page from content/pages/ (about, subscribe...)."""

    src_path: str
    title: str
    slug: str
    url: str
    body: Rendered
    summary: str = ""
    subtitle: str | None = None
    image: str | None = None
    toc_enabled: bool = False
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def html(self) -> str:
        """The rendered body."""
        return self.body.html

    @property
    def toc(self) -> tuple[Heading, ...]:
        """The headings of the body."""
        return self.body.toc


@dataclass(frozen=True, slots=True)
class Tag:
    """A tag with every post that carries it, newest first."""

    ref: TagRef
    posts: tuple[Post, ...]

    @property
    def name(self) -> str:
        """The tag as written."""
        return self.ref.name

    @property
    def url(self) -> str:
        """The tag page's URL."""
        return self.ref.url

    @property
    def title(self) -> str:
        """The name its page shows (see TagRef.title)."""
        return self.ref.title or self.ref.name

    @property
    def description(self) -> str:
        """A sentence for its page ("" when site.yaml gives none)."""
        return self.ref.description


@dataclass(frozen=True, slots=True)
class Paginator:
    """One page of the home page's list of posts."""

    number: int
    total: int
    posts: tuple[Post, ...]
    url: str
    prev_url: str | None
    """The page of newer posts."""
    next_url: str | None
    """The page of older posts."""


@dataclass(frozen=True, slots=True)
class Year:
    """The posts of one year, for the archive."""

    year: int
    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything a theme or a feed needs, sorted and linked."""

    config: SiteConfig
    posts: tuple[Post, ...]
    """Newest first."""
    pages: tuple[Page, ...]
    authors: tuple[Author, ...]
    tags: tuple[Tag, ...]
    """Sorted by name."""
    by_author: Mapping[str, tuple[Post, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Each author's posts, newest first (see `posts_by`), made once for the whole site."""
    pictures: Mapping[str, Picture] = field(default_factory=lambda: MappingProxyType({}))
    """The raster images posts, pages and the site show, by their path in the output (images/a.jpg)."""

    @property
    def title(self) -> str:
        """The site's title."""
        return self.config.title

    def picture(self, page_url: str, ref: str | None) -> Picture | None:
        """The picture `ref` written in the page at `page_url` shows, if the site has it."""
        path = output_path(page_url, ref) if ref else None
        return self.pictures.get(path) if path else None

    def posts_by(self, author: Author) -> tuple[Post, ...]:
        """The posts `author` wrote or co-wrote, newest first."""
        return self.by_author.get(author.id, ())

    def paginate(self) -> tuple[Paginator, ...]:
        """Cut the posts into pages of `config.paginate`: /, /page/2/, ..."""
        size = self.config.paginate
        chunks = [self.posts[i : i + size] for i in range(0, len(self.posts), size)] or [()]
        total = len(chunks)
        return tuple(
            Paginator(
                number=n,
                total=total,
                posts=chunk,
                url=page_url(n),
                prev_url=page_url(n - 1) if n > 1 else None,
                next_url=page_url(n + 1) if n < total else None,
            )
            for n, chunk in enumerate(chunks, start=1)
        )

    def years(self) -> tuple[Year, ...]:
        """The posts grouped by year, newest year first."""
        groups: dict[int, list[Post]] = {}
        for post in self.posts:
            groups.setdefault(post.date.year, []).append(post)
        return tuple(Year(year, tuple(posts)) for year, posts in groups.items())

    def related(self, limit: int = 3, per_tag: int = 10) -> dict[str, tuple[Post, ...]]:
        """Map each post's URL to the posts that share the most tags with it, newest first among
        equals: taken from the `per_tag` newest posts of each of its tags (a tag with thousands
        of posts would otherwise make every build compare each post with all of them)."""
        slugs = {p.url: frozenset(t.slug for t in p.tags) for p in self.posts}
        newest = {tag.ref.slug: tag.posts[: per_tag + 1] for tag in self.tags}
        found: dict[str, tuple[Post, ...]] = {}
        for post in self.posts:
            own = slugs[post.url]
            candidates = {c.url: c for slug in own for c in newest.get(slug, ()) if c.url != post.url}
            ranked = sorted(candidates.values(), key=lambda c: (-len(own & slugs[c.url]), -c.date.timestamp(), c.url))
            found[post.url] = tuple(ranked[:limit])
        return found

    def neighbours(self) -> dict[str, tuple[Post | None, Post | None]]:
        """Map each post's URL to its (newer, older) neighbours."""
        result: dict[str, tuple[Post | None, Post | None]] = {}
        posts = self.posts
        for i, post in enumerate(posts):
            newer = posts[i - 1] if i > 0 else None
            older = posts[i + 1] if i + 1 < len(posts) else None
            result[post.url] = (newer, older)
        return result


def page_url(number: int) -> str:
    """The URL of page `number` of the home page's list."""
    return "/" if number == 1 else f"/page/{number}/"


def index_by_author(posts: tuple[Post, ...]) -> MappingProxyType[str, tuple[Post, ...]]:
    """Each author id's posts, in the order of `posts`."""
    found: dict[str, list[Post]] = {}
    for post in posts:
        for author in post.authors:
            found.setdefault(author.id, []).append(post)
    return MappingProxyType({author: tuple(listed) for author, listed in found.items()})


def collect_tags(posts: tuple[Post, ...]) -> tuple[Tag, ...]:
    """Group posts by tag; tags sorted by name, case-insensitively."""
    groups: dict[str, list[Post]] = {}
    refs: dict[str, TagRef] = {}
    for post in posts:
        for ref in post.tags:
            groups.setdefault(ref.slug, []).append(post)
            refs.setdefault(ref.slug, ref)
    return tuple(
        Tag(refs[slug], tuple(groups[slug]))
        for slug in sorted(groups, key=lambda s: (refs[s].name.casefold(), s))
    )

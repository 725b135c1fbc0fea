"""Sources + rendered bodies -> Site: filter drafts, resolve URLs, sort and link."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from urllib.parse import quote, urlsplit

from ..markup.rendered import Rendered
from ..source.config import SiteConfig, TagSettings
from ..source.plaintext import EXCERPT_CHARS, SUMMARY_CHARS, shorten
from ..source.records import SourceAuthor, SourcePage, SourcePost, Sources
from ..source.slugs import tag_key
from ..source.validate import tag_slug
from .site import Author, Link, Page, Post, Site, TagRef, collect_tags, index_by_author


def resolve_url(base: str, ref: str) -> str:
    """Resolve a reference written in a page at site-relative URL `base` ("cover.jpg")."""
    if urlsplit(ref).scheme or ref.startswith(("/", "#")):
        return ref
    return base.rstrip("/") + "/" + ref


def summary_of(written: str | None, body: Rendered) -> str:
    """A post's summary: its front matter's, else the excerpt before <!--more--> (as long as the
    writer made it, within reason), else its first paragraph, shortened."""
    if written:
        return shorten(written)
    return shorten(body.first_paragraph, EXCERPT_CHARS if body.is_excerpt else SUMMARY_CHARS)


def is_published(post: SourcePost, now: datetime, drafts: bool) -> bool:
    """Drafts and future posts are left out unless `drafts`."""
    return drafts or (not post.draft and post.date <= now)


@lru_cache(maxsize=4096)
def tag_ref(name: str, tags: tuple[tuple[str, TagSettings], ...] = ()) -> TagRef:
    """The TagRef of a tag name, with what site.yaml's `tags:` says of it; tags differing only in
    case or spacing share a page. (Made once per name: 10,000 posts name the same few dozen tags
    again and again.)"""
    settings = next((given for tag, given in tags if tag_key(tag) == tag_key(name)), None)
    slug = tag_slug(name, settings)
    title = settings.title if settings and settings.title else display_name(name)
    description = settings.description if settings and settings.description else ""
    return TagRef(name, slug, f"/tags/{slug}/", title, description)


def display_name(tag: str) -> str:
    """A tag as a page title: written all in small letters, it gets a capital first letter."""
    return tag[:1].upper() + tag[1:] if tag == tag.lower() else tag


def _author(source: SourceAuthor, bio: Rendered) -> Author:
    url = f"/authors/{source.id}/"
    return Author(
        id=source.id,
        name=source.name,
        url=url,
        src_path=source.src_path,
        tagline=source.tagline,
        photo=resolve_url(url, source.photo) if source.photo else None,
        email=source.email,
        links=tuple(Link(label, link) for label, link in source.links),
        subscribe=source.subscribe,
        bio=bio,
    )


def tag_uri(site_url: str, source: SourcePost) -> str:
    """An RFC 4151 tag: URI that survives a change of permalink pattern or base path."""
    # RFC 4151 allows ASCII only: a slug in another script is percent-encoded (ASCII slugs unchanged)
    return f"tag:{_host(site_url)},{source.date.date().isoformat()}:{quote(source.slug, safe='-._~')}"


@lru_cache(maxsize=8)
def _host(site_url: str) -> str:
    return urlsplit(site_url).hostname or "localhost"


def source_key(body: Rendered, authors: Iterable[Author]) -> str:
    """What changes when a post's file or the file of an author it names changes: their keys in
    the body store, which are the parse keys of their files (see engine.keys)."""
    return ":".join([body.key, *(a.bio.key for a in authors)])


def post_from(config: SiteConfig, source: SourcePost, body: Rendered, authors: Mapping[str, Author]) -> Post:
    """The Post of one source record (see assemble_site, which makes them all)."""
    by = tuple(authors[a] for a in source.author_ids)
    return Post(
        source_key=source_key(body, by),
        src_path=source.src_path,
        title=source.title,
        slug=source.slug,
        date=source.date,
        url=source.url,
        body=body,
        authors=by,
        tags=tuple(tag_ref(t, config.tags) for t in source.tags),
        subtitle=source.subtitle,
        updated=source.updated,
        summary=summary_of(source.summary, body),
        draft=source.draft,
        image=resolve_url(source.url, source.image) if source.image else None,
        canonical_url=source.canonical_url,
        feed_id=source.feed_id or tag_uri(config.url, source),
        toc_enabled=source.toc,
        extra=source.extra,
        responses=source.responses,
        issue=source.issue,
        image_alt=source.image_alt or "",
        image_credit=source.image_credit,
        aliases=source.aliases,
    )


def number_posts(posts: list[Post], config: SiteConfig) -> list[Post]:
    """With site.yaml's `numbering: auto`, give each published post without an `issue:` its number
    in date order (the oldest is No. 1; drafts get none). `posts` are newest first."""
    if not config.numbering_auto:
        return posts
    published = [p for p in posts if not p.draft]
    numbers = {id(p): len(published) - i for i, p in enumerate(published)}
    return [
        dataclasses.replace(p, issue=numbers[id(p)]) if p.issue is None and id(p) in numbers else p for p in posts
    ]


def _page(source: SourcePage, body: Rendered) -> Page:
    return Page(
        src_path=source.src_path,
        title=source.title,
        slug=source.slug,
        url=source.url,
        body=body,
        summary=summary_of(source.summary, body),
        subtitle=source.subtitle,
        image=resolve_url(source.url, source.image) if source.image else None,
        toc_enabled=source.toc,
        extra=source.extra,
    )


def assemble_site(
    config: SiteConfig,
    sources: Sources,
    bodies: Mapping[str, Rendered],
    now: datetime,
    drafts: bool = False,
    reuse: dict[str, Post] | None = None,
) -> Site:
    """Link everything into a Site.

    Args:
        config: the site settings.
        sources: what content/ holds.
        bodies: rendered Markdown of each post, page and author bio, by `src_path`.
        now: the build's clock; later posts are future posts.
        drafts: include drafts and future posts.
        reuse: Posts of an earlier assembly with the same config, by source key (the dev server
            keeps it between rebuilds); updated in place to hold exactly this site's posts.
    """
    authors = authors_by_id(sources.authors, bodies)

    def post_for(source: SourcePost) -> Post:
        body = bodies[source.src_path]
        if reuse is None:
            return post_from(config, source, body, authors)
        key = source_key(body, (authors[a] for a in source.author_ids))
        found = reuse.get(key)
        if found is None:
            found = post_from(config, source, body, authors)
        used[key] = found
        return found

    used: dict[str, Post] = {}
    posts = number_posts(sorted(
        (post_for(p) for p in sources.posts if is_published(p, now, drafts)),
        key=lambda p: (p.date, p.src_path),
        reverse=True,
    ), config)
    if reuse is not None:
        reuse.clear()
        reuse.update(used)
    frame = site_frame(config, authors, sources.pages, bodies, drafts)
    return dataclasses.replace(
        frame, posts=tuple(posts), tags=collect_tags(tuple(posts)), by_author=index_by_author(tuple(posts))
    )


def authors_by_id(sources: Iterable[SourceAuthor], bodies: Mapping[str, Rendered]) -> dict[str, Author]:
    """Every author, by id."""
    return {a.id: _author(a, bodies[a.src_path]) for a in sources}


def site_frame(
    config: SiteConfig,
    authors: Mapping[str, Author],
    pages: Iterable[SourcePage],
    bodies: Mapping[str, Rendered],
    drafts: bool,
) -> Site:
    """The site without its posts: its pages and authors, as every page's header and footer show
    them (see assemble_site, which adds the posts, and engine.routes.text_edit)."""
    listed = sorted((_page(p, bodies[p.src_path]) for p in pages if drafts or not p.draft), key=lambda p: p.url)
    return Site(
        config=config,
        posts=(),
        pages=tuple(listed),
        authors=tuple(sorted(authors.values(), key=lambda a: a.name.casefold())),
        tags=(),
    )

"""The only importer of feedgen: Site -> RSS 2.0 and Atom bytes, deterministic."""

from __future__ import annotations

from collections.abc import Callable

from feedgen.feed import FeedGenerator

from .absolute import absolutize_html
from .model import Post, Site
from .outputs import OutputFile


def _newest(posts: tuple[Post, ...]) -> Post | None:
    return max(posts, key=lambda p: p.updated or p.date, default=None)


def build_feed(site: Site, posts: tuple[Post, ...], absolute: Callable[[str], str]) -> FeedGenerator:
    """A FeedGenerator for `posts` (newest first), ready for rss_str() or atom_str().

    Args:
        site: the site.
        posts: the entries, newest first.
        absolute: turns a site-relative URL into an absolute one under the base path.
    """
    config = site.config
    feed = FeedGenerator()
    feed.id(absolute("/"))
    feed.title(config.title)
    feed.subtitle(config.description or config.title)
    # feedgen takes the last link as RSS's <link>: the home page must come last.
    feed.link(href=absolute("/atom.xml"), rel="self")
    feed.link(href=absolute("/"), rel="alternate")
    feed.language(config.language)
    feed.generator("sitegen", uri="https://pypi.org/project/sitegen/")
    newest = _newest(posts)
    if newest is not None:
        stamp = newest.updated or newest.date
        # The feed's own date is its newest entry's, so an unchanged site gives identical bytes.
        feed.updated(stamp)
        feed.lastBuildDate(stamp)
    for post in posts:
        _add_entry(feed, site, post, absolute)
    return feed


def _add_entry(feed: FeedGenerator, site: Site, post: Post, absolute: Callable[[str], str]) -> None:
    url = absolute(post.url)
    entry = feed.add_entry(order="append")
    entry.id(url)
    entry.guid(url, permalink=True)
    entry.title(post.title)
    entry.link(href=url, rel="alternate")
    entry.published(post.date)
    entry.updated(post.updated or post.date)
    for author in post.authors:
        details = {"name": author.name, "uri": absolute(author.url)}
        if author.email:
            details["email"] = author.email
        entry.author(details)
    for tag in post.tags:
        entry.category(term=tag.name, label=tag.name)
    if post.summary:
        entry.description(post.summary)
    if site.config.feed_content == "full":
        entry.content(absolutize_html(post.html, url), type="CDATA")


def render_feeds(site: Site, absolute: Callable[[str], str]) -> list[OutputFile]:
    """The site-wide /feed.xml (RSS 2.0) and /atom.xml (Atom)."""
    posts = site.posts[: site.config.feed_limit]
    feed = build_feed(site, posts, absolute)
    atom = feed.atom_str(pretty=True)
    # RSS names its own URL through the same rel="self" link; point it at the RSS file.
    feed.link(
        [{"href": absolute("/feed.xml"), "rel": "self"}, {"href": absolute("/"), "rel": "alternate"}],
        replace=True,
    )
    rss = feed.rss_str(pretty=True)
    return [
        OutputFile("feed.xml", rss, kind="feed"),
        OutputFile("atom.xml", atom, kind="feed"),
    ]

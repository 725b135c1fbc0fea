"""Which feeds a site has and where they live: the site's, one per tag, one per author."""

from __future__ import annotations

from dataclasses import dataclass

from .site import Author, Post, Site, Tag

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One feed file as a page lists it: in <link rel="alternate"> and on the author's follow panel."""

    title: str
    url: str
    type: str
    format: str
    """Short name for a button: "RSS", "Atom" or "JSON Feed"."""


@dataclass(frozen=True, slots=True)
class FeedSet:
    """One stream of posts published as RSS and Atom: the site's, a tag's or an author's."""

    title: str
    folder: str
    """Site-relative folder of the feed files: "/" or "/tags/writing/"."""
    posts: tuple[Post, ...]

    @property
    def rss_url(self) -> str:
        """Where the RSS 2.0 file goes."""
        return self.folder + "feed.xml"

    @property
    def atom_url(self) -> str:
        """Where the Atom file goes."""
        return self.folder + "atom.xml"

    @property
    def json_url(self) -> str:
        """Where the JSON Feed goes (only the site's feed has one)."""
        return self.folder + "feed.json"

    def links(self) -> tuple[FeedLink, ...]:
        """The RSS and Atom files of this feed."""
        return (
            FeedLink(f"{self.title} (RSS)", self.rss_url, RSS_TYPE, "RSS"),
            FeedLink(f"{self.title} (Atom)", self.atom_url, ATOM_TYPE, "Atom"),
        )


def site_feed(site: Site) -> FeedSet:
    """The feed of every post."""
    return FeedSet(site.title, "/", site.posts[: site.config.feed_limit])


def tag_feed(site: Site, tag: Tag) -> FeedSet:
    """The feed of one tag's posts."""
    return FeedSet(f"{site.title}: {tag.name}", tag.url, tag.posts[: site.config.feed_limit])


def author_feed(site: Site, author: Author) -> FeedSet | None:
    """The feed of one author's posts; None for an author who has published nothing yet."""
    posts = site.posts_by(author)
    return FeedSet(f"{site.title}: {author.name}", author.url, posts[: site.config.feed_limit]) if posts else None


def feed_sets(site: Site) -> tuple[FeedSet, ...]:
    """The site's feed, then one per tag and one per author."""
    sets = [site_feed(site)] + [tag_feed(site, tag) for tag in site.tags]
    sets += [feed for author in site.authors if (feed := author_feed(site, author))]
    return tuple(sets)


def site_feed_links(site: Site) -> tuple[FeedLink, ...]:
    """The site-wide feeds every page lists: RSS, Atom and JSON Feed."""
    feed = site_feed(site)
    return (*feed.links(), FeedLink(f"{site.title} (JSON Feed)", feed.json_url, JSON_FEED_TYPE, "JSON Feed"))

"""What each template gets besides `site` and `page_url`: one function per template, each giving a
TypedDict, so that every route renders a page from the same context (the theme's API)."""

from __future__ import annotations

from typing import TypedDict

from ..model.feedsets import FeedLink, author_feed, site_feed_links, tag_feed
from ..model.site import Author, Page, Paginator, Post, Site, Tag, Year
from ..source.newsletter import Response


class PostContext(TypedDict):
    """post.html: one post between its neighbours."""

    post: Post
    newer: Post | None
    older: Post | None
    related: tuple[Post, ...]
    """Posts that share its tags (see Site.related)."""


class IndexContext(TypedDict):
    """index.html: one page of the home page's list of posts."""

    paginator: Paginator


class ArchiveContext(TypedDict):
    """archive.html: every post by year."""

    years: tuple[Year, ...]


class TagContext(TypedDict):
    """tag.html: one tag's posts, with its feeds first among the page's feeds."""

    tag: Tag
    tag_feeds: tuple[FeedLink, ...]
    feeds: tuple[FeedLink, ...]


class AuthorContext(TypedDict):
    """author.html: one author, their posts, and their feeds first among the page's feeds."""

    author: Author
    posts: tuple[Post, ...]
    author_feeds: tuple[FeedLink, ...]
    feeds: tuple[FeedLink, ...]


class PageContext(TypedDict):
    """page.html: a standalone page."""

    page: Page


class EmailContext(TypedDict):
    """email.html and email.txt: a letter's email edition."""

    post: Post
    unsubscribe: str
    """site.yaml's email.unsubscribe, as the mail service wants it (write it with | safe)."""
    responses: tuple[Response, ...]
    """The post's responses when site.yaml says emails show them (email: {responses: true})."""


class NoContext(TypedDict):
    """tags.html and 404.html: the site alone."""


Context = (
    PostContext | IndexContext | ArchiveContext | TagContext | AuthorContext | PageContext | EmailContext | NoContext
)


def post_context(
    post: Post, newer: Post | None, older: Post | None, related: tuple[Post, ...] = ()
) -> PostContext:
    """post.html's context."""
    return {"post": post, "newer": newer, "older": older, "related": related}


def index_context(paginator: Paginator) -> IndexContext:
    """index.html's context."""
    return {"paginator": paginator}


def archive_context(site: Site) -> ArchiveContext:
    """archive.html's context."""
    return {"years": site.years()}


def tag_context(site: Site, tag: Tag, site_feeds: tuple[FeedLink, ...]) -> TagContext:
    """tag.html's context."""
    own = tag_feed(site, tag).links()
    return {"tag": tag, "tag_feeds": own, "feeds": own + site_feeds}


def author_context(site: Site, author: Author, site_feeds: tuple[FeedLink, ...]) -> AuthorContext:
    """author.html's context."""
    feed = author_feed(site, author)
    own = feed.links() if feed else ()
    return {"author": author, "posts": site.posts_by(author), "author_feeds": own, "feeds": own + site_feeds}


def page_context(page: Page) -> PageContext:
    """page.html's context."""
    return {"page": page}


def email_context(site: Site, post: Post) -> EmailContext:
    """email.html's and email.txt's context."""
    settings = site.config.email
    responses = post.responses if settings.responses else ()
    return {"post": post, "unsubscribe": settings.unsubscribe, "responses": responses}


def no_context() -> NoContext:
    """The context of tags.html and 404.html."""
    return {}


class SiteContexts:
    """The context of any page of one site, by the kind of page and its place in the site."""

    def __init__(self, site: Site, paginators: tuple[Paginator, ...]) -> None:
        self.site = site
        self.paginators = paginators
        self.site_feeds = site_feed_links(site)
        self.neighbours = site.neighbours()
        self.related = site.related()

    def of(self, kind: str, index: int) -> Context:
        """The context of the page of `kind` (post, email, email-text, index, archive, tags, tag,
        author, page, 404)
        about the item at `index` of the site's posts, paginators, tags, authors or pages."""
        site = self.site
        if kind == "post":
            post = site.posts[index]
            return post_context(post, *self.neighbours[post.url], self.related[post.url])
        if kind == "index":
            return index_context(self.paginators[index])
        if kind == "archive":
            return archive_context(site)
        if kind == "tag":
            return tag_context(site, site.tags[index], self.site_feeds)
        if kind == "author":
            return author_context(site, site.authors[index], self.site_feeds)
        if kind == "page":
            return page_context(site.pages[index])
        if kind in ("email", "email-text"):
            return email_context(site, site.posts[index])
        return no_context()

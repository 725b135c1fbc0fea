"""Every output of a site as a job with a key: the hash of everything it shows, so that a rebuild
renders only the pages and feeds whose key changed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..markup.rendered import Rendered
from ..model.feedsets import FeedSet, feed_sets
from ..model.site import Post, Site
from ..output.files import dest_for_url
from ..render.cards import CARD_NAME, CARD_VERSION, card_look, card_parts, has_card
from ..render.context import SiteContexts
from ..render.email import EMAIL_TEMPLATES
from ..render.pictures import CardLook
from . import keys
from .pictures import picture_tokens
from .records import READS, Reads

UNTRACKED_READS = frozenset({"config", "title"})
"""What a template may read of the site that the site key covers already."""
READ_GROUPS = {"pages": Reads.PAGES, "authors": Reads.AUTHORS}
"""Parts of the site a template may read, by the name it reads them with. Anything not named here
(posts, tags, years(), paginate(), posts_by()...) depends on every post."""


EMAIL_KINDS = ("email", "email-text")
"""The jobs of a post's email edition: its HTML and its plain text."""


def reads_of(names: Iterable[str], bodies: bool = False) -> Reads:
    """The parts of the site a page depends on, from the names its template read of the site
    (see render.templates.SiteView), and whether it showed the content of posts not its own."""
    found = Reads.BODIES if bodies else Reads.NOTHING
    for name in names:
        if name not in UNTRACKED_READS:
            found |= READ_GROUPS.get(name, Reads.POSTS)
    return READS[found]


@dataclass(frozen=True, slots=True)
class HtmlJob:
    """One HTML page to render: which template, for which item of the site."""

    kind: str
    """post, email, email-text, index, archive, tags, tag, author, page or 404."""
    index: int
    """Position of the item in the site's posts, paginators, tags, authors or pages."""
    url: str
    template: str
    shows: str
    """Hash of the item itself and what it shows of other posts: their metadata only."""
    own_parts: tuple[str, ...]
    """With `listed`, what the key is made of when the template reads other posts' bodies."""
    listed: tuple[Post, ...] = ()
    own_body: str = ""
    """The body key of the item the page is about: reading it is covered by `shows`."""

    @property
    def dest(self) -> str:
        """Where the page goes in the output."""
        return dest_for_url(self.url)


@dataclass(frozen=True, slots=True)
class CardJob:
    """The link-preview image of a post without a cover (see render.cards)."""

    index: int
    """Position of the post in the site's posts."""
    dest: str
    key: str
    look: CardLook
    """The theme's colours for it."""


@dataclass(frozen=True, slots=True)
class FeedJob:
    """The RSS and Atom files (and, for the site's feed, the JSON Feed) of one feed set."""

    feed: FeedSet
    with_json: bool
    dests: tuple[str, ...]
    key: str


def feed_jobs(site: Site, config_key: str, sizes: Mapping[str, int]) -> list[FeedJob]:
    """Every feed set with its key: the site's (with a JSON Feed), each tag's, each author's."""
    jobs = []
    for number, feed in enumerate(feed_sets(site)):
        urls = [feed.rss_url, feed.atom_url] + ([feed.json_url] if number == 0 else [])
        dests = tuple(u.lstrip("/") for u in urls)
        jobs.append(FeedJob(feed, number == 0, dests, keys.feed_key(config_key, feed, sizes)))
    return jobs


class SitePlan:
    """The pages of one assembled site, their keys, and the context each template gets."""

    def __init__(
        self,
        site: Site,
        site_key: str,
        meta_keys: dict[str, str] | None = None,
        earlier_hashes: dict[tuple[str, ...], str] | None = None,
    ) -> None:
        self.site = site
        self.site_key = site_key
        """See keys.site_key."""
        self.contexts = SiteContexts(site, site.paginate())
        self.neighbours = self.contexts.neighbours
        self.related = self.contexts.related
        self._meta_keys: dict[str, str] = meta_keys if meta_keys is not None else {}
        """By post source key (valid while `site_key` is: the dev server keeps them between rebuilds)."""
        self._group_keys: dict[tuple[Reads, bool], str] = {}
        self._earlier_hashes = earlier_hashes or {}
        self.hashes: dict[tuple[str, ...], str] = {}
        """Every key made by this build, for the next one (see `_memo_hash`)."""
        self._numbers: dict[str, int] | None = None

    def number_of(self, src_path: str) -> int | None:
        """The place among the site's posts of the post made from `src_path`, if it is one. (By
        path, made once: scanning 10,000 posts took a third of the dev server's quick page.)"""
        if self._numbers is None:
            self._numbers = {p.src_path: i for i, p in enumerate(self.site.posts)}
        return self._numbers.get(src_path)

    def memo_changed(self, slack: float) -> bool:
        """Whether this build made many keys the last one had not: the memos are worth saving
        again. (A few missing only cost the next build a few hashes.)"""
        new = sum(1 for parts in self.hashes if parts not in self._earlier_hashes)
        return new > slack * len(self.hashes) or not self._earlier_hashes

    def meta_keys_used(self) -> dict[str, str]:
        """The metadata keys of this site's posts (see `meta_key`), by their memo name."""
        names = (self._memo_name(p) for p in self.site.posts)
        return {name: self._meta_keys[name] for name in names if name in self._meta_keys}

    def meta_key(self, post: Post | None) -> str:
        """What a list shows of a post (see keys.post_meta_key), made once per post."""
        if post is None:
            return "-"
        name = self._memo_name(post)
        key = self._meta_keys.get(name)
        if key is None:
            key = self._meta_keys[name] = keys.post_meta_key(post, self._cover_token(post))
        return key

    def _cover_token(self, post: Post) -> str:
        """The size of `post`'s cover, which lists show (see Picture.token)."""
        picture = self.site.picture(post.url, post.image) if post.image else None
        return picture.token if picture else ""

    def _memo_name(self, post: Post) -> str:
        """What a post's metadata key is remembered by between builds: its source key, its issue
        number (numbering: auto gives it from the other posts), and its cover's size."""
        name = f"{post.source_key}#{post.issue}" if post.issue is not None else post.source_key
        return f"{name}@{self._cover_token(post)}" if post.image else name

    def _pictures(self, url: str, image: str | None, body: Rendered) -> tuple[str, ...]:
        """What the key of the page at `url` holds of the pictures it shows (its cover and body's)."""
        if not self.site.pictures:
            return ()
        return picture_tokens(self.site, url, (image, *(link.url for link in body.links if link.image)))

    def _memo_hash(self, parts: tuple[str, ...]) -> str:
        """keys.hash_parts, remembered: a rebuild asks again for nearly every key it made last time."""
        found = self._earlier_hashes.get(parts)
        if found is None:
            found = keys.hash_parts(parts)
        self.hashes[parts] = found
        return found

    def _posts_key(self, posts: Iterable[Post], whole: bool) -> str:
        if whole:
            return self._memo_hash(tuple(p.source_key for p in posts))
        return self._memo_hash(tuple(self.meta_key(p) for p in posts))

    def group_key(self, group: Reads, whole: bool) -> str:
        """Key of a part of the site a template may read (see reads_of)."""
        cache_key = (group, whole)
        if cache_key not in self._group_keys:
            site = self.site
            if group == Reads.POSTS:
                value = self._posts_key(site.posts, whole)
            elif group == Reads.PAGES:
                value = keys.hash_parts(p.body.key + p.url for p in site.pages)
            else:
                value = keys.hash_parts(a.bio.key for a in site.authors)
            self._group_keys[cache_key] = value
        return self._group_keys[cache_key]

    def _list_job(self, kind: str, index: int, url: str, own: tuple[str, ...], posts: tuple[Post, ...]) -> HtmlJob:
        """A page made of its `own` parts and a list of posts (its whole key is made only if needed)."""
        shows = self._memo_hash(keys.list_page_parts(own, self._posts_key(posts, False)))
        return HtmlJob(kind, index, url, f"{kind}.html", shows, own, posts)

    def post_job(
        self, index: int, post: Post, newer: Post | None, older: Post | None, related: tuple[Post, ...] = ()
    ) -> HtmlJob:
        """The page of the post at `index` of the site's posts, between its neighbours, with the
        posts related to it."""
        related_metas = tuple(self.meta_key(p) for p in related)
        pictures = self._pictures(post.url, post.image, post.body)
        shows = self._memo_hash(keys.post_page_parts(
            post.source_key, post.issue, self.meta_key(newer), self.meta_key(older), related_metas, pictures
        ))
        listed = tuple(p for p in (newer, older, *related) if p is not None)
        own = keys.post_page_own_parts(post.source_key, post.issue, newer is not None, older is not None, pictures)
        return HtmlJob("post", index, post.url, "post.html", shows, own, listed, post.body.key)

    def email_jobs(self, index: int, post: Post) -> list[HtmlJob]:
        """The email edition of the post at `index`: its HTML and its plain text (see render.email)."""
        shows = self._memo_hash(keys.email_parts(post.source_key))
        own = (post.source_key,)
        return [
            HtmlJob(kind, index, post.url + template, template, shows, own, (), post.body.key)
            for kind, template in zip(EMAIL_KINDS, EMAIL_TEMPLATES, strict=True)
        ]

    def card_jobs(self, colours: Iterable[tuple[str, str]] = ()) -> list[CardJob]:
        """A link-preview image for each post without a cover whose words the card's face can draw,
        in the theme's `colours` (see render.theme)."""
        site, found = self.site, list[CardJob]()
        if not site.config.social_cards:
            return found
        colours = tuple(colours)
        look = card_look(dict(colours))
        for i, post in enumerate(site.posts):
            if has_card(post, site.title):
                parts = card_parts(post, site.title)
                key = keys.hash_parts((keys.versions(), "card", CARD_VERSION, *parts, repr(colours)))
                found.append(CardJob(i, dest_for_url(post.url + CARD_NAME), key, look))
        return found

    def jobs(self) -> list[HtmlJob]:
        """Every page of the site, posts first (the most, so the pool starts on them at once)."""
        site = self.site
        jobs = []
        for i, post in enumerate(site.posts):
            jobs.append(self.post_job(i, post, *self.neighbours[post.url], self.related[post.url]))
            jobs += self.email_jobs(i, post)
        for i, paginator in enumerate(self.contexts.paginators):
            own = (str(paginator.number), str(paginator.total))
            jobs.append(self._list_job("index", i, paginator.url, own, paginator.posts))
        jobs.append(self._list_job("archive", 0, "/archive/", (), site.posts))
        jobs.append(self._list_job("tags", 0, "/tags/", (), site.posts))
        for i, tag in enumerate(site.tags):
            jobs.append(self._list_job("tag", i, tag.url, (tag.name,), tag.posts))
        for i, author in enumerate(site.authors):
            bio: tuple[str, ...] = (author.bio.key, *self._pictures(author.url, None, author.bio))
            job = self._list_job("author", i, author.url, bio, site.posts_by(author))
            jobs.append(dataclasses.replace(job, own_body=author.bio.key))
        for i, page in enumerate(site.pages):
            key = page.body.key
            pictures = self._pictures(page.url, None, page.body)
            shows = self._memo_hash((key, *pictures)) if pictures else key
            jobs.append(HtmlJob("page", i, page.url, "page.html", shows, (shows,), (), key))
        jobs.append(HtmlJob("404", 0, "/404.html", "404.html", "", ()))
        if site.config.search:
            jobs.append(HtmlJob("search", 0, "/search/", "search.html", "", ()))
        return jobs

    def key(self, job: HtmlJob, reads: Reads) -> str:
        """The key of a page whose template read `reads` of the site."""
        whole = bool(reads & Reads.BODIES)
        if whole:
            shows = self._memo_hash(keys.list_page_parts(job.own_parts, self._posts_key(job.listed, True)))
        else:
            shows = job.shows
        groups = [self.group_key(g, whole) for g in (Reads.POSTS, Reads.PAGES, Reads.AUTHORS) if reads & g]
        return self._memo_hash(keys.page_key_parts(self.site_key, job.template, job.url, shows, groups))

    def meta_listed(self) -> list[str]:
        """What sitemap.xml lists of the site: the metadata of posts, pages and authors (see keys.meta_files_key)."""
        return [self.group_key(g, False) for g in (Reads.POSTS, Reads.PAGES, Reads.AUTHORS)]


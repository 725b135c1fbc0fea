"""Every HTML page of a site as a job with a key: the hash of everything the page shows, so a
rebuild renders only the pages whose key changed."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .feedsets import author_feed, tag_feed
from .model import Paginator, Post, Site
from .outputs import dest_for_url
from .theme import Renderer

# What a template may read of the site, grouped by what it depends on. Anything not named
# here (posts, tags, years(), paginate(), posts_by()...) depends on every post.
UNTRACKED_READS = frozenset({"config", "title"})
"""Covered by the site fingerprint already."""
READ_GROUPS = {"pages": "pages", "authors": "authors"}


def _hash(parts: Iterable[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class PageJob:
    """One HTML page to render: which template, for which item of the site."""

    kind: str
    """post, index, archive, tags, tag, author, page or 404."""
    index: int
    """Position of the item in the site's posts, paginators, tags, authors or pages."""
    url: str
    template: str
    data_key: str
    """Hash of the item itself and what it shows of other posts: their metadata only."""
    full_parts: tuple[str, ...]
    """With `listed`, what the key is made of when the template reads other posts' bodies."""
    listed: tuple[Post, ...] = ()
    own_body: str = ""
    """The body key of the item the page is about: reading it is covered by `data_key`."""

    @property
    def dest(self) -> str:
        """Where the page goes in the output."""
        return dest_for_url(self.url)


def read_groups(reads: Iterable[str], bodies: bool = False) -> str:
    """The site-wide parts a page depends on, from what its template read (see theme.SiteView),
    and "bodies" when it showed the content of posts other than its own."""
    groups = {READ_GROUPS.get(name, "posts") for name in reads if name not in UNTRACKED_READS}
    return ",".join(sorted(groups | ({"bodies"} if bodies else set())))


class SitePages:
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
        """Hash of the config, theme, versions and build options."""
        self.paginators = site.paginate()
        self.neighbours = site.neighbours()
        self._meta_keys: dict[str, str] = meta_keys if meta_keys is not None else {}
        """By post key (valid while `site_key` is: the dev server keeps them between rebuilds)."""
        self._group_keys: dict[tuple[str, bool], str] = {}
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
        """The metadata keys of this site's posts (see `meta_key`), by source key."""
        return {p.source_key: self._meta_keys[p.source_key] for p in self.site.posts if p.source_key in self._meta_keys}

    def post_key(self, post: Post | None) -> str:
        """What changes when a post, or an author it names, changes: its source and theirs."""
        return post.source_key if post is not None else "-"

    def meta_key(self, post: Post | None) -> str:
        """What a list of posts shows of one: everything but its body, so that editing a paragraph
        does not render the archive of 10,000 posts again."""
        if post is None:
            return "-"
        source_key = self.post_key(post)
        key = self._meta_keys.get(source_key)
        if key is None:
            fields = (
                post.url, post.title, post.subtitle, post.date, post.updated, post.summary, post.image,
                post.canonical_url, post.draft, post.feed_id, post.toc_enabled, post.reading_minutes,
                post.body.toc, [t.name for t in post.tags], [a.bio.key for a in post.authors],
                sorted(post.extra.items(), key=lambda item: item[0]),
            )
            key = self._meta_keys[source_key] = _hash([repr(fields)])
        return key

    def _memo_hash(self, parts: tuple[str, ...]) -> str:
        """_hash, remembered: a rebuild asks again for nearly every key it made last time."""
        found = self._earlier_hashes.get(parts)
        if found is None:
            found = _hash(parts)
        self.hashes[parts] = found
        return found

    def _posts_key(self, posts: Iterable[Post], full: bool) -> str:
        key_of = self.post_key if full else self.meta_key
        return self._memo_hash(tuple(key_of(p) for p in posts))

    def group_key(self, group: str, full: bool) -> str:
        """Key of a site-wide part a template may read (see read_groups)."""
        cache_key = (group, full)
        if cache_key not in self._group_keys:
            site = self.site
            if group == "posts":
                value = self._posts_key(site.posts, full)
            elif group == "pages":
                value = _hash(p.body.key + p.url for p in site.pages)
            else:
                value = _hash(a.bio.key for a in site.authors)
            self._group_keys[cache_key] = value
        return self._group_keys[cache_key]

    def _list_job(self, kind: str, index: int, url: str, parts: tuple[str, ...], posts: tuple[Post, ...]) -> PageJob:
        """A page made of `parts` and a list of posts (its full key is made only if needed)."""
        meta = self._memo_hash((*parts, self._posts_key(posts, False)))
        return PageJob(kind, index, url, f"{kind}.html", meta, parts, posts)

    def post_job(self, index: int, post: Post, newer: Post | None, older: Post | None) -> PageJob:
        """The page of the post at `index` of the site's posts, between its neighbours."""
        meta = self._memo_hash((self.post_key(post), self.meta_key(newer), self.meta_key(older)))
        listed = tuple(p for p in (newer, older) if p is not None)
        own = (self.post_key(post), str(newer is None), str(older is None))
        return PageJob("post", index, post.url, "post.html", meta, own, listed, post.body.key)

    def jobs(self) -> list[PageJob]:
        """Every page of the site, posts first (the most, so the pool starts on them at once)."""
        site = self.site
        jobs = []
        for i, post in enumerate(site.posts):
            jobs.append(self.post_job(i, post, *self.neighbours[post.url]))
        for i, paginator in enumerate(self.paginators):
            parts = (str(paginator.number), str(paginator.total))
            jobs.append(self._list_job("index", i, paginator.url, parts, paginator.posts))
        jobs.append(self._list_job("archive", 0, "/archive/", (), site.posts))
        jobs.append(self._list_job("tags", 0, "/tags/", (), site.posts))
        for i, tag in enumerate(site.tags):
            jobs.append(self._list_job("tag", i, tag.url, (tag.name,), tag.posts))
        for i, author in enumerate(site.authors):
            job = self._list_job("author", i, author.url, (author.bio.key,), site.posts_by(author))
            jobs.append(dataclasses.replace(job, own_body=author.bio.key))
        for i, page in enumerate(site.pages):
            key = page.body.key
            jobs.append(PageJob("page", i, page.url, "page.html", key, (key,), (), key))
        jobs.append(PageJob("404", 0, "/404.html", "404.html", "", ()))
        return jobs

    def key(self, job: PageJob, groups: str) -> str:
        """The key of a page that depends on the site-wide parts `groups` (see read_groups)."""
        names = [g for g in groups.split(",") if g]
        full = "bodies" in names
        data = self._memo_hash((*job.full_parts, self._posts_key(job.listed, True))) if full else job.data_key
        parts = [self.site_key, job.template, job.url, data]
        parts += [self.group_key(g, full) for g in names if g != "bodies"]
        return self._memo_hash(tuple(parts))

    def context(self, job: PageJob, renderer: Renderer) -> dict[str, Any]:
        """The template variables of a job's page."""
        site = self.site
        if job.kind == "post":
            post = site.posts[job.index]
            newer, older = self.neighbours[post.url]
            return {"post": post, "newer": newer, "older": older}
        if job.kind == "index":
            paginator: Paginator = self.paginators[job.index]
            return {"paginator": paginator}
        if job.kind == "archive":
            return {"years": site.years()}
        if job.kind == "tag":
            tag = site.tags[job.index]
            tag_feeds = tag_feed(site, tag).links()
            return {"tag": tag, "tag_feeds": tag_feeds, "feeds": tag_feeds + renderer.site_feeds}
        if job.kind == "author":
            author = site.authors[job.index]
            own = author_feed(site, author)
            own_feeds = own.links() if own else ()
            return {
                "author": author,
                "posts": site.posts_by(author),
                "author_feeds": own_feeds,
                "feeds": own_feeds + renderer.site_feeds,
            }
        if job.kind == "page":
            return {"page": site.pages[job.index]}
        return {}

"""The only importer of feedgen: Site -> RSS 2.0, Atom and JSON Feed files, deterministic."""

from __future__ import annotations

import html
import json
import mimetypes
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..markup.links import absolutize_html, for_elsewhere
from ..model.feedsets import FeedSet
from ..model.site import Post, Site
from ..output.files import OutputFile
from ..source.config import SiteConfig

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

Absolute = Callable[[str], str]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")



def entry_title(post: Post, config: SiteConfig) -> str:
    """A post's title in feeds: with its issue number first when site.yaml asks (numbering: in_titles)."""
    return f"No. {post.issue}: {post.title}" if config.numbering_in_titles and post.issue else post.title

def xml_text(text: str) -> str:
    """`text` without the characters XML cannot hold (an HTML entity such as &#12; in Markdown
    gives one): lxml refused the whole feed for them."""
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _stamp(post: Post) -> Any:
    return post.updated or post.date


class FeedWriter:
    """Renders feeds; each post's absolutized HTML is computed once for all the feeds it is in."""

    def __init__(self, site: Site, absolute: Absolute, file_sizes: Mapping[str, int]) -> None:
        self.site = site
        self.absolute = absolute
        self.file_sizes = file_sizes
        """Bytes of each file copied to the output, by site-relative URL, for enclosure lengths."""
        self._content: dict[str, str] = {}

    def content(self, post: Post) -> str:
        """The post's HTML with every URL made absolute (feed readers show it off-site), without
        the page's own keyboard and screen-reader attributes for scrolled tables and code, which
        feed readers drop (and validators flag)."""
        if post.url not in self._content:
            html = absolutize_html(post.html, self.absolute(post.url), post.body.markdown_only, self.absolute("/"))
            self._content[post.url] = for_elsewhere(html)
        return self._content[post.url]

    def _generator(self, feed: FeedSet) -> FeedGenerator:
        from feedgen.feed import FeedGenerator  # here: a rebuild that renders no feed never needs it

        config = self.site.config
        gen = FeedGenerator()
        gen.id(self.absolute(feed.folder))
        gen.title(xml_text(feed.title))
        gen.subtitle(xml_text(config.description or config.title))
        # feedgen takes the last link as RSS's <link>: the page of the feed must come last.
        gen.link(href=self.absolute(feed.atom_url), rel="self")
        gen.link(href=self.absolute(feed.folder), rel="alternate")
        gen.language(config.language)
        gen.generator("sitegen")
        # RSS has one <author> per item, and only as an email address: names go in dc:creator.
        gen.load_extension("dc", atom=False, rss=True)
        if feed.posts:
            # The feed's own date is its newest entry's, so an unchanged site gives identical bytes.
            newest = max(_stamp(p) for p in feed.posts)
            gen.updated(newest)
            gen.lastBuildDate(newest)
        for post in feed.posts:
            self._entry(gen, post)
        return gen

    def _entry(self, gen: FeedGenerator, post: Post) -> None:
        url = self.absolute(post.url)
        entry = gen.add_entry(order="append")
        entry.id(post.feed_id)
        entry.guid(post.feed_id, permalink=False)
        entry.title(xml_text(entry_title(post, self.site.config)))
        entry.link(href=url, rel="alternate")
        entry.published(post.date)
        entry.updated(_stamp(post))
        # Atom names each author (and gives the first one's email); RSS names them in dc:creator
        # alone (see render: an item with both <author> and dc:creator is flagged by validators).
        emailed = next((a for a in post.authors if a.email), None)
        authors = []
        for author in post.authors:
            details = {"name": xml_text(author.name), "uri": self.absolute(author.url)}
            if author is emailed and author.email:
                details["email"] = author.email
            authors.append(details)
        entry.author(authors)
        entry.dc.dc_creator([xml_text(a.name) for a in post.authors], replace=True)
        if post.tags:  # in one call: one at a time, feedgen's work grew with the square of the tags
            entry.category([{"term": xml_text(t.name), "label": xml_text(t.name)} for t in post.tags], replace=True)
        if post.summary:
            entry.summary(xml_text(post.summary))
        if self.site.config.feed_content == "full":
            # type "html" is valid in both: escaped in Atom's <content>, RSS's <content:encoded>.
            entry.content(xml_text(self.content(post)), type="html")

    def _add_enclosures(self, gen: FeedGenerator, feed: FeedSet) -> None:
        """RSS enclosures for cover images. Added only after the Atom file is written: feedgen drops
        the rel of Atom entry links (lkiesow/python-feedgen#135, open), which would turn the image
        into a second rel=alternate link, invalid in Atom."""
        for entry, post in zip(gen.entry(), feed.posts, strict=True):
            if post.image:
                image = self.absolute(post.image)
                length = self.file_sizes.get(post.image, 0)  # 0: an image hosted elsewhere, size unknown
                entry.enclosure(image, str(length), mimetypes.guess_type(image)[0] or "image/jpeg")

    def files(self, feed: FeedSet, with_json: bool) -> list[OutputFile]:
        """The RSS and Atom files of one feed, and its JSON Feed when `with_json` (the site's)."""
        return self.render(feed) + ([self.json_feed(feed)] if with_json else [])

    def render(self, feed: FeedSet) -> list[OutputFile]:
        """The RSS and Atom files of one feed."""
        gen = self._generator(feed)
        atom = gen.atom_str(pretty=True)
        links = [
            {"href": self.absolute(feed.rss_url), "rel": "self"},
            {"href": self.absolute(feed.folder), "rel": "alternate"},
        ]
        gen.link(links, replace=True)
        self._add_enclosures(gen, feed)
        for entry, post in zip(gen.entry(), feed.posts, strict=True):
            # RSS: names in dc:creator, no <author> beside them; a <description> is HTML, so the
            # summary's text is escaped ("use the <p> tag" is words, not a paragraph)
            entry.author([{k: v for k, v in a.items() if k != "email"} for a in entry.author()], replace=True)
            if post.summary:
                entry.summary(xml_text(html.escape(post.summary, quote=False)))
        rss = gen.rss_str(pretty=True)
        return [
            OutputFile(feed.rss_url.lstrip("/"), rss),
            OutputFile(feed.atom_url.lstrip("/"), atom),
        ]

    def json_feed(self, feed: FeedSet) -> OutputFile:
        """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), written with the standard library."""
        config = self.site.config
        items = [self._json_item(post) for post in feed.posts]
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed.title,
            "home_page_url": self.absolute(feed.folder),
            "feed_url": self.absolute(feed.json_url),
            "description": config.description or config.title,
            "language": config.language,
            "items": items,
        }
        data = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        return OutputFile(feed.json_url.lstrip("/"), data.encode("utf-8"))

    def _json_item(self, post: Post) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": post.feed_id,
            "url": self.absolute(post.url),
            "title": entry_title(post, self.site.config),
            "summary": post.summary,
            "date_published": post.date.isoformat(),
            "date_modified": _stamp(post).isoformat(),
            "authors": [{"name": a.name, "url": self.absolute(a.url)} for a in post.authors],
            "tags": [t.name for t in post.tags],
        }
        if self.site.config.feed_content == "full":
            item["content_html"] = self.content(post)
        else:
            item["content_text"] = post.summary
        if post.image:
            item["image"] = self.absolute(post.image)
        if post.canonical_url:
            item["external_url"] = post.canonical_url
        return item

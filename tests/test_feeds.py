"""RSS and Atom feeds: valid, complete, absolute, deterministic."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import feedparser
from conftest import COVER_JPEG, SITE_YAML, Site, newsletter_files, picture, post
from feedrules import atom_problems, json_feed_problems, rss_problems


def test_feeds_parse_and_carry_full_content_with_absolute_urls(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/pic/index.md": post(
            "Pictures & <things>", "2026-04-01", "[next](../first/) ![a cat](cat.jpg)\n"
        ),
        "content/posts/pic/cat.jpg": picture(),
    })
    site.build()
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse(site.read(name))
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.feed.title == "Letters & Notes"
        first = feed.entries[0]
        assert first.title == "Pictures & <things>"
        assert first.link == "https://example.org/letters/posts/pic/"
        content = first.content[0].value
        assert 'src="https://example.org/letters/posts/pic/cat.jpg"' in content
        assert 'href="https://example.org/letters/posts/first/"' in content
        assert [e.title for e in feed.entries][1:] == ["Third: “quoted” 世界", "Second post", "First post"]


def test_feed_dates_keep_their_zone_and_the_feed_is_dated_by_its_newest_entry(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    atom = site.read("atom.xml")
    assert "<updated>2026-03-01T08:00:00-05:00</updated>" in atom
    rss = feedparser.parse(site.read("feed.xml"))
    assert rss.feed.updated == "Sun, 01 Mar 2026 08:00:00 -0500"


def test_rebuilding_gives_byte_identical_feeds(make_site: Callable[..., Site]) -> None:
    site = make_site(newsletter_files())
    site.build()
    first = {path: path.read_bytes() for path in feed_files(site)}
    assert len(first) == 3 + 2 * 3 + 2 * 2  # the site's three, three tags' and two authors' RSS and Atom
    shutil.rmtree(site.out)
    site.build()
    assert {path: path.read_bytes() for path in feed_files(site)} == first


def test_feed_limit_and_summary_mode(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": site.root.joinpath("site.yaml").read_text() + "feed: {content: summary, limit: 2}\n"})
    site.build()
    feed = feedparser.parse(site.read("atom.xml"))
    assert len(feed.entries) == 2
    assert "content" not in feed.entries[0]


BASE = "https://example.org/letters/"


def feed_files(site: Site) -> list[Path]:
    """Every feed the build wrote: the site's, and one per tag and per author."""
    return sorted(p for p in site.out.rglob("*") if p.name in ("feed.xml", "atom.xml", "feed.json"))


def self_url(site: Site, path: Path) -> str:
    return BASE + quote(path.relative_to(site.out).as_posix())


def test_every_feed_follows_the_validator_rules(make_site: Callable[..., Site]) -> None:
    site = make_site(newsletter_files())
    site.build()
    found = {p.relative_to(site.out).as_posix() for p in feed_files(site)}
    assert {"feed.xml", "atom.xml", "feed.json", "tags/日本語/feed.xml", "authors/ben/atom.xml"} <= found
    for path in feed_files(site):
        data, url = path.read_bytes(), self_url(site, path)
        if path.name == "feed.xml":
            assert rss_problems(data, url, "en") == [], path
        elif path.name == "atom.xml":
            assert atom_problems(data, url, "en") == [], path
        else:
            assert json_feed_problems(data, url) == [], path


def test_feeds_of_tables_non_latin_slugs_and_markup_in_summaries_pass(make_site: Callable[..., Site]) -> None:
    """What the W3C validator flagged: the page-only attributes of scrolled tables (role,
    aria-label), a tag: id with a Japanese slug, a summary that reads like markup in RSS."""
    site = make_site()
    site.write({
        "content/posts/連絡を取り合う.md": post(
            "Keeping in touch", "2026-02-02", "| a | b |\n|---|--:|\n| 1 | 2 |\n\n```python\nx = 1\n```\n",
            summary='"Use the <script> tag & the <p> tag"',
        ),
    })
    site.build()
    for path in feed_files(site):
        data, url = path.read_bytes(), self_url(site, path)
        if path.name == "feed.xml":
            assert rss_problems(data, url, "en") == [], path
        elif path.name == "atom.xml":
            assert atom_problems(data, url, "en") == [], path
    rss = site.read("feed.xml")
    assert "&amp;lt;script&amp;gt;" in rss  # the summary's text, escaped in HTML, escaped in XML
    ids = [e.id for e in feedparser.parse(site.read("atom.xml")).entries]
    assert "tag:example.org,2026-02-02:%E9%80%A3%E7%B5%A1%E3%82%92%E5%8F%96%E3%82%8A%E5%90%88%E3%81%86" in ids


def test_the_rules_catch_what_the_validator_would() -> None:
    rss = b"""<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
      <title>T</title><link>/letters/</link><description>D</description><language>en</language>
      <item><title>A</title><link>posts/a/</link><guid>a</guid><pubDate>2026-04-01</pubDate>
        <description>&lt;a href="../b/"&gt;b&lt;/a&gt;</description><author>Ana</author><author>Ben</author></item>
      <item><title>B</title><guid>a</guid></item>
      <item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>C</title><guid isPermaLink="false">c</guid>
        <author>ana@example.org (Ana)</author><dc:creator>Ana</dc:creator><category></category>
        <description>&lt;script&gt;x()&lt;/script&gt;&lt;div role="region" aria-label="T"&gt;t&lt;/div&gt;</description>
      </item>
    </channel></rss>"""
    assert rss_problems(rss, "https://example.org/letters/feed.xml", "en") == [
        "channel: <link> is not an absolute URL",
        "channel: atom:link rel=self is [], expected ['https://example.org/letters/feed.xml']",
        "item 1: <author> appears 2 times",
        "item 1: <link> 'posts/a/' is not absolute",
        "item 1: guid is a permalink but 'a' is not an absolute URL",
        "item 1: '2026-04-01' is not an RFC 822 date with a 4-digit year and a numeric zone".replace(
            "item 1: ", "item 1 pubDate: "
        ),
        "item 1: <author> 'Ana' is not an email address",
        "item 1: relative URL '../b/' in content",
        "item 2: duplicate guid 'a'",
        "item 2: guid is a permalink but 'a' is not an absolute URL",
        "item 3: both <author> and <dc:creator> (the validator's DuplicateItemSemantics)",
        "item 3: <script> element in content (SecurityRisk)",
        "item 3: role attribute on <div> in content (SecurityRisk)",
        "item 3: aria-label attribute on <div> in content (SecurityRisk)",
        "item 3: empty <category> (NotBlank)",
    ]
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><title>T</title>
      <updated>2026-04-01T00:00:00Z</updated><link rel="self" href="https://example.org/atom.xml"/>
      <link href="https://example.org/"/>
      <entry><id>tag:example.org,2026:a</id><title>A</title><updated>2026-04-02 10:00</updated>
        <link href="https://example.org/a/"/><link href="https://example.org/a.jpg"/>
        <content type="html">&lt;img src="a.jpg"&gt;</content></entry>
      <entry><id>tag:example.org,2026:\xe9\x80\xa3</id><title>B</title><updated>2026-04-01T00:00:00Z</updated>
        <author><name>Ana</name></author><link href="https://example.org/b/"/><category label="x"/>
        <content type="html">&lt;p style="color: red"&gt;b&lt;/p&gt;</content></entry>
    </feed>""".replace(b"\\xe9\\x80\\xa3", "連".encode())
    assert atom_problems(atom, "https://example.org/atom.xml", "en") == [
        "feed: xml:lang is None, expected 'en'",
        "feed: <id> is not an absolute IRI",
        "entry 1 updated: '2026-04-02 10:00' is not an RFC 3339 date-time with a zone",
        "entry 1: no <author> (and the feed has none)",
        "entry 1: two rel=alternate links with the same type and hreflang",
        "entry 1: relative URL 'a.jpg' in content",
        "entry 2: <id> 'tag:example.org,2026:連' is not a valid tag: URI (InvalidTAG)",
        "entry 2: a <category> without a term (MissingAttribute)",
        "entry 2: style 'color: red' on <p> in content (SecurityRisk)",
    ]


def test_feeds_round_trip_through_feedparser(make_site: Callable[..., Site]) -> None:
    site = make_site(newsletter_files())
    site.build()
    titles = ["Written for LinkedIn first", "Harbour at dawn", "Tom & Jerry <script> “quotes” 東京の手紙"]
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse(site.read(name))
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert [e.title for e in feed.entries][:3] == titles
        special = feed.entries[2]
        assert special.link == BASE + "posts/special/"
        assert special.published_parsed[:5] == (2026, 4, 2, 14, 0)  # 10:00 in Toronto, as UTC
        assert [t.term for t in special.tags] == ["writing", "日本語"]
        photo = feed.entries[1].content[0].value
        assert f'src="{BASE}posts/photo/harbour.jpg"' in photo
        assert all(e.title != "Secret draft" for e in feed.entries)


def test_enclosure_carries_the_cover_image_and_its_size(make_site: Callable[..., Site]) -> None:
    site = make_site(newsletter_files())
    site.build()
    feed = feedparser.parse(site.read("feed.xml"))
    (enclosure,) = feed.entries[2].enclosures
    assert enclosure.href == BASE + "posts/special/cover.jpg"
    assert enclosure.length == str(len(COVER_JPEG))
    assert enclosure.type == "image/jpeg"
    item = json.loads(site.read("feed.json"))["items"][2]
    assert item["image"] == BASE + "posts/special/cover.jpg"


def test_co_authors_are_all_named_in_every_format(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"content/posts/duo.md": post("Duo", "2026-05-01", "Both of us.\n", authors="[ana, ben]")})
    site.build()
    duo = site.read("feed.xml").split("<item>")[1]
    assert "<author>" not in duo  # names in dc:creator alone: validators flag an item with both
    assert "<dc:creator>Ana Example</dc:creator>" in duo and "<dc:creator>Ben Okafor</dc:creator>" in duo
    atom = feedparser.parse(site.read("atom.xml"))
    assert [a.name for a in atom.entries[0].authors] == ["Ana Example", "Ben Okafor"]
    assert atom.entries[0].authors[0].email == "ana@example.com"
    assert site.read("authors/ben/feed.xml").count("<item>") == 2


def test_tag_and_author_feeds_hold_only_their_posts(make_site: Callable[..., Site]) -> None:
    site = make_site(newsletter_files())
    site.build()
    tag = feedparser.parse(site.read("tags/writing/atom.xml"))
    assert tag.feed.title == "Letters & Notes: writing"
    assert [e.title for e in tag.entries] == [
        "Tom & Jerry <script> “quotes” 東京の手紙", "Second post", "First post"
    ]
    ben = feedparser.parse(site.read("authors/ben/feed.xml"))
    assert [e.title for e in ben.entries] == ["Written for LinkedIn first", "Second post"]


def test_ids_survive_a_new_permalink_pattern_and_an_id_keeps_an_old_one(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    before = [e.id for e in feedparser.parse(site.read("atom.xml")).entries]
    assert before[-1] == "tag:example.org,2024-01-05:first"
    site.write({"site.yaml": SITE_YAML + "permalinks: {post: '/{year}/{month}/{slug}/'}\n"})
    site.build()
    after = feedparser.parse(site.read("atom.xml")).entries
    assert [e.id for e in after] == before
    assert after[-1].link == BASE + "2024/01/first/"
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Moved.\n", id="https://old.example/p/1")})
    site.build()
    assert feedparser.parse(site.read("feed.xml")).entries[-1].id == "https://old.example/p/1"


def test_the_json_feed_lists_the_site(make_site: Callable[..., Site]) -> None:
    site = make_site(newsletter_files())
    site.build()
    document = json.loads(site.read("feed.json"))
    assert document["feed_url"] == BASE + "feed.json"
    assert document["items"][2]["title"] == "Tom & Jerry <script> “quotes” 東京の手紙"
    assert document["items"][2]["date_published"] == "2026-04-02T10:00:00-04:00"
    assert document["items"][0]["external_url"] == "https://www.linkedin.com/pulse/written-for-linkedin-first-ana/"

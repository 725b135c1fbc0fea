"""RSS and Atom feeds: valid, complete, absolute, deterministic."""

from __future__ import annotations

from collections.abc import Callable

import feedparser
from conftest import Site, post


def test_feeds_parse_and_carry_full_content_with_absolute_urls(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/pic/index.md": post(
            "Pictures & <things>", "2026-04-01", "[next](../first/) ![a cat](cat.jpg)\n"
        ),
        "content/posts/pic/cat.jpg": b"jpeg",
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
    site = make_site()
    site.build()
    first = (site.read("feed.xml"), site.read("atom.xml"))
    site.build()
    assert (site.read("feed.xml"), site.read("atom.xml")) == first


def test_feed_limit_and_summary_mode(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": site.root.joinpath("site.yaml").read_text() + "feed: {content: summary, limit: 2}\n"})
    site.build()
    feed = feedparser.parse(site.read("atom.xml"))
    assert len(feed.entries) == 2
    assert "content" not in feed.entries[0]

"""Link previews and search engines: titles, descriptions, canonical links, cards, JSON-LD, sitemap."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from conftest import Site, newsletter_files, post
from htmlpage import HtmlPage

BASE = "https://example.org/letters/"
SPECIAL_TITLE = 'Tom & Jerry <script> \u201cquotes\u201d 東京の手紙'  # as the typographer shows it


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    built = make_site(newsletter_files())
    built.write({
        "content/posts/long.md": post("Long", "2026-04-06", "word " * 120 + "\n"),
    })
    built.build()
    return built


def head(site: Site, dest: str) -> dict[str, list[str]]:
    """The page's <meta> tags by name or property, plus 'canonical' and 'title'."""
    page = HtmlPage.load(site.out / dest)
    found: dict[str, list[str]] = {"title": page.texts("//head/title")}
    for meta in page.tree.xpath("//head/meta[@content]"):
        key = meta.get("property") or meta.get("name")
        if key:
            found.setdefault(key, []).append(meta.get("content"))
    found["canonical"] = page.attrs("//head/link[@rel='canonical']/@href")
    found["lang"] = page.attrs("/html/@lang")
    return found


def json_ld(site: Site, dest: str) -> dict[str, Any]:
    page = HtmlPage.load(site.out / dest)
    (script,) = page.tree.xpath("//script[@type='application/ld+json']")
    return dict(json.loads(script.text))


def alternates(site: Site, dest: str) -> list[str]:
    return HtmlPage.load(site.out / dest).attrs("//head/link[@rel='alternate']/@href")


def test_a_post_has_everything_a_link_preview_needs(site: Site) -> None:
    meta = head(site, "posts/special/index.html")
    assert meta["title"] == [f"{SPECIAL_TITLE} · Letters & Notes"]
    assert meta["lang"] == ["en"]
    assert meta["description"] == ["A link and a cover."]
    assert meta["canonical"] == [BASE + "posts/special/"]
    assert meta["og:title"] == meta["title"]  # X falls back to og:title and og:description
    assert meta["og:description"] == ["A link and a cover."]
    assert "twitter:title" not in meta and "twitter:description" not in meta
    assert meta["og:url"] == [BASE + "posts/special/"]
    assert meta["og:type"] == ["article"]
    assert meta["og:image"] == meta["twitter:image"] == [BASE + "posts/special/cover.jpg"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["article:published_time"] == ["2026-04-02T10:00:00-04:00"]
    assert meta["article:author"] == [BASE + "authors/ana/"]
    assert meta["article:tag"] == ["writing", "日本語"]


def test_a_post_describes_itself_in_json_ld(site: Site) -> None:
    data = json_ld(site, "posts/special/index.html")
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == SPECIAL_TITLE
    assert data["datePublished"] == "2026-04-02T10:00:00-04:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana Example", "url": BASE + "authors/ana/"}]
    assert data["image"] == BASE + "posts/special/cover.jpg"
    assert data["mainEntityOfPage"] == BASE + "posts/special/"
    # the title's <script> is data, not markup: the page has exactly the theme's scripts
    assert "<script>" not in (site.out / "posts/special/index.html").read_text().split("</head>")[0]


def test_canonical_url_points_at_where_a_post_was_first_published(site: Site) -> None:
    linkedin = "https://www.linkedin.com/pulse/written-for-linkedin-first-ana/"
    meta = head(site, "posts/crossposted/index.html")
    assert meta["canonical"] == meta["og:url"] == [linkedin]
    assert json_ld(site, "posts/crossposted/index.html")["mainEntityOfPage"] == linkedin


def test_posts_without_a_cover_share_their_card_and_other_pages_the_site_default(site: Site) -> None:
    meta = head(site, "posts/photo/index.html")
    assert meta["og:image"] == [BASE + "posts/photo/social-card.jpg"]  # its own, rather than the site's
    assert meta["description"] == ["The harbour at dawn"]  # an image-only post is described by its alt text
    assert head(site, "index.html")["og:image"] == [BASE + "social.png"]
    assert head(site, "index.html")["og:type"] == ["website"]


def test_meta_description_is_plain_and_about_160_characters(site: Site) -> None:
    (description,) = head(site, "posts/long/index.html")["description"]
    assert len(description) <= 160 and description.endswith("word…")
    assert head(site, "about/index.html")["description"] == ["About this newsletter."]


def test_author_page_is_a_profile_with_a_person(site: Site) -> None:
    meta = head(site, "authors/ana/index.html")
    assert meta["og:type"] == ["profile"]
    assert meta["twitter:card"] == ["summary"]
    data = json_ld(site, "authors/ana/index.html")
    assert data["@type"] == "ProfilePage"
    person = data["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == "Ana Example"
    assert person["url"] == BASE + "authors/ana/"
    assert person["sameAs"] == ["https://www.linkedin.com/in/ana-example/"]
    assert person["description"] == "Writer and coach"


def test_tag_and_author_pages_list_their_own_feeds_first(site: Site) -> None:
    site_feeds = [BASE + "feed.xml", BASE + "atom.xml", BASE + "feed.json"]
    assert alternates(site, "index.html") == site_feeds
    assert alternates(site, "tags/writing/index.html") == [
        BASE + "tags/writing/feed.xml", BASE + "tags/writing/atom.xml", *site_feeds
    ]
    assert alternates(site, "authors/ben/index.html")[:2] == [
        BASE + "authors/ben/feed.xml", BASE + "authors/ben/atom.xml"
    ]
    follow = HtmlPage.load(site.out / "authors/ben/index.html")
    # one feed for readers, not three formats: the site's, and the author's own
    assert follow.attrs("//*[@id='follow']//a/@href") == ["/letters/feed.xml", "/letters/authors/ben/feed.xml"]
    assert follow.texts("//*[@id='follow']//a") == ["Follow the RSS feed", "Ben\u2019s RSS feed"]


def test_sitemap_and_robots_work_under_a_base_path(site: Site) -> None:
    sitemap = HtmlPage.load(site.out / "sitemap.xml")
    locs = sitemap.tree.xpath("//*[local-name()='loc']/text()")
    assert locs and all(loc.startswith(BASE) for loc in locs)
    assert BASE + "posts/special/" in locs and BASE + "tags/%E6%97%A5%E6%9C%AC%E8%AA%9E/" in locs
    entry = sitemap.tree.xpath("//*[local-name()='url'][*[local-name()='loc']='" + BASE + "posts/special/']")[0]
    assert entry.xpath("*[local-name()='lastmod']/text()") == ["2026-04-02"]
    assert site.read("robots.txt").splitlines()[-1] == f"Sitemap: {BASE}sitemap.xml"


def test_a_draft_leaves_no_trace_in_any_output(site: Site) -> None:
    leaks = [
        path.relative_to(site.out).as_posix()
        for path in site.out.rglob("*")
        if path.is_file() and (b"Secret draft" in path.read_bytes() or b"posts/secret" in path.read_bytes())
    ]
    assert leaks == []
    assert len(HtmlPage.load(site.out / "tags/writing/index.html").texts("//main//article//h2")) == 3

"""What writers coming from Hugo and Jekyll write and expect to work: {#custom-id} on a heading,
<!--more--> where the excerpt ends, and posts named 2024-03-05-a-title.md."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from conftest import SITE_YAML, Run, Site, post
from htmlpage import HtmlPage

LONG = "A second paragraph that the excerpt keeps, though no first paragraph would."


def test_a_heading_takes_the_id_written_after_it(make_site: Callable[..., Site]) -> None:
    site = make_site()
    body = "## Why I write {#why}\n\nWords.\n\n## Why I write\n\n[Back](#why)\n"
    site.write({"content/posts/first.md": post("First post", "2024-01-05", body, toc="true")})
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    assert page.attrs("//div[@class='prose']//h2/@id") == ["why", "why-i-write"]
    assert page.texts("//div[@class='prose']//h2") == ["Why I write", "Why I write"]
    assert "#why" in page.attrs("//nav//a/@href")  # the table of contents links to it


def test_more_marks_where_the_excerpt_ends(make_site: Callable[..., Site]) -> None:
    site = make_site()
    body = f"The opening.\n\n{LONG}\n\n<!--more-->\n\nThe rest, only on its own page.\n"
    site.write({
        "site.yaml": SITE_YAML + "feed: {content: summary}\n",
        "content/posts/third.md": post("Third", "2026-03-01", body),
        "content/posts/second.md": post("Second", "2025-02-10", body.replace("<!--more-->", "&lt;!--more--&gt;")),
    })
    site.build()
    home = HtmlPage.load(site.out / "index.html")
    assert home.text("//p[@class='featured__summary']") == f"The opening. {LONG}"
    rss = ET.parse(site.out / "feed.xml").getroot()
    descriptions = {i.findtext("title"): i.findtext("description") for i in rss.iter("item")}
    assert descriptions["Third"] == f"The opening. {LONG}"
    assert descriptions["Second"] == "The opening."  # written as text, it is text
    page = (site.out / "posts/third/index.html").read_text()
    assert "The rest, only on its own page." in page and "&lt;!--more" not in page


def test_more_is_never_shown_when_raw_html_is(make_site: Callable[..., Site]) -> None:
    site = make_site()
    body = f"The opening.\n\n{LONG}\n\n<!--more-->\n\nThe rest.\n"
    site.write({
        "site.yaml": SITE_YAML + "markdown: {html: false}\n",
        "content/posts/third.md": post("Third", "2026-03-01", body),
    })
    site.build()
    page = HtmlPage.load(site.out / "posts/third/index.html")
    assert "more--" not in page.text()
    assert HtmlPage.load(site.out / "index.html").text("//p[@class='featured__summary']") == f"The opening. {LONG}"


def test_a_post_named_the_jekyll_way_takes_its_date_and_slug_from_the_name(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/2014-05-06-jekyll-turns-2-0-0.markdown": "---\ntitle: Jekyll turns 2.0.0\n---\nWords.\n",
        "content/posts/2013-05-06-dated/index.md": "---\ntitle: A bundle\n---\nWords.\n",
        "content/posts/2012-01-01-own.md": post("Its own", "2012-02-02", "Words.\n", slug="mine"),
        "content/posts/2011-05-05-kept.md": post("Kept", "2011-05-05", "Words.\n"),
    })
    site.build()
    assert (site.out / "posts/2011-05-05-kept/index.html").exists()  # with date:, its address stays
    page = HtmlPage.load(site.out / "posts/jekyll-turns-2-0-0/index.html")
    assert page.attrs("//meta[@property='article:published_time']/@content") == ["2014-05-06T00:00:00-04:00"]
    assert (site.out / "posts/dated/index.html").exists()
    own = HtmlPage.load(site.out / "posts/mine/index.html")  # front matter wins
    assert own.attrs("//meta[@property='article:published_time']/@content") == ["2012-02-02T00:00:00-05:00"]


def test_a_file_name_date_that_is_not_one_is_located(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({"content/posts/2014-02-30-leap.md": "---\ntitle: Leap\n---\nWords.\n"})
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (
        1, "content/posts/2014-02-30-leap.md:2:1: the file name starts with 2014-02-30, which is not a date, "
        "and there is no date:\n"
    )


def test_a_link_from_the_site_s_root_stays_under_its_path(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    from conftest import picture

    site = make_site()  # published at https://example.org/letters/
    body = "See [the about page](/about/) and the boat:\n\n![A boat](/images/boat.png)\n"
    site.write({"content/posts/first.md": post("First post", "2024-01-05", body), "static/images/boat.png": picture()})
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    assert page.attrs("//div[@class='prose']//a/@href") == ["/letters/about/"]
    assert page.attrs("//div[@class='prose']//img/@src") == ["/letters/images/boat.png"]
    assert page.attrs("//div[@class='prose']//img/@width") == ["32"]
    feed = (site.out / "feed.xml").read_text()
    assert "https://example.org/letters/about/" in feed and "https://example.org/about/" not in feed
    assert run_cli(site.root, "check").status == 0


CALLOUTS = """\
!!! warning "Before you send it"
    Read the note *aloud* once.

??? tip "Why a note at all?"
    People answer a reason.

::: note
A colon fence works too.
:::

Connection
: Two people who would answer each other.

![A harbour at dawn](/images/boat.png "The harbour at dawn")

Write to ana@example.org or see https://example.org/guide.
"""


def test_callouts_definitions_figures_and_bare_links(make_site: Callable[..., Site]) -> None:
    from conftest import picture

    site = make_site()
    site.write({
        "content/posts/first.md": post("First post", "2024-01-05", CALLOUTS), "static/images/boat.png": picture()
    })
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    prose = "//div[@class='prose']"
    assert page.attrs(f"{prose}/div[@role='note']/@class") == ["callout callout--warning", "callout callout--note"]
    assert page.texts(f"{prose}//*[@class='callout__title']") == ["Before you send it", "Why a note at all?", "Note"]
    assert page.attrs(f"{prose}/details/@class") == ["callout callout--tip"]  # folded: its title opens it
    assert page.texts(f"{prose}/details/summary") == ["Why a note at all?"]
    assert (page.texts(f"{prose}/dl/dt"), page.texts(f"{prose}/dl/dd")) == (
        ["Connection"], ["Two people who would answer each other."]
    )
    assert page.texts(f"{prose}/figure/figcaption") == ["The harbour at dawn"]
    assert page.attrs(f"{prose}/figure//img/@title") == []  # said once, as the caption
    assert page.attrs(f"{prose}/p/a/@href") == ["mailto:ana@example.org", "https://example.org/guide"]


def test_each_can_be_turned_off_in_site_yaml(make_site: Callable[..., Site]) -> None:
    from conftest import picture

    site = make_site()
    off = "markdown: {callouts: false, definitions: false, autolinks: false, figures: false}\n"
    site.write({
        "site.yaml": SITE_YAML + off,
        "content/posts/first.md": post("First post", "2024-01-05", CALLOUTS),
        "static/images/boat.png": picture(),
    })
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    prose = "//div[@class='prose']"
    assert page.attrs(f"{prose}//*[contains(@class, 'callout')]/@class") == []
    assert page.texts(f"{prose}//dl") == [] and page.texts(f"{prose}//figure") == []
    assert page.attrs(f"{prose}//a[starts-with(@href, 'mailto:')]/@href") == []
    assert "!!! warning" in page.text(prose)

"""Covers: a post's `image:` leads its page with its alt text and credit, shows as a thumbnail in
lists, and the newest letter leads the home page; a cover without alt text is a located warning."""

from __future__ import annotations

from collections.abc import Callable

from conftest import SITE_YAML, Site, picture, post
from htmlpage import HtmlPage

COVER = picture(1600, 900)


def _with_covers(site: Site) -> None:
    site.write({
        "content/posts/third/index.md": post(
            '"Third: “quoted” 世界"', "2026-03-01T08:00:00-05:00", "Last words.\n\nMore.\n",
            image="cover.jpg", image_alt='"Two hands, one pen"', image_credit='"Photo by Ana Example"',
        ),
        "content/posts/third/cover.jpg": COVER,
        "content/posts/first.md": post(
            "First post", "2024-01-05", "Words.\n", image="/images/plain.jpg", image_alt='""', tags="[writing]"
        ),
        "content/images/plain.jpg": COVER,
    })
    (site.root / "content/posts/third.md").unlink()


def test_a_cover_has_its_alt_text_and_credit(make_site: Callable[..., Site]) -> None:
    site = make_site()
    _with_covers(site)
    report = site.build()
    assert [str(w) for w in report.warnings] == []
    page = HtmlPage.load(site.out / "posts/third/index.html")
    assert page.attrs("//figure[@class='post-cover']//img/@alt") == ["Two hands, one pen"]
    assert page.text("//figure[@class='post-cover']/figcaption") == "Photo by Ana Example"
    decorative = HtmlPage.load(site.out / "posts/first/index.html")
    assert decorative.attrs("//figure[@class='post-cover']//img/@alt") == [""]


def test_a_cover_without_alt_text_is_a_located_warning(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/first.md": post("First post", "2024-01-05", "Words.\n", image="/images/plain.jpg"),
        "content/images/plain.jpg": COVER,
    })
    report = site.build()
    assert [str(w) for w in report.warnings] == [
        "content/posts/first.md:4:1: the cover image has no image_alt: say what it shows, for readers who cannot "
        'see it (image_alt: "" for a cover that only decorates)'
    ]


def test_lists_show_thumbnails_and_the_home_page_leads_with_the_newest_letter(make_site: Callable[..., Site]) -> None:
    site = make_site()
    _with_covers(site)
    site.build()
    home = HtmlPage.load(site.out / "index.html")
    assert home.text("//article[@class='featured']//h2") == "Third: “quoted” 世界"
    assert home.attrs("//article[@class='featured']//img/@alt") == ["Two hands, one pen"]
    assert home.text("//article[@class='featured']//p[@class='featured__summary']") == "Last words."
    # the rest of page 1 below it; the newest is not listed twice
    assert home.texts("//ul[@class='post-list']//h3") == ["Second post"]
    page2 = HtmlPage.load(site.out / "page/2/index.html")
    assert page2.attrs("//img[@class='post-card__cover']/@src") == ["/letters/images/plain.jpg"]
    assert page2.attrs("//img[@class='post-card__cover']/@alt") == [""]  # the title's link says it
    tag = HtmlPage.load(site.out / "tags/writing/index.html")
    assert "/letters/images/plain.jpg" in tag.attrs("//img[@class='post-card__cover']/@src")


def test_a_tag_page_shows_a_display_name_and_site_yaml_s_title_and_description(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    page = HtmlPage.load(site.out / "tags/writing/index.html")
    assert page.text("//h1") == "Writing"  # written "writing" in the posts
    assert page.text("//title") == "Writing · Letters & Notes"
    assert HtmlPage.load(site.out / "tags/networking/index.html").text("//h1") == "Networking"
    settings = 'tags:\n  writing: {title: "The Craft", description: "How the letters get written."}\n'
    site.write({"site.yaml": SITE_YAML + settings})
    site.build()
    page = HtmlPage.load(site.out / "tags/writing/index.html")
    shown = (page.text("//h1"), page.text("//p[@class='page-subtitle']"))
    assert shown == ("The Craft", "How the letters get written.")
    assert page.attrs("//meta[@name='description']/@content") == ["How the letters get written."]

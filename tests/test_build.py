"""`sitegen build` makes every page a newsletter needs, from the default theme."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITE_YAML, Run, Site, picture, post
from htmlpage import HtmlPage


def page(site: Site, dest: str) -> HtmlPage:
    return HtmlPage.load(site.out / dest)


def test_post_page_has_title_byline_body_tags_and_neighbours(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/second.md": post(
            "Second post",
            "2025-02-10 09:30",
            "## A heading\n\nMore words.\n",
            author="ben",
            subtitle="The subtitle",
            updated="2025-03-01",
            tags="[writing]",
            toc="true",
        )
    })
    site.build()
    html = page(site, "posts/second/index.html")
    assert html.text("//h1") == "Second post"
    assert "The subtitle" in html.text("//main")
    assert "/letters/authors/ben/" in html.links
    assert html.attrs("//time/@datetime")[:2] == ["2025-02-10T09:30:00-05:00", "2025-03-01T00:00:00-05:00"]
    assert "1 min read" in html.text("//main")
    assert html.text("//h2[@id='a-heading']") == "A heading"
    assert "#a-heading" in html.links  # the table of contents
    assert "/letters/tags/writing/" in html.links
    assert "/letters/posts/first/" in html.links  # older neighbour
    assert "/letters/posts/third/" in html.links  # newer neighbour


def test_post_page_asks_to_follow_by_the_authors_signup_and_the_rss_feed(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    ana = page(site, "posts/first/index.html")  # ana has a signup link of her own, the site none
    assert ana.text("//section[@id='subscribe']//h2") == "Get the next letter by email"
    assert ana.attrs("//section[@id='subscribe']//a/@href") == ["https://buttondown.com/ana", "/letters/feed.xml"]
    assert ana.text("//a[contains(@class, 'site-subscribe')]") == "Subscribe"
    ben = page(site, "posts/second/index.html")
    assert ben.text("//section[@id='subscribe']//h2") == "Follow new letters"
    assert ben.attrs("//section[@id='subscribe']//a/@href") == ["/letters/feed.xml"]
    assert ben.text("//section[@id='subscribe']//a") == "Follow the RSS feed"
    assert ben.text("//a[contains(@class, 'site-subscribe')]") == "Follow"


def test_home_page_lists_newest_posts_with_summaries_and_paginates(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    home = page(site, "index.html")
    text = home.text("//main")
    assert text.index("Third") < text.index("Second post")
    assert "More words." in text
    assert "First post" not in text
    assert "/letters/page/2/" in home.links
    second = page(site, "page/2/index.html")
    assert "First post" in second.text("//main")
    assert "/letters/" in second.links


def test_archive_groups_posts_by_year(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    archive = page(site, "archive/index.html")
    assert [t.split()[0] for t in archive.texts("//main//h2")] == ["2026", "2025", "2024"]


def test_tag_pages_and_tag_index(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    tag = page(site, "tags/writing/index.html")
    assert "First post" in tag.text("//main") and "Second post" in tag.text("//main")
    assert "Third" not in tag.text("//main")
    index = page(site, "tags/index.html")
    assert "/letters/tags/networking/" in index.links and "/letters/tags/writing/" in index.links


def test_author_page_separates_follow_from_connect(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    author = page(site, "authors/ana/index.html")
    assert author.text("//h1") == "Ana Example"
    assert "reaching out" in author.text("//main")
    follow = author.tree.xpath("//*[@id='follow']")[0]
    connect = author.tree.xpath("//section[@id='connect']")[0]
    follow_links = [str(a) for a in follow.xpath(".//a/@href")]
    connect_links = [str(a) for a in connect.xpath(".//a/@href")]
    assert "https://buttondown.com/ana" in follow_links
    assert "https://example.org/letters/feed.xml" in follow_links or "/letters/feed.xml" in follow_links
    assert "https://www.linkedin.com/in/ana-example/" in connect_links
    assert any(link.startswith("mailto:ana@example.com?subject=") for link in connect_links)
    assert "https://buttondown.com/ana" not in connect_links


def test_standalone_pages_404_sitemap_and_robots(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    assert page(site, "about/index.html").text("//h1") == "About"
    assert "/letters/" in page(site, "404.html").links
    sitemap = site.read("sitemap.xml")
    assert "<loc>https://example.org/letters/posts/first/</loc>" in sitemap
    assert "<loc>https://example.org/letters/about/</loc>" in sitemap
    assert site.read("robots.txt").endswith("Sitemap: https://example.org/letters/sitemap.xml\n")


def test_every_page_links_the_feeds(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    for dest in ("index.html", "posts/first/index.html", "authors/ana/index.html", "404.html"):
        alternates = page(site, dest).attrs("//link[@rel='alternate']/@href")
        assert "https://example.org/letters/feed.xml" in alternates or "/letters/feed.xml" in alternates
        assert any(href.endswith("/letters/atom.xml") for href in alternates)


def test_drafts_and_future_posts_only_with_drafts(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/draft.md": post("A draft", "2024-02-01", draft="true"),
        "content/posts/future.md": post("From the future", "2027-01-01"),
    })
    site.build()
    assert not (site.out / "posts/draft").exists()
    assert not (site.out / "posts/future").exists()
    assert "A draft" not in site.read("feed.xml")
    site.build(drafts=True)
    assert (site.out / "posts/draft/index.html").exists()
    assert (site.out / "posts/future/index.html").exists()


def test_pages_can_be_drafts_and_ask_for_a_table_of_contents(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/pages/colophon.md": "---\ntitle: Colophon\ndraft: true\n---\nNot yet.\n",
        "content/pages/faq.md": "---\ntitle: FAQ\ntoc: true\n---\n## Why email?\n\n## Why now?\n",
    })
    site.build()
    assert not (site.out / "colophon").exists()
    assert "Colophon" not in site.read("sitemap.xml")
    assert page(site, "faq/index.html").texts("//nav[@class='toc']//a") == ["Why email?", "Why now?"]
    site.build(drafts=True)
    assert page(site, "colophon/index.html").text("//h1") == "Colophon"


def test_dates_without_zone_take_the_site_timezone(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    times = page(site, "posts/first/index.html").attrs("//article//time/@datetime")
    assert times[0] == "2024-01-05T00:00:00-05:00"


def test_permalink_pattern_with_date_parts(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + 'permalinks: {post: "/{year}/{month}/{day}/{slug}/"}\n'})
    site.build()
    assert (site.out / "2024/01/05/first/index.html").exists()
    assert (site.out / "2025/02/10/second/index.html").exists()


DESK = picture(30, 20)


def test_files_beside_a_post_are_copied_beside_its_page(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/bundle/index.md": post("Bundle", "2024-06-01", "![A desk](desk.jpg)\n", image="desk.jpg"),
        "content/posts/bundle/desk.jpg": DESK,
        "content/images/logo.png": picture(kind="PNG"),
    })
    site.build()
    assert (site.out / "posts/bundle/desk.jpg").read_bytes() == DESK
    assert (site.out / "images/logo.png").exists()
    body = page(site, "posts/bundle/index.html")
    assert "desk.jpg" in body.attrs("//article//img/@src")


def test_bom_and_crlf_files_read_correctly(make_site: Callable[..., Site]) -> None:
    site = make_site()
    text = post("Windows post", "2024-07-01", "Line one.\n\n## Café\n").replace("\n", "\r\n")
    site.write({"content/posts/win.md": "\ufeff".encode() + text.encode("utf-8")})
    site.build()
    html = page(site, "posts/win/index.html")
    assert html.text("//h1") == "Windows post"
    assert html.text("//h2[@id='café']") == "Café"


def test_raw_html_can_be_switched_off(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"content/posts/raw.md": post("Raw", "2024-07-01", '<span class="x">hi</span>\n')})
    site.build()
    assert '<span class="x">hi</span>' in site.read("posts/raw/index.html")
    site.write({"site.yaml": SITE_YAML + "markdown: {html: false, typographer: false}\n"})
    site.build()
    html = site.read("posts/raw/index.html")
    assert "&lt;span class=&quot;x&quot;&gt;hi&lt;/span&gt;" in html and '<span class="x">' not in html


def test_second_build_writes_nothing(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    before = {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()}
    report = site.build()
    assert report.write.written == 0 and report.write.removed == 0
    assert {p: p.stat().st_mtime_ns for p in site.out.rglob("*") if p.is_file()} == before


def test_files_the_site_no_longer_produces_are_removed(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    (site.root / "content/posts/second.md").unlink()
    report = site.build()
    assert not (site.out / "posts/second").exists()
    assert report.write.removed >= 1


def test_without_the_cache_files_no_longer_produced_are_still_removed(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    (site.root / "content/posts/second.md").unlink()
    report = site.build(use_cache=False)  # the last build's list of files is unknown: look at all
    assert not (site.out / "posts/second").exists()
    assert (site.out / "posts/first/index.html").is_file() and (site.out / ".sitegen-output").is_file()
    assert "posts/second/index.html" in report.changed_paths


def test_failed_build_keeps_the_last_good_output(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    site.build()
    before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    site.write({"content/posts/first.md": "---\ntitle: [broken\n---\n"})
    assert run_cli(site.root, "build").status == 1
    assert {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == before


def test_output_folder_with_someone_elses_files_is_refused(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = run_cli(site.root, "build", "--output", str(precious))
    assert result.status == 1
    assert "is not empty and was not made by sitegen" in result.err
    assert (precious / "thesis.txt").read_text() == "years of work"
    assert run_cli(site.root, "build", "--output", ".").status == 1


def test_nothing_is_written_outside_the_output_folder(make_site: Callable[..., Site], tmp_path: Path) -> None:
    site = make_site()
    site.write({"content/posts/x.md": post("X", "2024-01-01", slug="..")})
    with pytest.raises(Exception, match="slug"):
        site.build()
    outside = {p for p in tmp_path.rglob("*")} - {p for p in site.root.rglob("*")}
    assert outside == {site.root}


def test_theme_with_parent_overrides_one_template(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: child\n",
        "themes/child/theme.yaml": "name: child\nparent: default\n",
        "themes/child/templates/page.html": (
            "{% extends 'base.html' %}{% block content %}<h1>Custom {{ page.title }}</h1>{% endblock %}"
        ),
        "themes/child/static/extra.css": "body{}",
    })
    site.build()
    assert page(site, "about/index.html").text("//h1") == "Custom About"
    assert page(site, "posts/first/index.html").text("//h1") == "First post"
    assert (site.out / "extra.css").exists() and (site.out / "style.css").exists()


def test_base_url_override(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build(base_url="http://127.0.0.1:8000")
    assert "/authors/ana/" in page(site, "posts/first/index.html").links
    assert "<link>http://127.0.0.1:8000/</link>" in site.read("feed.xml")


def test_cli_summary_and_quiet(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    result = run_cli(site.root, "build")
    assert result.status == 0
    assert result.out.startswith("posts 3 · pages ")
    # RSS + Atom for the site, two tags and two authors, and one JSON Feed
    assert "feeds 11" in result.out and "built in" in result.out
    assert run_cli(site.root, "build", "--quiet").out == ""


def test_build_another_folder_and_output(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    result = run_cli(tmp_path, "build", "site", "--output", "public")
    assert result.status == 0
    assert (tmp_path / "public/index.html").exists()
    assert not (site.root / "output").exists()
    assert os.path.exists(tmp_path / "public/feed.xml")

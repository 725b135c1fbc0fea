"""Two outputs that would be one file on some disk are found before anything is written, each a
located error naming both, with the way out."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from conftest import SITE_YAML, Run, Site, post


def failing(make_site: Callable[..., Site], run_cli: Callable[..., Run], files: dict[str, str | bytes]) -> str:
    site = make_site()
    site.build()
    before = sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*"))
    site.write(files)
    result = run_cli(site.root, "build")
    assert result.status == 1
    assert sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*")) == before  # nothing written
    return result.err


def test_slugs_that_differ_only_in_case(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    err = failing(make_site, run_cli, {
        "content/posts/a.md": post("A", "2025-01-01", slug="Hello"),
        "content/posts/b.md": post("B", "2025-01-02", slug="hello"),
    })
    assert err == (
        "content/posts/a.md:4:1: the page of content/posts/a.md would be posts/Hello/index.html, the same file as "
        "posts/hello/index.html (the page of content/posts/b.md) on disks that ignore letter case or accents "
        "(give one of them another slug:)\n"
    )


def test_a_file_beside_a_generated_one(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    err = failing(make_site, run_cli, {"content/Feed.xml": "<rss/>"})
    assert err == (
        "content/Feed.xml: content/Feed.xml would be Feed.xml, the same file as feed.xml (the feed of Letters & Notes) "
        "on disks that ignore letter case or accents (rename one of the files)\n"
    )


@pytest.mark.parametrize("slug", ["feed.xml", "sitemap.xml", "robots.txt", "404.html", "style.css", "favicon.svg"])
def test_a_page_named_like_a_generated_file(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], slug: str
) -> None:
    err = failing(make_site, run_cli, {"content/pages/odd.md": f"---\ntitle: Odd\nslug: {slug}\n---\nText.\n"})
    what = {
        "feed.xml": "the feed of Letters & Notes", "sitemap.xml": "a file sitegen makes",
        "robots.txt": "a file sitegen makes", "404.html": "a file sitegen makes",
        "style.css": "a file of the theme (style.css)", "favicon.svg": "a file of the theme (favicon.svg)",
    }[slug]
    assert err == (
        f"content/pages/odd.md:3:1: the page of content/pages/odd.md would be {slug}/index.html, in a folder named "
        f"like the file {slug} ({what}) (give one of them another slug:)\n"
    )


def test_tags_that_are_not_the_same_tag_do_not_share_a_page(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    err = failing(make_site, run_cli, {
        "content/posts/c.md": post("C", "2025-01-01", tags="[C, Writing]"),
        "content/posts/sharp.md": post("Sharp", "2025-01-02", tags='["C#", writing]'),
        "content/posts/plus.md": post("Plus", "2025-01-03", tags='["C++", "!!!"]'),
    })
    assert err == (
        "content/posts/plus.md:4:1: tag 'C++' would share the page /tags/c/ of tag 'C' (content/posts/c.md) "
        "(give it a slug in site.yaml: tags: {\"C++\": {slug: ...}})\n"
        "content/posts/plus.md:4:1: tag '!!!' has no letters or digits to make its address from "
        "(give it a slug in site.yaml: tags: {\"!!!\": {slug: ...}})\n"
        "content/posts/sharp.md:4:1: tag 'C#' would share the page /tags/c/ of tag 'C' (content/posts/c.md) "
        "(give it a slug in site.yaml: tags: {\"C#\": {slug: ...}})\n"
    )


def test_site_yaml_gives_a_tag_its_slug_and_title(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + 'tags: {"C#": {slug: csharp, title: "C sharp"}}\n',
        "content/posts/c.md": post("C", "2025-01-01", tags="[C]"),
        "content/posts/sharp.md": post("Sharp", "2025-01-02", tags='["c#"]'),
    })
    site.build()
    assert (site.out / "tags/csharp/index.html").is_file() and (site.out / "tags/c/index.html").is_file()


def test_a_slug_with_a_decomposed_accent_says_so(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    decomposed = unicodedata.normalize("NFD", "café")
    err = failing(make_site, run_cli, {"content/posts/cafe.md": post("Café", "2025-01-01", slug=decomposed)})
    assert err == (
        f"content/posts/cafe.md:4:1: slug {decomposed!r} is not in Unicode's composed form (NFC): an accent typed "
        "as a character of its own looks the same but makes another address (type the slug again, or leave slug: out)\n"
    )

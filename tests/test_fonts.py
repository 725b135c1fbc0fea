"""The text face: the system's good serifs by default, and Source Serif 4 served with the site
with one switch, within its weight budget and only in the scripts the site's language needs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import SITE_YAML, Site
from htmlpage import HtmlPage

from sitegen.render.fonts import FONTS, RANGES, font_css, subsets_for

BUDGET = 80_000
"""Bytes of font files a page of an English site may load (latin, normal and italic)."""


def test_the_shipped_files_are_woff2_and_within_budget() -> None:
    for name in RANGES:
        for style in ("normal", "italic"):
            assert (FONTS / f"source-serif-4-{name}-{style}.woff2").read_bytes()[:4] == b"wOF2"
    latin = sum((FONTS / f"source-serif-4-latin-{style}.woff2").stat().st_size for style in ("normal", "italic"))
    assert latin <= BUDGET, latin
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONTS / "OFL.txt").read_text()


@pytest.mark.parametrize(("language", "subsets"), [
    ("en", ("latin",)), ("fr", ("latin",)), ("pl", ("latin", "latin-ext")), ("ru", ("latin", "cyrillic")),
    ("el", ("latin", "greek")), ("vi", ("latin", "vietnamese")), ("ja", ("latin",)), ("pt-BR", ("latin",)),
])
def test_only_the_scripts_the_language_needs(language: str, subsets: tuple[str, ...]) -> None:
    assert subsets_for(language) == subsets


def test_by_default_no_font_file_and_a_stack_that_names_each_platform(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    assert not (site.out / "fonts").exists()
    page = HtmlPage.load(site.out / "index.html")
    assert page.attrs("//link[@rel='preload']/@href") == []
    css = site.read("style.css")
    stack = css.split("--serif-system:")[1].split(";")[0]
    for family in ("Charter", "Sitka Text", '"Noto Serif"', '"Noto Serif CJK JP"'):
        assert family in stack
    assert stack.rstrip().endswith("serif") and stack.index('"Noto Serif"') < stack.index("Georgia")


def test_one_switch_serves_source_serif_with_the_page(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "font: source-serif\n"})
    site.build()
    assert sorted(p.name for p in (site.out / "fonts").iterdir()) == [
        "OFL.txt", "fonts.css", "source-serif-4-latin-italic.woff2", "source-serif-4-latin-normal.woff2"
    ]
    page = HtmlPage.load(site.out / "posts/first/index.html")
    preloaded = page.attrs("//link[@rel='preload'][@as='font']/@href")
    assert preloaded == ["/letters/fonts/source-serif-4-latin-normal.woff2"]
    # the rules are in the page (no stylesheet more to wait for), with addresses under the base path
    inline = page.tree.xpath("string(//head/style)")
    assert inline == font_css(("latin",), "/letters/fonts/")
    assert 'src: url("/letters/fonts/source-serif-4-latin-normal.woff2") format("woff2");' in inline
    assert site.read("fonts/fonts.css") == font_css(("latin",))  # for a theme of one's own
    assert "font-display: swap;" in site.read("fonts/fonts.css")
    assert ':root { --serif: "Source Serif 4", var(--serif-system); }' in site.read("fonts/fonts.css")
    site.write({"site.yaml": SITE_YAML + "font: system\n"})
    site.build()
    assert not (site.out / "fonts").exists()  # turned off: the files go with it


def test_a_russian_site_gets_cyrillic_too(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "font: source-serif\nlanguage: ru\n"})
    site.build()
    assert (site.out / "fonts/source-serif-4-cyrillic-normal.woff2").is_file()
    assert RANGES["cyrillic"] in site.read("fonts/fonts.css")


def test_a_wrong_font_is_a_located_error(make_site: Callable[..., Site]) -> None:
    from sitegen.errors import SiteError

    site = make_site()
    site.write({"site.yaml": SITE_YAML + "font: Georgia\n"})
    with pytest.raises(SiteError) as raised:
        site.build()
    assert str(raised.value).endswith(
        "site.yaml:7:1: 'font' must be system (the reader's own serifs) or source-serif, not 'Georgia'"
    )

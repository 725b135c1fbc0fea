"""The connect call-to-action: a personal note naming the post, under LinkedIn's 200 characters."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from conftest import SITE_YAML, Site, post
from htmlpage import HtmlPage

from sitegen.model.connect import NOTE_LIMIT, fill_note
from sitegen.model.site import Author


def mailto_parts(href: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(href)
    return unquote(parts.path), parse_qs(parts.query)


def test_post_about_box_note_names_the_post(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    html = HtmlPage.load(site.out / "posts/first/index.html")
    # the connect box's, not "share by email" (mailto:?subject=...)
    mailtos = [h for h in html.links if h.startswith("mailto:") and not h.startswith("mailto:?")]
    assert len(mailtos) == 1
    address, query = mailto_parts(mailtos[0])
    assert address == "ana@example.com"
    assert query["subject"] == ["After reading “First post”"]
    note = query["body"][0]
    assert "Hi Ana" in note and "“First post”" in note
    # With JavaScript off the note is there to read and copy.
    assert note in html.text("//main")


def test_author_page_note_names_their_newest_post(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    html = HtmlPage.load(site.out / "authors/ana/index.html")
    assert "“Third: \u2018quoted\u2019 世界”" in html.text("//section[@id='connect']")  # its quotes made single


def test_configured_note_is_used_and_stays_under_the_limit(make_site: Callable[..., Site]) -> None:
    site = make_site()
    long_title = "A very long title " * 12
    site.write({
        "site.yaml": SITE_YAML + 'connect: {note: "Hello {author}! Your post “{title}” ({url}) made me think."}\n',
        "content/posts/long.md": post(long_title.strip(), "2024-02-01"),
    })
    site.build()
    html = HtmlPage.load(site.out / "posts/long/index.html")
    _, query = mailto_parts(next(h for h in html.links if h.startswith("mailto:") and not h.startswith("mailto:?")))
    note = query["body"][0]
    assert note.startswith("Hello Ana! Your post “A very long title")
    assert note.endswith("…” (https://example.org/letters/posts/long/) made me think.")
    assert len(note) < NOTE_LIMIT


def test_default_note_fits_for_any_title() -> None:
    import yaml

    from sitegen.render.theme import PACKAGED_THEMES

    DEFAULT_NOTE = yaml.safe_load((PACKAGED_THEMES / "default/i18n/en.yaml").read_text())["connect_note"]

    ana = Author(id="ana", name="Anastasia Example-Longname", url="/authors/ana/", src_path="x")
    for title in ("Hi", "x" * 50, "连接" * 200):
        note = fill_note(DEFAULT_NOTE, ana, title, "https://example.org/p/")
        assert len(note) < NOTE_LIMIT
        assert note.startswith("Hi Anastasia, I just read “")


def test_a_long_note_is_shortened_around_its_address_never_in_it() -> None:
    url = "https://example.org/letters/posts/a-fairly-long-address-for-a-letter/"
    template = "Hi {author}, " + "I liked your letter a great deal and would say so at length. " * 4 + "{url} thanks"
    note = fill_note(template, Author("ana", "Ana Example", "/authors/ana/", "a.md"), "Title", url)
    assert len(note) < NOTE_LIMIT
    assert f" {url} " in note  # whole, and apart from the words around it
    assert note.startswith("Hi Ana, I liked your letter") and "…" in note

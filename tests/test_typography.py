"""What a reader sees of the words: curly quotes of the site's language, dashes and ellipses in
bodies, titles and summaries; a quote with its source as a figure; the connect note's quotes."""

from __future__ import annotations

from collections.abc import Callable

import feedparser
import pytest
from conftest import SITE_YAML, Site, post
from htmlpage import HtmlPage

from sitegen.markup.markdown import quotes_for, render_markdown, smarten
from sitegen.model.connect import quoted_within

EN = quotes_for("en")


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "She said \u201chi\u201d \u2013 it\u2019s done\u2026"),
    ("en-GB", "She said \u201chi\u201d \u2013 it\u2019s done\u2026"),
    ("fr", "She said \u00ab\u00a0hi\u00a0\u00bb \u2013 it\u2019s done\u2026"),
    ("de", "She said \u201ehi\u201c \u2013 it\u2019s done\u2026"),
    ("pt-BR", "She said \u201chi\u201d \u2013 it\u2019s done\u2026"),
    ("ja", "She said \u300chi\u300d \u2013 it\u2019s done\u2026"),
])
def test_the_typographer_uses_the_quotes_of_the_language(language: str, expected: str) -> None:
    written = 'She said "hi" -- it\'s done...'
    assert smarten(written, quotes_for(language)) == expected
    assert render_markdown(written, quotes=quotes_for(language)).html == f"<p>{expected}</p>\n"


def test_code_keeps_its_straight_quotes() -> None:
    html = render_markdown('`"x" -- y` and\n\n```\nprint("--")\n```\n', quotes=EN).html
    assert "<code>&quot;x&quot; -- y</code>" in html and "print(&quot;--&quot;)" in html


def test_titles_subtitles_summaries_and_bodies_of_a_site(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"content/posts/q.md": post(
        """'How Reaching Out To "Humans" Pays'""", "2026-05-01", "It's simple -- say why...\n",
        subtitle="\"'A note' --- not a form\"", summary="'\"Why\" matters...'",
    )})
    site.build()
    page = HtmlPage.load(site.out / "posts/q/index.html")
    assert page.text("//h1") == "How Reaching Out To \u201cHumans\u201d Pays"
    assert page.text("//p[@class='post-subtitle']") == "\u2018A note\u2019 \u2014 not a form"
    assert page.text("//div[@class='prose']/p") == "It\u2019s simple \u2013 say why\u2026"
    assert page.attrs("//meta[@name='description']/@content") == ["\u201cWhy\u201d matters\u2026"]
    # the connect note quotes the title in curly double quotes, its own quotes made single
    note = page.text("//p[@data-note]")
    assert "\u201cHow Reaching Out To \u2018Humans\u2019 Pays\u201d" in note
    feed = feedparser.parse(site.read("feed.xml"))
    assert feed.entries[0].title == "How Reaching Out To \u201cHumans\u201d Pays"


def test_the_typographer_can_be_turned_off(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "markdown: {typographer: false}\n",
        "content/posts/q.md": post("""'Out To "Humans"'""", "2024-07-01", "It's -- as written...\n"),
    })
    site.build()
    page = HtmlPage.load(site.out / "posts/q/index.html")
    assert page.text("//h1") == 'Out To "Humans"'
    assert page.text("//div[@class='prose']/p") == "It's -- as written..."
    assert "\u201cOut To \u2018Humans\u2019\u201d" in page.text("//p[@data-note]")  # the note's quotes stay consistent


def test_quoted_within_makes_inner_quotes_single() -> None:
    assert quoted_within('Out To "Humans" Pays') == "Out To \u2018Humans\u2019 Pays"
    assert quoted_within("Out To \u201cHumans\u201d Pays") == "Out To \u2018Humans\u2019 Pays"


# --- a quote and its source ----------------------------------------------------------------


@pytest.mark.parametrize("written", [
    "> The words we choose.\n> \u2014 C.S. Lewis\n",
    "> The words we choose.\n>\n> -- C.S. Lewis\n",
    "> The words we choose.\n> \u2015 C.S. Lewis\n",
])
def test_a_quote_with_its_source_becomes_a_figure(written: str) -> None:
    html = render_markdown(written, quotes=EN).html
    assert html == (
        '<figure class="quote">\n<blockquote>\n<p>The words we choose.</p>\n</blockquote>\n'
        "<figcaption>C.S. Lewis</figcaption>\n</figure>\n"
    )


def test_the_source_may_hold_links_and_emphasis_and_the_text_edition_keeps_it() -> None:
    rendered = render_markdown("> Words.\n> \u2014 [Ana](https://example.org/), *Letters*\n", quotes=EN, with_text=True)
    assert '<figcaption><a href="https://example.org/">Ana</a>, <em>Letters</em></figcaption>' in rendered.html
    assert rendered.text is not None and "\u2014 Ana [1], Letters" in rendered.text


@pytest.mark.parametrize("written", [
    "> Just a quote\n> with two lines\n",
    "> \u2014 nothing but a source\n",
    "> A dash\u2014in the middle\n",
])
def test_other_quotes_stay_quotes(written: str) -> None:
    html = render_markdown(written, quotes=EN).html
    assert html.startswith("<blockquote>") and "figcaption" not in html

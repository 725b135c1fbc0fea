"""Markdown: CommonMark plus the extensions a newsletter uses."""

from __future__ import annotations

import random

from sitegen.markup.markdown import render_markdown

BODY = """\
# Title 世界

Intro with a note[^n] and ~~old~~ text.

{.pullquote}
> Reach out with a reason.

## Café & Co

- [x] done
- [ ] to do

| a | b |
|---|---|
| 1 | 2 |

```python
def hello(): pass
```

[^n]: The footnote.
"""


def test_extensions_render() -> None:
    html = render_markdown(BODY).html
    assert '<blockquote class="pullquote">' in html
    assert "<s>old</s>" in html
    assert '<section class="footnotes">' in html
    assert 'type="checkbox"' in html and "checked" in html
    assert "<table>" in html
    assert '<span class="k">def</span>' in html


def test_heading_ids_are_unicode_safe_and_stable() -> None:
    rendered = render_markdown(BODY)
    assert '<h1 id="title-世界">' in rendered.html
    assert [(h.level, h.text, h.id) for h in rendered.toc] == [(2, "Café & Co", "café-co")]
    assert render_markdown(BODY).toc == rendered.toc


def test_attributes_cannot_inject_script() -> None:
    html = render_markdown('{onclick="alert(1)" .x}\nText\n', allow_html=False).html
    assert "onclick" not in html and 'class="x"' in html


def test_first_paragraph_is_plain_text() -> None:
    assert render_markdown(BODY).first_paragraph == "Intro with a note and old text."


def test_the_theme_ships_the_current_code_highlighting_css() -> None:
    from sitegen.markup.markdown import pygments_css
    from sitegen.render.theme import PACKAGED_THEMES

    shipped = (PACKAGED_THEMES / "default/static/pygments.css").read_text(encoding="utf-8")
    assert shipped == pygments_css(), (
        "regenerate: python -c \"from sitegen.markup.markdown import pygments_css; print(pygments_css(), end='')\""
        " > src/sitegen/themes/default/static/pygments.css"
    )


def test_wide_code_and_tables_are_keyboard_scrollable_without_javascript() -> None:
    html = render_markdown("    indented code\n\n" + BODY).html
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">\n<table>' in html
    assert "</table>\n</div>" in html
    assert html.count('<pre tabindex="0"><code') == 2


def test_summary_keeps_the_space_at_a_line_break() -> None:
    rendered = render_markdown("A note that says why\nyou want to connect.\n")
    assert rendered.first_paragraph == "A note that says why you want to connect."


def test_words_are_counted_as_a_reader_reads_them() -> None:
    # words between spaces in the text (not the Markdown, links' URLs or code), CJK at two a word
    assert render_markdown("It's *here*: [a link](https://example.org/x-y) and `code()` too.\n").words == 6
    assert render_markdown("One**two** three\nfour\n\nfive\n").words == 4
    assert render_markdown("東京の手紙\n").words == 1 + 3
    assert render_markdown("```python\nnot counted at all\n```\n").words == 0


def test_a_body_without_optional_syntax_renders_as_with_it() -> None:
    # the parser leaves out rules a body has no marker for; the same text with them gives the same
    plain = "Tilde ~ alone, a caret ^ and [brackets] [^].\n\nA ~ not struck ~\n"
    assert render_markdown(plain).html == (
        "<p>Tilde ~ alone, a caret ^ and [brackets] [^].</p>\n<p>A ~ not struck ~</p>\n"
    )
    assert "<s>gone</s>" in render_markdown(plain + "\n~~gone~~\n").html
    assert '<sup class="footnote-ref">' in render_markdown("Inline^[a note] note.\n").html
    assert 'type="checkbox"' in render_markdown("- [x] done\n").html
    assert '<p class="lead">' in render_markdown("{.lead}\nOpening.\n").html
    # and over bodies of every kind, with and without markers, the gated parser gives what the full one does
    from sitegen.markup.markdown import Syntax, markdown_parser

    samples = [BODY, plain, "- [ ] one\n- [X] two\n", "A [x] in text and [ ]\n", "Curly {braces} and {.x}\n",
               "*a*{#i} and `c`{.k}\n", "~~~\nfence\n~~~\n", "Not a task: [y]\n\n- [x]no space\n",
               "Term\n: its definition\n\nA: colon\n", "!!! note\n    Noted.\n", "::: tip\nTipped.\n:::\n",
               "See https://a.org, www.b.org or c@d.org.\n", "A [link](https://a.org) and (https://b.org).\n",
               "<https://a.org> and <c@d.org>, (c@d.org), [m](mailto:c@d.org) and `https://x.org`.\n",
               "Quoted \"https://a.org\", x.https://b.org and *www.c.org*.\n",
               "![a](b.png \"Caption\")\n\n![c](d.png)\n*Under*\n",
               "## A heading {#own}\n", "One.\n\n<!--more-->\n\nTwo.\n"]  # fmt: skip
    for body in samples:
        gated = markdown_parser(True, Syntax.of(body))
        assert gated.render(body) == markdown_parser(True).render(body), body


def test_link_destinations_come_out_as_markdown_it_writes_them() -> None:
    # sitegen passes plain URLs through untouched instead of re-encoding each one (5 % of all
    # Markdown time): over URLs of every shape, the result must be what markdown-it-py gives
    from markdown_it import MarkdownIt

    from sitegen.markup.markdown import markdown_parser

    ours, theirs = markdown_parser(True), MarkdownIt("commonmark")
    pieces = ["http://", "https://", "HTTP://", "mailto:", "//", "/", "./", "../", "#", "?", "a.b", "Ex.COM",
              ":8080", "u:pw@", "@", "xn--", "%20", "%zz", "%4", "[::1]", "javascript:", "ftp://", "www.", "..",
              "a:b", "::", "~", "()", "-", "é", " ", "\\", "<", '"', "\t"]  # fmt: skip
    alphabet = "abcXYZ019;/?:@&=+$,-_.!~*'()#%[]"
    rng = random.Random(4)
    urls = ["https://example.org/letters/2026/a-b?x=1&y=2#top", "/posts/first/", "../img/a.png", "café/menu"]
    for _ in range(30_000):
        parts = (
            rng.choice(pieces) if rng.random() < 0.6 else "".join(rng.choices(alphabet, k=rng.randint(0, 4)))
            for _ in range(rng.randint(1, 6))
        )
        urls.append("".join(parts))
    differ = [url for url in urls if ours.normalizeLink(url) != theirs.normalizeLink(url)]
    assert differ == []
    html = render_markdown("[a](https://example.org/a%20b) [b](/x/y/) [c](https://例え.jp/ü)\n").html
    assert html == (
        '<p><a href="https://example.org/a%20b">a</a> <a href="/x/y/">b</a> '
        '<a href="https://xn--r8jz45g.jp/%C3%BC">c</a></p>\n'
    )

"""Links in feed content are made absolute, whichever way the HTML writes them."""

from __future__ import annotations

import pytest

from sitegen.markup.links import absolutize_html

BASE = "https://example.org/letters/posts/x/"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # as Markdown writes them: the fast path
        (
            '<p><a href="../y/">y</a> <img src="c.jpg" alt="c"> <a href="#fn1">1</a> <a href="https://z.org/">z</a></p>',
            '<p><a href="https://example.org/letters/posts/y/">y</a> '
            '<img src="https://example.org/letters/posts/x/c.jpg" alt="c"> '
            '<a href="https://example.org/letters/posts/x/#fn1">1</a> <a href="https://z.org/">z</a></p>',
        ),
        (
            '<img srcset="a.jpg 1x, /b.jpg 2x">',
            '<img srcset="https://example.org/letters/posts/x/a.jpg 1x, https://example.org/b.jpg 2x">',
        ),
        # raw HTML a writer typed: parsed with lxml
        ("<p><a href='../y/'>y</a></p>", '<p><a href="https://example.org/letters/posts/y/">y</a></p>'),
        ('<p><A HREF="../y/">y</A></p>', '<p><a href="https://example.org/letters/posts/y/">y</a></p>'),
        (
            '<div style="background: url(bg.png)">x</div>',
            '<div style="background: url(https://example.org/letters/posts/x/bg.png)">x</div>',
        ),
    ],
    ids=["markdown links", "srcset", "single quotes", "upper case", "css url"],
)
def test_every_link_becomes_absolute(html: str, expected: str) -> None:
    assert absolutize_html(html, BASE) == expected

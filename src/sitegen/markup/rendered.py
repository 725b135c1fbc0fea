"""What rendering one Markdown body gives: its table of contents, word count, first paragraph, and
the HTML itself (or the key it is kept under in the body store)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from . import bodies


@dataclass(frozen=True, slots=True)
class Heading:
    """One entry of a table of contents."""

    level: int
    text: str
    id: str


class BodyLink(NamedTuple):
    """A link or an image of a body that leads within the site (checked at build time)."""

    image: bool
    url: str
    """As written (made absolute against the page's URL when checked)."""
    line: int
    """The line of the body (0 for its first) where the paragraph holding it starts."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """What Markdown rendering gives for one body; cheap to keep and cache.

    The HTML itself is either inline (`inline_html`) or kept in the body store under `key` (see
    bodies.py), so that a site of 10,000 posts does not hold all their HTML in memory."""

    toc: tuple[Heading, ...]
    words: int
    """Words read, CJK characters counting as half a word each."""
    first_paragraph: str
    """Plain text of the first paragraph, for summaries and meta descriptions; or, when the body
    has <!--more-->, of every paragraph before it, one a line (see `is_excerpt`)."""
    key: str = ""
    """The key of the HTML in the body store."""
    inline_html: str | None = None
    markdown_only: bool = False
    """True when no raw HTML was written in the Markdown: every attribute is markdown-it's own."""
    links: tuple[BodyLink, ...] = ()
    """The links and images within the site."""
    inline_text: str | None = None
    """The body as plain text (see text.py), when kept here rather than in the body store."""

    @property
    def is_excerpt(self) -> bool:
        """Whether `first_paragraph` is what the writer marked with <!--more--> (a paragraph's
        text never holds a line break)."""
        return "\n" in self.first_paragraph

    @property
    def html(self) -> str:
        """The body as HTML."""
        return self.inline_html if self.inline_html is not None else bodies.html_for(self.key)

    @property
    def text(self) -> str:
        """The body as plain text, with its references (see text.py)."""
        return self.inline_text if self.inline_text is not None else bodies.text_for(self.key)

    def stored_as(self, key: str) -> Rendered:
        """The same rendering, its HTML now read from the body store under `key`."""
        return Rendered(self.toc, self.words, self.first_paragraph, key, None, self.markdown_only, self.links)

    def with_text(self, html: str, text: str) -> Rendered:
        """The same rendering, carrying its HTML and its plain text."""
        return Rendered(self.toc, self.words, self.first_paragraph, self.key, html, self.markdown_only, self.links,
                        text)

"""Plain text cut to length, for summaries and meta descriptions, and measured in columns."""

from __future__ import annotations

import unicodedata

SUMMARY_CHARS = 300
"""Summaries in lists and feeds."""
EXCERPT_CHARS = 1200
"""An excerpt the writer marked with <!--more-->: longer than a first paragraph, but a list of
ten letters stays a list."""
DESCRIPTION_CHARS = 160
"""Meta descriptions: about what search engines show before cutting."""


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Collapse whitespace and cut `text` at a word boundary before `limit` characters, adding an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # CJK text has no spaces: cut at the limit rather than at a far-away space.
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:.\u2014\u2013- ") + "…"


def columns(text: str) -> int:
    """How many columns of a fixed-width font `text` takes: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)

"""The link preview of a letter without a cover: a 1200 by 630 image with its title, subtitle, authors
and the site's name, in the default theme's face and the theme's colours (drawn in pictures.py).
LinkedIn, Bluesky and Mastodon show it where they would show a bare link."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..model.site import Post
from .fonts import FONTS, RANGES
from .pictures import HEIGHT, WIDTH, CardLook, card_image

__all__ = ["CARD_NAME", "CARD_VERSION", "HEIGHT", "WIDTH", "card_image", "card_look", "card_parts", "has_card"]

CARD_NAME = "social-card.jpg"
"""Beside the post's page: posts/<slug>/social-card.jpg."""
CARD_VERSION = "2"
"""Part of every card's key: change it when the drawing changes."""
DEFAULT_COLOURS = {"paper": "#fbf9f5", "ink": "#1f1c18", "muted": "#5f5850", "accent": "#a33d1b", "rule": "#d9d2c7"}
"""The default theme's light colours (style.css); a theme's theme.yaml may set any of them under `card:`."""
_FACE = FONTS / "source-serif-4-latin-normal.woff2"
_ITALIC = FONTS / "source-serif-4-latin-italic.woff2"


def _outside(ranges: str) -> re.Pattern[str]:
    """A pattern of any character outside `ranges` (a CSS unicode-range: U+0000-00FF,U+0131)."""
    parts = []
    for part in ranges.split(","):
        first, _, last = part.removeprefix("U+").partition("-")
        parts.append(re.escape(chr(int(first, 16))) + "-" + re.escape(chr(int(last or first, 16))))
    return re.compile(f"[^{''.join(parts)}]")


# one search in C per text: checking each character against each range took 0.3 s a build at
# 10,000 posts, and every post page asks
_NOT_DRAWN = _outside(RANGES["latin"])


def can_draw(*texts: str) -> bool:
    """Whether the face has every character of `texts` (a title in Japanese gets no card: the
    site's own image, if any, stands for it)."""
    return not any(_NOT_DRAWN.search(text) for text in texts)


def card_parts(post: Post, site_title: str) -> tuple[str, str, str, str]:
    """What a post's card shows: its title, subtitle, authors and the site's name."""
    names = [a.name for a in post.authors]
    byline = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return post.title, post.subtitle or "", byline, site_title


def has_card(post: Post, site_title: str) -> bool:
    """Whether `post` gets a card: it has no cover of its own, and the card's face can draw it."""
    return not post.image and can_draw(*card_parts(post, site_title))


def card_look(colours: Mapping[str, str]) -> CardLook:
    """The look of the cards of a theme whose theme.yaml sets `colours` (the default's fill the rest)."""
    chosen = {**DEFAULT_COLOURS, **colours}
    return CardLook(_FACE, _ITALIC, chosen["paper"], chosen["ink"], chosen["muted"], chosen["accent"], chosen["rule"])

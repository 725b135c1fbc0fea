"""The link preview of a letter without a cover: a 1200 by 630 image with its title, subtitle, authors
and the site's name, in the default theme's face and colours, made with Pillow (its only
importer). LinkedIn, Bluesky and Mastodon show it where they would show a bare link."""

from __future__ import annotations

import re
from functools import lru_cache
from io import BytesIO
from typing import TYPE_CHECKING

from ..model.site import Post
from .fonts import FONTS, RANGES

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

WIDTH, HEIGHT = 1200, 630
CARD_NAME = "social-card.jpg"
"""Beside the post's page: posts/<slug>/social-card.jpg. (JPEG: 4 ms to encode where PNG takes 18
to 80, and a card is made for every letter; 4:4:4 at quality 90 keeps the letters crisp.)"""
CARD_VERSION = "2"
"""Part of every card's key: change it when the drawing changes."""
# The default theme's light colours (style.css): paper, ink, muted ink, accent.
PAPER, INK, MUTED, ACCENT = "#fbf9f5", "#1f1c18", "#5f5850", "#a33d1b"
MARGIN = 88
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


@lru_cache(maxsize=32)
def _font(size: int, weight: int, italic: bool = False) -> FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.truetype(str(_ITALIC if italic else _FACE), size)
    font.set_variation_by_axes([weight])
    return font


def _lines(text: str, font: FreeTypeFont, width: int) -> list[str]:
    """`text` broken into lines no wider than `width`, at spaces."""
    lines: list[str] = []
    for word in re.split(r"\s+", text.strip()):
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _fitted(text: str, width: int, most: int) -> tuple[FreeTypeFont, list[str]]:
    """The largest title size whose lines fit in `most` lines (the smallest one cut with "…")."""
    for size in (78, 70, 62, 56, 50):
        font = _font(size, 700)
        lines = _lines(text, font, width)
        if len(lines) <= most:
            return font, lines
    lines = lines[:most]
    lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return font, lines


def card_image(title: str, subtitle: str, byline: str, site_title: str) -> bytes:
    """The card of a letter, as JPEG bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 14, HEIGHT), fill=ACCENT)
    width = WIDTH - 2 * MARGIN
    label = _font(28, 600)
    draw.text((MARGIN, 72), site_title.upper(), font=label, fill=ACCENT)
    font, lines = _fitted(title, width, 3 if subtitle else 4)
    y = 140
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += int(font.size * 1.18)
    if subtitle:
        small = _font(34, 400, italic=True)
        for line in _lines(subtitle, small, width)[:2]:
            draw.text((MARGIN, y + 22), line, font=small, fill=MUTED)
            y += 46
    draw.line((MARGIN, HEIGHT - 110, WIDTH - MARGIN, HEIGHT - 110), fill="#d9d2c7", width=2)
    draw.text((MARGIN, HEIGHT - 86), byline, font=_font(32, 600), fill=INK)
    out = BytesIO()
    image.save(out, format="JPEG", quality=90, subsampling=0)
    return out.getvalue()

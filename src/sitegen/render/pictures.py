"""Everything sitegen does with Pillow (its only importer): read the size of an image, make a
smaller WebP copy of it, and draw the link-preview card of a letter (see cards.py for what a card
shows)."""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

MEASURED = (".jpg", ".jpeg", ".png", ".webp", ".gif")
"""The raster images whose size pages give (an SVG scales; others browsers may not show)."""
RESIZED = ("JPEG", "PNG", "WEBP")
"""Formats smaller copies are made of (a GIF may move: a still copy would lose that)."""
ORIENTATION = 0x0112
"""The EXIF tag that says how a camera was held."""
MOST_PIXELS = 50_000_000
"""A larger image is refused: decoding it could take gigabytes (Pillow's own guard warns at 89M)."""


@dataclass(frozen=True, slots=True)
class Measured:
    """What reading an image's header gives."""

    width: int
    height: int
    format: str
    """Pillow's name for it: JPEG, PNG, WEBP, GIF."""
    animated: bool = False

    @property
    def resizable(self) -> bool:
        """Whether smaller copies of it can be made (a still copy of a moving image would lose it)."""
        return self.format in RESIZED and not self.animated


def _turned(image: Image) -> bool:
    """Whether the image's EXIF says it is shown a quarter turn round (width and height swap)."""
    return image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)


def measure(path: Path) -> Measured | None:
    """The size and format of the image at `path`, from its header alone; None when it is not an
    image Pillow reads, or is too large to decode safely."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: the size is checked below
            with Image.open(path) as image:
                width, height, kind = image.width, image.height, image.format or ""
                animated = bool(getattr(image, "is_animated", False))
                if _turned(image):  # shown turned: as browsers do
                    width, height = height, width
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if width <= 0 or height <= 0 or width * height > MOST_PIXELS:
        return None
    return Measured(width, height, kind, animated)


def webp_copy(path: Path, width: int) -> bytes:
    """The image at `path` as WebP, `width` pixels wide (its height in proportion), turned upright
    as its EXIF says (browsers do so for the original)."""
    from PIL import Image, ImageOps

    with Image.open(path) as original:
        turned = _turned(original)
        scale = width / (original.height if turned else original.width)
        # a JPEG decodes at 1/2, 1/4 or 1/8 of its size when that is enough: 3 to 5 times faster
        original.draft("RGB", (math.ceil(original.width * scale), math.ceil(original.height * scale)))
        image = ImageOps.exif_transpose(original)
        height = max(1, round(image.height * width / image.width))
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        if width < image.width:
            image = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = BytesIO()
        image.save(out, format="WEBP", quality=80, method=4)
    return out.getvalue()


# -- link-preview cards ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CardLook:
    """The face and colours a card is drawn in (a theme may set them: see cards.py)."""

    face: Path
    italic: Path
    paper: str
    ink: str
    muted: str
    accent: str
    rule: str


WIDTH, HEIGHT = 1200, 630
MARGIN = 88


@lru_cache(maxsize=32)
def _font(face: Path, size: int, weight: int) -> FreeTypeFont:
    from PIL import ImageFont

    font = ImageFont.truetype(str(face), size)
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


def _fitted(face: Path, text: str, width: int, most: int) -> tuple[FreeTypeFont, list[str]]:
    """The largest title size whose lines fit in `most` lines (the smallest one cut with "…")."""
    for size in (78, 70, 62, 56, 50):
        font = _font(face, size, 700)
        lines = _lines(text, font, width)
        if len(lines) <= most:
            return font, lines
    lines = lines[:most]
    lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return font, lines


def card_image(look: CardLook, title: str, subtitle: str, byline: str, site_title: str) -> bytes:
    """The card of a letter, as JPEG bytes. (JPEG: 4 ms to encode where PNG takes 18 to 80, and a
    card is made for every letter; 4:4:4 at quality 90 keeps the letters crisp.)"""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), look.paper)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 14, HEIGHT), fill=look.accent)
    width = WIDTH - 2 * MARGIN
    draw.text((MARGIN, 72), site_title.upper(), font=_font(look.face, 28, 600), fill=look.accent)
    font, lines = _fitted(look.face, title, width, 3 if subtitle else 4)
    y = 140
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=look.ink)
        y += int(font.size * 1.18)
    if subtitle:
        small = _font(look.italic, 34, 400)
        for line in _lines(subtitle, small, width)[:2]:
            draw.text((MARGIN, y + 22), line, font=small, fill=look.muted)
            y += 46
    draw.line((MARGIN, HEIGHT - 110, WIDTH - MARGIN, HEIGHT - 110), fill=look.rule, width=2)
    draw.text((MARGIN, HEIGHT - 86), byline, font=_font(look.face, 32, 600), fill=look.ink)
    out = BytesIO()
    image.save(out, format="JPEG", quality=90, subsampling=0)
    return out.getvalue()

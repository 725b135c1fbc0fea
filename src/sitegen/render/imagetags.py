"""The images of a rendered body, as a page shows them: each with its width and height (nothing
moves as it loads), lazy below the first screen, and offered as smaller WebP copies in a srcset
when the site made them (see engine/pictures.py)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import quote

from ..model.site import Picture

IMG = re.compile(r"<img\s[^>]*>", re.IGNORECASE)
SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
SIZES = "(min-width: 42rem) 40rem, 100vw"
"""The theme's measure (40rem) on screens wider than it, else the screen's width."""
FIRST_SCREEN = 1200
"""Characters of a body before its first image for it to count as on the first screen (loaded at once)."""

Lookup = Callable[[str], "Picture | None"]


def srcset(src: str, picture: Picture) -> str:
    """The srcset of `picture`'s WebP copies, named from `src` as written (relative or not)."""
    folder = src[: src.rfind("/") + 1]  # as written, percent-encoded already
    return ", ".join(f"{folder}{quote(name)} {width}w" for name, width in picture.copies)


def with_pictures(body: str, lookup: Lookup, eager_first: bool) -> str:
    """`body` with each <img> whose picture `lookup` finds (by its src as written) given its size,
    loading="lazy" (but for a first image near the top when `eager_first`) and its WebP copies."""
    if "<img" not in body and "<IMG" not in body:
        return body
    first = True

    def one(match: re.Match[str]) -> str:
        nonlocal first
        tag, is_first = match[0], first
        first = False
        found = SRC.search(tag)
        src = html.unescape(found[1] if found[1] is not None else found[2]) if found else ""
        picture = lookup(src) if src else None
        if picture is None:
            return tag
        lower = tag.lower()
        extra = ""
        if " width=" not in lower and " height=" not in lower:
            extra += f' width="{picture.width}" height="{picture.height}"'
        if " loading=" not in lower and not (eager_first and is_first and match.start() < FIRST_SCREEN):
            extra += ' loading="lazy" decoding="async"'
        closing = 2 if tag.endswith("/>") else 1
        tag = tag[:-closing].rstrip() + extra + tag[-closing:]
        if not picture.copies or "srcset=" in lower:
            return tag
        sources = html.escape(srcset(src, picture))
        return f'<picture><source type="image/webp" srcset="{sources}" sizes="{SIZES}">{tag}</picture>'

    return IMG.sub(one, body)

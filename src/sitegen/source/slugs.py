"""Unicode-safe slugs for URLs and heading ids."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^\w\s-]", re.UNICODE)
_SEPARATORS = re.compile(r"[\s_-]+", re.UNICODE)
# A user's slug may use letters of any script, digits, '-', '_' and '.', but never be a path.
_SAFE_SLUG = re.compile(r"^[\w][\w.-]*$", re.UNICODE)


@lru_cache(maxsize=1 << 16)  # tags repeat on every post: slug each once
def slugify(text: str) -> str:
    """Lowercase `text` and keep its letters and digits (any script), joined by hyphens.

    "How Reaching Out Pays" -> "how-reaching-out-pays"; "連絡を取り合う" keeps its characters.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NOT_WORD.sub("", text)
    return _SEPARATORS.sub("-", text).strip("-")


def is_safe_slug(slug: str) -> bool:
    """True when `slug` is one path segment that cannot climb out of its folder."""
    return bool(_SAFE_SLUG.match(slug)) and ".." not in slug


def tag_key(name: str) -> str:
    """What makes two tags the same tag: "Writing" and " writing " are one; "C" and "C#" are not."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def is_nfc(text: str) -> bool:
    """Whether `text` is in Unicode's composed form (NFC): "é" as one character, not "e" and an accent."""
    return unicodedata.is_normalized("NFC", text)

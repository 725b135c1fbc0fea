"""Which URLs from a site's files may reach a page: http, https, mailto and relative ones only.

A front matter `canonical_url: "javascript:…"` became a live link, and `javascript://%0aalert(1)`
passed as absolute because it contains "://". Browsers skip tabs and newlines inside a URL and
spaces and control characters before it, and an entity or a percent-escape can hide a colon: the
scheme is read as a browser would, after all of that.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see in `url` (lower case), or None for a relative URL."""
    seen = url
    for _ in range(3):  # entities and escapes within escapes
        seen = unquote(html.unescape(seen))
    seen = _IGNORED_INSIDE.sub("", seen).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                               "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
    match = _SCHEME.match(seen)
    return None if match is None else match.group(1).lower()


def is_safe_url(url: str) -> bool:
    """Whether `url` is relative, or http, https or mailto."""
    scheme = scheme_of(url)
    return scheme is None or scheme in SAFE_SCHEMES


_UNSAFE_PATH = re.compile(r"[\x00-\x20\x7f\\?#\"'<>]")


def site_path(text: str) -> str | None:
    """An address of the site written from its root (/2019/05/old-post/), as a redirect answers
    it: a folder ends in "/" (/old-post becomes /old-post/), a file keeps its name
    (/feed.rss); None when it is not one (another site's, a query, "..", odd characters).
    Written percent-encoded (/caf%C3%A9/, as an address bar copies it), it is read decoded, as
    the host will: its page is café/index.html."""
    text = unquote(text)
    if not text.startswith("/") or text.startswith("//") or _UNSAFE_PATH.search(text):
        return None
    if any(part in (".", "..") for part in text.split("/")):
        return None
    last = text.rsplit("/", 1)[-1]
    return text if not last or "." in last else text + "/"

"""The only importer of lxml: make every link inside an HTML fragment absolute (for feeds and
emails), or put those written from the site's root under its base path (for its pages); and the
one reader of srcset attributes."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin

# Attributes lxml treats as links. Markdown's own HTML only ever has href, src and srcset, always
# double-quoted after a space: that case is rewritten with a regular expression, 20 times faster
# than parsing the fragment.
LINK_NAMES = (
    "href", "src", "srcset", "poster", "cite", "action", "formaction", "data", "background", "longdesc",
    "usemap", "codebase", "archive", "profile", "icon", "manifest",
)
SIMPLE_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SIMPLE_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')
ABSOLUTE = ("https://", "http://", "mailto:")
"""How an address that needs no resolving starts (urljoin leaves these as they are)."""


def absolutize_html(fragment: str, base_url: str, markdown_only: bool = False, site_url: str | None = None) -> str:
    """Resolve every link URL (href, src, srcset...) in `fragment` against `base_url`, those
    written from the site's root (/about/) against `site_url` (the site's home, base path and all).

    Feed readers show content away from the site, so a relative URL there is a broken one.
    `markdown_only` says the HTML is markdown-it's alone (no raw HTML was written), which makes
    its links simple to find.
    """

    def resolve(url: str) -> str:
        if site_url and _from_root(url):
            return site_url + url[1:]
        if url.startswith(ABSOLUTE):  # most links of a letter lead away: urljoin would only take time
            return url
        return urljoin(base_url, url)

    return rewrite_links(fragment, resolve, markdown_only)


def rebase_html(fragment: str, base_path: str, markdown_only: bool = False) -> str:
    """`fragment` with every link written from the site's root (/about/) under `base_path`
    (/letters/about/): a site published under a path keeps its links within it."""
    if base_path == "/" or (markdown_only and '="/' not in fragment):
        return fragment
    return rewrite_links(fragment, lambda url: base_path + url[1:] if _from_root(url) else url, markdown_only)


def _from_root(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def rewrite_links(fragment: str, resolve: Callable[[str], str], markdown_only: bool = False) -> str:
    """`fragment` with every link URL (href, src, each of a srcset...) replaced by `resolve`'s."""
    if not fragment.strip():
        return fragment
    if markdown_only or _is_simple(fragment):
        fragment = SIMPLE_LINK.sub(lambda m: m[1] + resolve(m[2]) + m[3], fragment)
        return SIMPLE_SRCSET.sub(lambda m: m[1] + _resolved_srcset(m[2], resolve) + m[3], fragment)
    import lxml.html  # here: most sites only need the regular expressions above

    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    root.rewrite_links(resolve, resolve_base_href=False)
    for element in root.iter():
        srcset = element.get("srcset") if isinstance(element.tag, str) else None
        if srcset:
            element.set("srcset", _resolved_srcset(srcset, resolve))
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return inner


def _is_simple(fragment: str) -> bool:
    """Whether every link attribute is a double-quoted, lower-case href, src or srcset written
    after a space (as Markdown writes them) and no CSS holds a url(): then the regular expressions
    see every link. Counting substrings keeps this check in C."""
    lower = fragment.lower()
    if "url(" in lower:
        return False
    for name in LINK_NAMES:
        anywhere = lower.count(name + "=") + lower.count(name + " =")
        if anywhere and (name not in ("href", "src", "srcset") or anywhere != _written_simply(fragment, name)):
            return False
    return True


def _written_simply(fragment: str, name: str) -> int:
    return sum(fragment.count(f"{space}{name}=\"") for space in (" ", "\n", "\t"))


def srcset_candidates(srcset: str) -> list[tuple[str, str]]:
    """The (URL, descriptor) pairs of a srcset, as browsers split it: "a.jpg 1x, b.jpg 2x" ->
    [("a.jpg", "1x"), ("b.jpg", "2x")]. A URL is a run of characters up to a space (a comma
    inside it is kept, one at its end ends it); its descriptor runs to a comma outside parentheses."""
    found: list[tuple[str, str]] = []
    rest = srcset
    while True:
        rest = rest.lstrip(" \t\n\r\f,")
        if not rest:
            return found
        end = next((i for i, c in enumerate(rest) if c in " \t\n\r\f"), len(rest))
        url, rest = rest[:end], rest[end:]
        if url.endswith(","):  # "a.jpg,b.jpg": no descriptor
            found.append((url.rstrip(","), ""))
            continue
        depth = 0
        for i, c in enumerate(rest):  # the descriptor, up to a comma outside parentheses
            depth += (c == "(") - (c == ")")
            if c == "," and depth <= 0:
                found.append((url, rest[:i].strip()))
                rest = rest[i + 1 :]
                break
        else:
            found.append((url, rest.strip()))
            return found


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset (see srcset_candidates)."""
    return [url for url, _descriptor in srcset_candidates(srcset)]


def _resolved_srcset(srcset: str, resolve: Callable[[str], str]) -> str:
    candidates = srcset_candidates(srcset)
    return ", ".join(" ".join(filter(None, (resolve(url), descriptor))) for url, descriptor in candidates)


PAGE_ONLY_MARKUP = (
    ('<div class="table-scroll" tabindex="0" role="region" aria-label="Table">', '<div class="table-scroll">'),
    ('<pre tabindex="0">', "<pre>"),
)
"""What markdown.py adds to wide tables and code for the site's pages (keyboard focus, a region
for screen readers), as feeds and emails show them: their readers drop it, validators flag it."""


def for_elsewhere(html: str) -> str:
    """A body's HTML without the markup that only the site's own pages use."""
    for page_only, plain in PAGE_ONLY_MARKUP:
        html = html.replace(page_only, plain)
    return html

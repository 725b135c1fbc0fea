"""The only importer of lxml: make every link inside an HTML fragment absolute (for feeds)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html

# Attributes lxml treats as links. Markdown's own HTML only ever has href, src and srcset, always
# double-quoted: that case is rewritten with a regular expression, 20 times faster than parsing.
LINK_ATTRIBUTE = re.compile(
    r"""\s(href|src|srcset|poster|cite|action|formaction|data|background|longdesc|usemap|codebase|archive|"""
    r"""profile|icon|manifest)\s*=\s*(.)""",
    re.IGNORECASE,
)
SIMPLE_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
SIMPLE_SRCSET = re.compile(r'(\ssrcset=")([^"]*)(")')


def absolutize_html(fragment: str, base_url: str) -> str:
    """Resolve every link URL (href, src, srcset...) in `fragment` against `base_url`.

    Feed readers show content away from the site, so a relative URL there is a broken one.
    """
    if not fragment.strip():
        return fragment
    if _is_simple(fragment):
        fragment = SIMPLE_LINK.sub(lambda m: m[1] + urljoin(base_url, m[2]) + m[3], fragment)
        return SIMPLE_SRCSET.sub(lambda m: m[1] + _absolute_srcset(m[2], base_url) + m[3], fragment)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(base_url, resolve_base_href=False)
    for element in root.iter():
        srcset = element.get("srcset") if isinstance(element.tag, str) else None
        if srcset:
            element.set("srcset", _absolute_srcset(srcset, base_url))
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return inner


def _is_simple(fragment: str) -> bool:
    """Whether every link attribute is a double-quoted, lower-case href, src or srcset (as Markdown
    writes them) and no CSS holds a url(): then the regular expressions see every link."""
    if "url(" in fragment.lower():
        return False
    simple = len(SIMPLE_LINK.findall(fragment)) + len(SIMPLE_SRCSET.findall(fragment))
    return simple == len(LINK_ATTRIBUTE.findall(fragment))


def _absolute_srcset(srcset: str, base_url: str) -> str:
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(base_url, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)

"""The only importer of lxml: make every link inside an HTML fragment absolute (for feeds)."""

from __future__ import annotations

from urllib.parse import urljoin

import lxml.html


def absolutize_html(fragment: str, base_url: str) -> str:
    """Resolve href, src and srcset URLs in `fragment` against `base_url`.

    Feed readers show content away from the site, so a relative URL there is a broken one.
    """
    if not fragment.strip():
        return fragment
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


def _absolute_srcset(srcset: str, base_url: str) -> str:
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = urljoin(base_url, parts[0])
            candidates.append(" ".join(parts))
    return ", ".join(candidates)

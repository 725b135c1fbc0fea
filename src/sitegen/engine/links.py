"""Links and images in posts and pages that lead to nothing the site makes: warnings at build time,
located in the Markdown (`sitegen check` finds them too, but only in the built pages)."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import SiteWarning
from ..model.site import Page, Post, Site

BASE = "https://site.invalid"
"""A host to resolve site-relative URLs against (only their paths count)."""


def broken_links(site: Site, dests: set[str]) -> list[SiteWarning]:
    """A warning for each link or image of a post or a page whose target is not among `dests`
    (the files of the output folder, as `sitegen build` will leave it)."""
    items: Iterable[Post | Page] = (*site.posts, *site.pages)
    found = []
    for item in items:
        for link in item.body.links:
            path = unquote(urlsplit(urljoin(BASE + item.url, link.url)).path).lstrip("/")
            dest = path + "index.html" if not path or path.endswith("/") else path
            if dest in dests or f"{dest}/index.html" in dests:  # GitHub Pages adds the slash
                continue
            if link.image:
                message = f"image {link.url} is not beside the post, nor elsewhere in the site"
                hint = "put the image beside the post, or in static/, and write its path from the post"
            else:
                message = f"link {link.url} leads to no page of the site"
                hint = "write the path from this post's page, such as ../other-post/"
            found.append(SiteWarning(message, item.src_path, link.line, 1, hint))
    return found

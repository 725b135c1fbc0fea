"""Warnings about what a build made: links and images in posts and pages that lead to nothing the
site makes, located in the Markdown (`sitegen check` finds them too, but only in the built pages),
and email editions that Gmail would clip."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import SiteWarning
from ..model.site import Page, Post, Site
from ..output.files import dest_for_url
from ..render.email import CLIPPED_BYTES

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


def clipped_emails(site: Site, out_dir: Path) -> list[SiteWarning]:
    """A warning for each post whose email edition, as written in `out_dir`, is longer than Gmail
    shows (files, not what this build rendered: an edition left as it was is still too long)."""
    found = []
    for post in site.posts:
        try:
            size = os.stat(out_dir / dest_for_url(post.url + "email.html")).st_size
        except OSError:
            continue
        if size > CLIPPED_BYTES:
            message = f"its email edition is {size / 1000:.0f} KB: Gmail clips messages over {CLIPPED_BYTES // 1000} KB"
            hint = "shorten the letter, or send fewer or smaller images and code blocks in it"
            found.append(SiteWarning(message, post.src_path, 1, 1, hint))
    return found

"""Errors and warnings about what a build makes: images in posts and pages that are not there (an
error), links that lead to nothing the site makes (a warning), both located in the Markdown
(`sitegen check` finds them too, but only in the built pages), and email editions that Gmail
would clip."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import SiteError, SiteWarning, raise_collected
from ..model.site import Page, Post, Site, output_path
from ..output.files import dest_for_url
from ..render.email import CLIPPED_BYTES

IMAGE_HINT = "put the image beside the post, or in static/, and write its path from the post"


def _leads_nowhere(page_url: str, ref: str, dests: set[str]) -> bool:
    """Whether `ref`, written in the page at `page_url`, names no file of `dests`."""
    path = output_path(page_url, ref)
    if path is None:
        return False  # another site's: not ours to check
    dest = path + "index.html" if not path or path.endswith("/") else path
    return dest not in dests and f"{dest}/index.html" not in dests  # GitHub Pages adds the slash


def broken_links(site: Site, dests: set[str]) -> list[SiteWarning]:
    """A warning for each link of a post or a page whose target is not among `dests` (the files
    of the output folder, as `sitegen build` will leave it)."""
    items: Iterable[Post | Page] = (*site.posts, *site.pages)
    found = []
    hint = "write the path from this post's page, such as ../other-post/"
    for item in items:
        for link in item.body.links:
            if not link.image and _leads_nowhere(item.url, link.url, dests):
                message = f"link {link.url} leads to no page of the site"
                found.append(SiteWarning(message, item.src_path, link.line, 1, hint))
    return found


def missing_images(site: Site, dests: set[str], cover_lines: Mapping[str, int]) -> None:
    """Refuse a post or page that shows an image of the site that is not there: its readers would
    see a broken picture.

    Args:
        cover_lines: the line of each post's `image:`, by its file.

    Raises:
        SiteError: or SiteErrors, one per missing image, at its line.
    """
    items: Iterable[Post | Page] = (*site.posts, *site.pages)
    errors = []
    for item in items:
        cover = item.image if isinstance(item, Post) else None
        if cover and _leads_nowhere(item.url, cover, dests):
            line = cover_lines.get(item.src_path, 1)
            message = f"the cover {cover} is not beside the post, nor elsewhere in the site"
            errors.append(SiteError(message, item.src_path, line, 1, IMAGE_HINT))
        for link in item.body.links:
            if link.image and _leads_nowhere(item.url, link.url, dests):
                message = f"image {link.url} is not beside the post, nor elsewhere in the site"
                errors.append(SiteError(message, item.src_path, link.line, 1, IMAGE_HINT))
    raise_collected(errors)


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

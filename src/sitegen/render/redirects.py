"""Redirect pages: GitHub Pages has no server-side redirects, so each old address of the site
(a post's `aliases:`, site.yaml's `redirects:`, the addresses of an earlier permalink pattern)
gets a small page that sends the reader on at once, tells search engines where the page lives
now, and shows a link for a browser that does not follow it."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from ..model.site import Site
from ..output.files import OutputFile, dest_for_url
from ..source.validate import permalink_for


@dataclass(frozen=True, slots=True)
class Redirect:
    """One old address and where it leads."""

    path: str
    """The old address, written from the site's root (/2019/05/old-post/)."""
    to: str
    """An address of the site (/posts/new/) or an http(s) URL."""
    title: str
    """What it leads to, for the link the page shows."""
    asked_by: str
    """The file that asked for it: a post's, or site.yaml."""
    key: str
    """The key of that file that asked: aliases, redirects or permalinks."""

    @property
    def dest(self) -> str:
        """Where its page goes in the output."""
        return dest_for_url(self.path)


def site_redirects(site: Site) -> list[Redirect]:
    """Every redirect the site asks for: its posts' aliases, the addresses the earlier permalink
    patterns gave its posts, and site.yaml's redirects."""
    found = []
    for post in site.posts:
        found += [Redirect(alias, post.url, post.title, post.src_path, "aliases") for alias in post.aliases]
        for pattern in site.config.old_permalinks:
            old = permalink_for(pattern, post.slug, post.date)
            if old != post.url:
                found.append(Redirect(old, post.url, post.title, "site.yaml", "permalinks"))
    titles = {post.url: post.title for post in site.posts} | {page.url: page.title for page in site.pages}
    found += [Redirect(old, new, titles.get(new, new), "site.yaml", "redirects") for old, new in site.config.redirects]
    return found


def redirect_page(redirect: Redirect, absolute: Callable[[str], str], language: str) -> OutputFile:
    """The page at `redirect`'s old address: a refresh at once, the canonical address, noindex,
    and a visible link."""
    target = redirect.to if "://" in redirect.to else absolute(redirect.to)
    href, title = html.escape(target), html.escape(redirect.title)
    page = (
        f'<!doctype html>\n<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{href}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f"</head>\n<body>\n<p>This page has moved: <a href=\"{href}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
    return OutputFile(redirect.dest, page.encode("utf-8"))

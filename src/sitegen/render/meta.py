"""The files for search engines and the host: sitemap.xml, robots.txt, .nojekyll and CNAME."""

from __future__ import annotations

from collections.abc import Callable
from xml.etree import ElementTree

from ..model.site import Site
from ..output.files import OutputFile
from ..source.config import SiteConfig

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _sitemap_entries(site: Site) -> list[tuple[str, str | None]]:
    """(site-relative URL, lastmod date) of every page worth indexing."""
    newest = max((p.updated or p.date for p in site.posts), default=None)
    stamp = newest.date().isoformat() if newest else None
    entries: list[tuple[str, str | None]] = [(page.url, stamp) for page in site.paginate()]
    entries += [(p.url, (p.updated or p.date).date().isoformat()) for p in site.posts]
    entries += [(p.url, None) for p in site.pages]
    entries += [("/archive/", stamp), ("/tags/", stamp)]
    for tag in site.tags:
        entries.append((tag.url, (tag.posts[0].updated or tag.posts[0].date).date().isoformat()))
    entries += [(a.url, stamp) for a in site.authors]
    return entries


def render_sitemap(site: Site, absolute: Callable[[str], str]) -> OutputFile:
    """sitemap.xml listing every page with its last modification date."""
    urlset = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for url, lastmod in _sitemap_entries(site):
        item = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(item, "loc").text = absolute(url)
        if lastmod:
            ElementTree.SubElement(item, "lastmod").text = lastmod
    ElementTree.indent(urlset)
    data = ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"
    return OutputFile("sitemap.xml", data)


def render_robots(absolute: Callable[[str], str]) -> OutputFile:
    """robots.txt that allows everything and points at the sitemap."""
    text = f"User-agent: *\nAllow: /\n\nSitemap: {absolute('/sitemap.xml')}\n"
    return OutputFile("robots.txt", text.encode())


def hosting_files(config: SiteConfig) -> list[OutputFile]:
    """The host's own files for `config`'s site.

    `.nojekyll` stops a branch-published site from going through Jekyll, which would drop every
    file and folder whose name starts with "_" or "."; `CNAME` names the custom domain of
    site.yaml's `domain:`.
    """
    files = [OutputFile(".nojekyll", b"")]
    if config.domain:
        files.append(OutputFile("CNAME", f"{config.domain}\n".encode("ascii")))
    return files

"""`sitegen check`: every internal link of a built site resolves to a file and an id, offline.

The output folder is read as the web server will serve it under the site's base path: a URL
"/letters/posts/x/" is the file posts/x/index.html when the site lives at /letters/, and "/posts/x/"
is then a broken link (the classic project-pages mistake). Links to other hosts are listed, not
fetched (see external.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import SplitResult, unquote, urljoin, urlsplit
from xml.etree import ElementTree

from ..engine.workers import run_all, worker_count
from ..errors import SiteError
from ..markup.links import srcset_urls

# The attributes that hold a URL, by element. srcset holds several.
LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# <meta> tags whose content is a URL that link previews fetch.
META_URLS = ("og:image", "og:image:url", "og:image:secure_url", "og:url", "og:audio", "og:video", "twitter:image")
# Schemes that name no file: nothing to check.
OTHER_SCHEMES = ("mailto", "tel", "sms", "javascript", "data", "blob", "about")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOT_FOUND_PAGE = "404.html"
EMAIL_EDITION = "email.html"
"""A letter's email edition, beside its page: read by mail clients, not served to browsers."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken link, reported as `page: link: problem`."""

    page: str
    """The output file holding the link (POSIX, relative to the output folder)."""
    link: str
    """The link as written."""
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link}: {self.problem}"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What a check found."""

    base_url: str
    pages: int
    """HTML pages read (but email editions)."""
    editions: int
    """Email editions read."""
    internal: int
    """Links into the site that were checked."""
    problems: tuple[Problem, ...]
    external: dict[str, tuple[str, ...]]
    """Each link to another site, with the pages that hold it, sorted."""


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What one page holds: its links and the ids they may point at."""

    links: tuple[str, ...]
    ids: frozenset[str]
    base_href: str | None = None
    posted_to: tuple[str, ...] = ()
    """The action of each form that sends with POST (a sign-up form), as written."""


class _PageParser(HTMLParser):
    """Collects the URLs and ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.base_href: str | None = None
        self.posted_to: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:  # the old way to make an anchor
            self.ids.add(values["name"])
        if tag == "base" and "href" in values and self.base_href is None:
            self.base_href = values["href"].strip()
        for name in LINK_ATTRS.get(tag, ()):
            if name in values:
                self.links.extend(srcset_urls(values[name]) if name == "srcset" else [values[name].strip()])
        if tag == "form":
            action = values.get("action", "").strip()
            if values.get("method", "get").strip().lower() == "post":
                self.posted_to.append(action)
            elif action:
                self.links.append(action)
        if tag == "meta" and (values.get("property") or values.get("name")) in META_URLS and "content" in values:
            self.links.append(values["content"].strip())

    handle_startendtag = handle_starttag


def read_page(path: Path) -> PageLinks:
    """The links and ids of the HTML file at `path`."""
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return PageLinks(tuple(parser.links), frozenset(parser.ids), parser.base_href, tuple(parser.posted_to))


def _xml_links(path: Path) -> tuple[str, ...]:
    """The <loc> of a sitemap."""
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        raise SiteError(f"{path.name} is not valid XML: {exc}") from None
    return tuple((loc.text or "").strip() for loc in root.iter(f"{SITEMAP_NS}loc"))


def _robots_links(path: Path) -> tuple[str, ...]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return tuple(line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:"))


def base_url_from_robots(out_dir: Path) -> str | None:
    """The site's address the build used, from the Sitemap line of its robots.txt."""
    robots = out_dir / "robots.txt"
    if not robots.is_file():
        return None
    for url in _robots_links(robots):
        if url.endswith("/sitemap.xml") and urlsplit(url).scheme in ("http", "https"):
            return url[: -len("sitemap.xml")]
    return None


class OutputIndex:
    """The files of a built site and the ids of its pages, read as served at `base_url`."""

    def __init__(self, out_dir: Path, base_url: str) -> None:
        self.out_dir = out_dir
        parts = urlsplit(base_url)
        self.host = parts.netloc.lower()
        """Empty when only the base path is known: then every absolute URL is external."""
        self.base_path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
        self.netloc = self.host or "site.invalid"
        self.origin = f"{parts.scheme or 'https'}://{self.netloc}"
        self.files: set[str] = set()
        self.dirs: set[str] = {""}
        for dirpath, dirnames, filenames in os.walk(out_dir):
            rel = Path(dirpath).relative_to(out_dir).as_posix()
            prefix = "" if rel == "." else rel + "/"
            self.dirs.update(prefix + d for d in dirnames)
            self.files.update(prefix + f for f in filenames)
        self._pages: dict[str, PageLinks] = {}

    def read_pages(self, dests: list[str]) -> None:
        """Read many pages at once, on every core (parsing HTML is most of a check's time)."""
        paths = [self.out_dir / dest for dest in dests]
        self._pages.update(zip(dests, run_all(read_page, paths, worker_count()), strict=True))

    def page(self, dest: str) -> PageLinks:
        """The links and ids of the HTML file `dest`, read once."""
        if dest not in self._pages:
            self._pages[dest] = read_page(self.out_dir / dest)
        return self._pages[dest]

    def page_url(self, dest: str) -> str:
        """The absolute URL a page is served at (posts/x/index.html -> .../posts/x/)."""
        path = dest[: -len("index.html")] if dest == "index.html" or dest.endswith("/index.html") else dest
        return self.origin + self.base_path + path

    def file_for(self, rel: str) -> str | None:
        """The output file a path under the base path serves, as GitHub Pages finds it."""
        if rel == "" or rel.endswith("/"):
            candidates = [rel + "index.html"]
        else:
            candidates = [rel, rel + "/index.html", rel + ".html"]
        return next((c for c in candidates if c in self.files), None)

    def target(self, link: str, dest: str, base_href: str | None = None) -> SplitResult | None:
        """The absolute URL `link` of page `dest` leads to; None when it leads to another site."""
        page_url = self.page_url(dest)
        if base_href:
            page_url = urljoin(page_url, base_href)
        target = urlsplit(urljoin(page_url, link))
        return target if target.netloc.lower() == self.netloc else None

    def problem(self, target: SplitResult) -> str | None:
        """What is wrong with an internal URL, or None when it reaches a file (and an id)."""
        path = target.path + "/" if target.path + "/" == self.base_path else target.path  # /letters -> /letters/
        if not path.startswith(self.base_path):
            return f"outside the site's base path {self.base_path}"
        rel = unquote(path[len(self.base_path) :])
        if ".." in rel.split("/") or "\\" in rel:
            return "leaves the output folder"
        found = self.file_for(rel)
        if found is None:
            return f"missing {rel + 'index.html' if rel == '' or rel.endswith('/') else rel}"
        return self._fragment_problem(found, unquote(target.fragment))

    def _fragment_problem(self, found: str, fragment: str) -> str | None:
        # "#top" scrolls to the top without an element; ":~:" starts a text fragment
        if not fragment or fragment.lower() == "top" or fragment.startswith(":~:") or not found.endswith(".html"):
            return None
        if fragment in self.page(found).ids:
            return None
        return f'missing id "{fragment}" in {found}'


def _kind(link: str) -> str:
    """"skip" for links that name no file, "absolute" for /paths and URLs, else "relative"."""
    if not link:
        return "skip"  # the page itself
    scheme = urlsplit(link).scheme.lower()
    if scheme in OTHER_SCHEMES or (scheme and scheme not in ("http", "https")):
        return "skip"
    return "absolute" if scheme or link.startswith(("/", "#")) else "relative"


def _sources(index: OutputIndex) -> Iterator[tuple[str, PageLinks]]:
    """(file, links) of every page, then of sitemap.xml and robots.txt."""
    pages = sorted(f for f in index.files if f.endswith((".html", ".htm")))
    index.read_pages(pages)
    for dest in pages:
        yield dest, index.page(dest)
    if "sitemap.xml" in index.files:
        yield "sitemap.xml", PageLinks(_xml_links(index.out_dir / "sitemap.xml"), frozenset())
    if "robots.txt" in index.files:
        yield "robots.txt", PageLinks(_robots_links(index.out_dir / "robots.txt"), frozenset())


def _is_email_edition(dest: str) -> bool:
    return dest.endswith("/" + EMAIL_EDITION)


_PLACEHOLDER = re.compile(r"[{}|\[\]]|^\*|^%")
"""What a mail service's placeholder has ({{ unsubscribe_url }}, *|UNSUB|*, [unsubscribe],
%unsubscribe%) and a URL sitegen writes never does (it percent-encodes these)."""


def _form_problems(dest: str, page: PageLinks) -> Iterator[Problem]:
    """A form that posts goes to a mail service: a static site cannot receive it."""
    for action in page.posted_to:
        if urlsplit(action).scheme.lower() != "https" or not urlsplit(action).netloc:
            yield Problem(dest, action or '""', "a form that posts must send to an https:// address (its service's)")


def check_output(out_dir: Path, base_url: str) -> CheckReport:
    """Check every link of the site built in `out_dir`, served at `base_url` ("/" when only
    the path is known).

    Raises:
        SiteError: when `out_dir` holds no built site.
    """
    if not (out_dir / "index.html").is_file():
        raise SiteError(f"no built site in {out_dir} (no index.html): run `sitegen build` first")
    index = OutputIndex(out_dir, base_url)
    problems: list[Problem] = []
    external: dict[str, set[str]] = {}
    pages = internal = editions = 0
    for dest, page in _sources(index):
        editions += _is_email_edition(dest)
        pages += dest.endswith((".html", ".htm")) and not _is_email_edition(dest)
        problems += _form_problems(dest, page)
        for link in dict.fromkeys(page.links):
            kind = _kind(link)
            if kind == "skip":
                continue
            if _is_email_edition(dest):
                # its links are its page's, which are checked; a mail client can only follow absolute ones
                if not urlsplit(link).netloc and not _PLACEHOLDER.search(link):
                    problems.append(Problem(dest, link, "relative link in an email edition: it leads nowhere in mail"))
                continue
            if kind == "relative" and dest == NOT_FOUND_PAGE:
                problems.append(Problem(dest, link, "relative link in the 404 page, which is served at any address"))
                continue
            target = index.target(link, dest, page.base_href)
            if target is None:
                external.setdefault(link, set()).add(dest)
                continue
            internal += 1
            if problem := index.problem(target):
                problems.append(Problem(dest, link, problem))
    return CheckReport(
        base_url=index.origin + index.base_path if index.host else index.base_path,
        pages=pages,
        editions=editions,
        internal=internal,
        problems=tuple(problems),
        external={url: tuple(sorted(external[url])) for url in sorted(external)},
    )

"""`sitegen check`: every internal link of a built site resolves, offline, under its base path."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import REPO, SITE_YAML, Run, Site, post

from sitegen.check.external import check_one
from sitegen.check.links import check_output
from sitegen.markup.links import srcset_urls

SITE = "https://example.org/letters/"


def _output(tmp_path: Path, files: dict[str, str]) -> Path:
    """A hand-made output folder: index.html plus `files`."""
    out = tmp_path / "output"
    for name, text in {"index.html": "<p>home</p>", **files}.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


def test_finds_a_broken_link_a_missing_image_and_a_missing_fragment(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({
        "content/posts/planted.md": post(
            "Planted", "2025-06-01",
            "A [lost page](../nowhere/), a <img src=\"gone.png\" alt=\"missing picture\">, "
            "a [bad anchor](../first/#no-such-heading),\n"
            "and links that work: [first](../first/), [about](../../about/#main), [top](#top).\n",
        ),
    })
    result = run_cli(site.root, "build", "--check")
    assert result.status == 1
    lines = result.out.splitlines()
    assert lines[3:6] == [
        "posts/planted/index.html: ../nowhere/: missing posts/nowhere/index.html",
        "posts/planted/index.html: gone.png: missing posts/planted/gone.png",
        'posts/planted/index.html: ../first/#no-such-heading: missing id "no-such-heading" in posts/first/index.html',
    ]
    assert lines[6].startswith("checked 14 pages and 4 email editions at https://example.org/letters/: ")
    assert lines[6].endswith(": 3 broken links")
    again = run_cli(site.root, "check")
    assert (again.status, again.out.splitlines()[:3]) == (1, lines[3:6])


def test_a_link_from_the_root_stays_under_the_base_path_and_one_outside_it_is_found(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({"content/pages/about.md": "---\ntitle: About\n---\nSee [the first post](/posts/first/).\n"})
    assert run_cli(site.root, "build", "-q", "--check").status == 0  # written from the root: /letters/posts/first/
    site.write({
        "site.yaml": SITE_YAML + "theme: mine\n",
        "themes/mine/theme.yaml": "parent: default\n",
        "themes/mine/templates/page.html": (
            "{% extends 'base.html' %}{% block content %}<a href=\"/posts/first/\">First</a>{% endblock %}"
        ),
    })
    assert run_cli(site.root, "build", "-q").status == 0
    result = run_cli(site.root, "check")
    assert result.status == 1
    assert result.out.splitlines()[0] == "about/index.html: /posts/first/: outside the site's base path /letters/"
    at_root = run_cli(site.root, "build", "-q", "--base-url", "https://example.org/", "--check")
    assert at_root.status == 0, at_root.out


def test_the_example_site_has_no_broken_link(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "example"
    result = run_cli(REPO, "build", "--output", str(out), "--quiet", "--no-cache")
    assert result.status == 0, result.err
    report = check_output(out, "https://example.github.io/human-connections/")
    assert report.problems == ()
    assert report.pages > 20 and report.internal > 500
    assert all(urlsplit(url).netloc != "example.github.io" for url in report.external)
    checked = run_cli(tmp_path, "check", "--output", str(out))
    assert checked.status == 0
    assert report.editions == len(list(out.glob("posts/*/email.html"))) > 5
    assert checked.out.startswith(
        f"checked {report.pages} pages and {report.editions} email editions at "
        "https://example.github.io/human-connections/: "
    )


def test_a_sign_up_form_must_post_to_an_https_service(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    _output(tmp_path, {
        "index.html": '<form method="post" action="http://example.com/subscribe"></form>'
        '<form method="POST" action="https://buttondown.com/api/emails/embed-subscribe/ana"></form>'
        '<form method="post" action="/subscribe"></form>'
        '<form action="search/"></form>',
    })
    result = run_cli(tmp_path, "check", "--output", "output", "--base-url", "https://example.org/")
    assert result.out.splitlines()[:3] == [
        "index.html: http://example.com/subscribe: a form that posts must send to an https:// address (its service's)",
        "index.html: /subscribe: a form that posts must send to an https:// address (its service's)",
        "index.html: search/: missing search/index.html",  # a form that gets is a link into the site
    ]
    assert result.status == 1


def test_an_email_edition_may_hold_only_absolute_links(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    _output(tmp_path, {
        "index.html": "<p>home</p>",
        "posts/a/email.html": '<a href="https://example.org/posts/a/">web</a><a href="../b/">b</a>'
        '<img src="https://example.org/posts/a/x.png" alt="">',
    })
    result = run_cli(tmp_path, "check", "--output", "output", "--base-url", "https://example.org/")
    assert result.out.splitlines() == [
        "posts/a/email.html: ../b/: relative link in an email edition: it leads nowhere in mail",
        "checked 1 page and 1 email edition at https://example.org/: 0 internal links, 0 external links: "
        "1 broken link",
    ]


def test_base_url_comes_from_the_build_unless_given(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    _output(tmp_path, {
        "robots.txt": "User-agent: *\nAllow: /\n\nSitemap: https://example.org/letters/sitemap.xml\n",
        "sitemap.xml": '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.org/letters/</loc></url><url><loc>https://example.org/letters/gone/</loc></url>"
        "</urlset>\n",
        "a/index.html": '<a href="/letters/">home</a>',
    })
    result = run_cli(tmp_path, "check")
    assert result.out.splitlines() == [
        "sitemap.xml: https://example.org/letters/gone/: missing gone/index.html",
        "checked 2 pages at https://example.org/letters/: 4 internal links, 0 external links: 1 broken link",
    ]
    other = run_cli(tmp_path, "check", "--output", "output", "--base-url", "https://example.org/")
    assert "a/index.html: /letters/: missing letters/index.html" in other.out.splitlines()


def test_what_resolves_and_what_does_not(tmp_path: Path) -> None:
    page = """<!doctype html><html><head>
    <link rel="stylesheet" href="/letters/style.css?v=abc123">
    <link rel="canonical" href="https://example.org/letters/a/">
    <meta property="og:image" content="https://example.org/letters/missing.png">
    <script src="../app.js"></script>
    </head><body>
    <a id="here" href="#here">self</a> <a name="old-style"></a> <a href="#old-style">named</a>
    <a href="">this page</a> <a href="?page=2">query</a> <a href="mailto:a@example.org">mail</a>
    <a href="tel:+15555550100">call</a> <a href="javascript:void(0)">js</a>
    <a href="../b">a folder without its slash</a> <a href="../c">c.html</a>
    <a href="../%E6%9D%B1%E4%BA%AC/#%E6%89%8B%E7%B4%99">percent-encoded</a>
    <a href="https://example.org/letters">the home page without its slash</a>
    <a href="../../">above the base path</a>
    <a href="../../../../etc/passwd">far above</a>
    <a href="https://example.org/other/">same host, other path</a>
    <a href="//cdn.example.net/x.js">protocol-relative</a>
    <a href="https://elsewhere.example/">elsewhere</a>
    <img srcset="../img/a.png 1x, ../img/b.png 2x" src="../img/a.png" alt="">
    <picture><source srcset="../img/c.webp"><img src="../img/a.png" alt=""></picture>
    <svg><use href="#icon"></use></svg>
    </body></html>"""
    out = _output(tmp_path, {
        "a/index.html": page,
        "style.css": "",
        "app.js": "",
        "b/index.html": "",
        "c.html": "",
        "東京/index.html": '<h2 id="手紙">letter</h2>',
        "img/a.png": "",
    })
    report = check_output(out, SITE)
    assert [str(p) for p in report.problems] == [
        "a/index.html: https://example.org/letters/missing.png: missing missing.png",
        "a/index.html: ../../: outside the site's base path /letters/",
        "a/index.html: ../../../../etc/passwd: outside the site's base path /letters/",
        "a/index.html: https://example.org/other/: outside the site's base path /letters/",
        "a/index.html: ../img/b.png: missing img/b.png",
        "a/index.html: ../img/c.webp: missing img/c.webp",
        'a/index.html: #icon: missing id "icon" in a/index.html',
    ]
    assert list(report.external) == ["//cdn.example.net/x.js", "https://elsewhere.example/"]
    assert report.external["https://elsewhere.example/"] == ("a/index.html",)


def test_relative_links_in_the_404_page_are_reported(tmp_path: Path) -> None:
    out = _output(tmp_path, {
        "404.html": '<link rel="stylesheet" href="style.css"><a href="/letters/">home</a><a href="#x" id="x">x</a>',
        "style.css": "",
    })
    report = check_output(out, SITE)
    assert [str(p) for p in report.problems] == [
        "404.html: style.css: relative link in the 404 page, which is served at any address"
    ]


def test_without_a_host_absolute_urls_are_external(tmp_path: Path) -> None:
    out = _output(tmp_path, {"a.html": '<a href="/">home</a><a href="https://example.org/">site</a><a href="b">b</a>'})
    report = check_output(out, "/")
    assert [str(p) for p in report.problems] == ["a.html: b: missing b"]
    assert list(report.external) == ["https://example.org/"]
    assert report.base_url == "/"


def test_verbose_lists_external_links(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    _output(tmp_path, {"a.html": '<a href="https://b.example/">b</a> <a href="https://a.example/x">a</a>'})
    result = run_cli(tmp_path, "check", "-v", "--base-url", SITE)
    assert result.out.splitlines() == [
        "external: https://a.example/x",
        "external: https://b.example/",
        "checked 2 pages at https://example.org/letters/: 0 internal links, "
        "2 external links (not fetched; --external fetches them): no broken links",
    ]


def test_check_needs_a_built_site(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli(tmp_path, "check")
    assert (result.status, result.err) == (1, "error: no folder output: build the site first (sitegen build)\n")
    (tmp_path / "output").mkdir()
    result = run_cli(tmp_path, "check")
    assert result.err == "error: no built site in output (no index.html): run `sitegen build` first\n"


@pytest.mark.parametrize(
    ("srcset", "urls"),
    [
        ("a.jpg", ["a.jpg"]),
        ("a.jpg 1x, b.jpg 2x", ["a.jpg", "b.jpg"]),
        ("a.jpg 480w,b.jpg 800w", ["a.jpg", "b.jpg"]),
        ("a,b.jpg 1x, c.jpg", ["a,b.jpg", "c.jpg"]),
        ("a.jpg,b.jpg", ["a.jpg,b.jpg"]),  # as browsers read it: one URL
        ("  ", []),
    ],
)
def test_srcset_urls(srcset: str, urls: list[str]) -> None:
    assert srcset_urls(srcset) == urls


class _Pages(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        codes = {"/ok": 200, "/gone": 404, "/no-head": 405, "/bots": 999}
        self.send_response(codes.get(self.path, 404))
        self.end_headers()

    def do_GET(self) -> None:
        self.send_response(200 if self.path in ("/ok", "/no-head") else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_external_links_are_fetched_only_when_asked(
    run_cli: Callable[..., Run], tmp_path: Path, local_server: str
) -> None:
    links = "".join(f'<a href="{local_server}{p}">x</a>' for p in ("/ok", "/gone", "/no-head", "/bots"))
    _output(tmp_path, {"a.html": links})
    offline = run_cli(tmp_path, "check", "--base-url", SITE)
    assert offline.status == 0
    result = run_cli(tmp_path, "check", "--base-url", SITE, "--external", "--timeout", "5")
    assert result.status == 1
    assert result.out.splitlines() == [
        f"a.html: {local_server}/bots: HTTP 999: the site refuses link checkers",
        f"a.html: {local_server}/gone: HTTP 404",
        "checked 2 pages at https://example.org/letters/: 0 internal links, 4 external links: 1 broken link",
    ]


def test_an_unreachable_site_is_a_problem() -> None:
    def refuse(url: str, timeout: float) -> int:
        raise ConnectionRefusedError("connection refused")

    result = check_one("https://unreachable.example/", 1.0, refuse)
    assert (result.problem, result.refused) == ("unreachable (connection refused)", False)

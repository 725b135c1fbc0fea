"""Only http, https, mailto and relative URLs from a site's files reach its pages and feeds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import AUTHOR_ANA, SITE_YAML, Run, Site, post

from sitegen.source.urls import is_safe_url

SCRIPTS = [
    "javascript:alert(1)", "JavaScript:alert(1)", "javascript://%0aalert(1)", "java\tscript:alert(1)",
    " javascript:alert(1)", "%6Aavascript:alert(1)", "&#106;avascript:alert(1)", "data:text/html,<script>",
    "vbscript:msgbox",
]


@pytest.mark.parametrize("url", SCRIPTS)
def test_a_script_url_is_never_safe(url: str) -> None:
    assert not is_safe_url(url)


@pytest.mark.parametrize("url", ["https://x.example/", "HTTP://X.EXAMPLE/", "mailto:a@b.example", "cover.jpg",
                                 "/images/a.png", "../about/", "#notes", "//cdn.example/a.png"])
def test_ordinary_urls_are_safe(url: str) -> None:
    assert is_safe_url(url)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"content/posts/x.md": post("X", "2025-01-01", canonical_url='"javascript:alert(1)"')},
         "content/posts/x.md:4:1: 'canonical_url' must be an http, https or mailto address, or one within the site, "
         "not 'javascript:alert(1)'"),
        ({"content/posts/x.md": post("X", "2025-01-01", image='"JaVaScRiPt:alert(1)"')},
         "content/posts/x.md:4:1: 'image' must be an http, https or mailto address, or one within the site, "
         "not 'JaVaScRiPt:alert(1)'"),
        ({"content/authors/ana.md": AUTHOR_ANA.replace("https://www.linkedin.com/in/ana-example/",
                                                       "javascript://%0aalert(1)")},
         "content/authors/ana.md:5:1: 'links' must be an http, https or mailto address, or one within the site, "
         "not 'javascript://%0aalert(1)'"),
        ({"content/authors/ana.md": AUTHOR_ANA.replace("https://buttondown.com/ana", "javascript://%0aalert(1)")},
         "content/authors/ana.md:7:1: 'subscribe' must be an http, https or mailto address, or one within the site, "
         "not 'javascript://%0aalert(1)'"),
        ({"site.yaml": SITE_YAML + 'image: "vbscript:x"\n'},
         "site.yaml:7:1: 'image' must be an http, https or mailto address, or one within the site, not 'vbscript:x'"),
    ],
    ids=["canonical_url", "image", "author link", "subscribe", "site image"],
)
def test_a_script_url_from_a_file_is_a_located_error(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], files: dict[str, str | bytes], message: str
) -> None:
    site = make_site()
    site.write(files)
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, message + "\n")


def test_templates_cannot_print_the_sites_folder(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: mine\n",
        "themes/mine/theme.yaml": "parent: default\n",
        "themes/mine/templates/page.html": "{{ site.config }}",
    })
    site.build()
    shown = site.read("about/index.html")
    assert "SiteConfig(title=" in shown and str(site.root) not in shown

"""Redirects when addresses change: a post's aliases, site.yaml's redirects and an earlier
permalink pattern each leave a page at the old address that sends readers on (GitHub Pages has
no server-side redirects); one that would replace a real page is a located error."""

from __future__ import annotations

from collections.abc import Callable

from conftest import SITE_YAML, Run, Site, post
from htmlpage import HtmlPage

NEW = "https://example.org/letters/posts/first/"


def _sends_to(page: HtmlPage) -> tuple[list[str], list[str], list[str], list[str]]:
    return (
        page.attrs("//meta[@http-equiv='refresh']/@content"),
        page.attrs("//link[@rel='canonical']/@href"),
        page.attrs("//meta[@name='robots']/@content"),
        page.attrs("//body//a/@href"),
    )


def test_a_post_s_aliases_lead_to_it(make_site: Callable[..., Site]) -> None:
    site = make_site()
    aliases = "[/2019/05/first-post/, /first.html]"
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Words.\n", aliases=aliases)})
    site.build()
    for old in ("2019/05/first-post/index.html", "first.html"):
        page = HtmlPage.load(site.out / old)
        assert _sends_to(page) == ([f"0; url={NEW}"], [NEW], ["noindex"], [NEW])
        assert page.text("//a") == "First post"
    assert "2019/05" not in (site.out / "sitemap.xml").read_text()


def test_site_yaml_redirects_lead_to_pages_and_elsewhere(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "redirects:\n  /old-about: /about/\n  /talk/: https://talks.example/ana\n"})
    site.build()
    about = HtmlPage.load(site.out / "old-about/index.html")
    assert _sends_to(about)[1] == ["https://example.org/letters/about/"] and about.text("//a") == "About"
    assert _sends_to(HtmlPage.load(site.out / "talk/index.html"))[0] == ["0; url=https://talks.example/ana"]


def test_a_new_permalink_pattern_keeps_the_old_addresses(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    moved = 'permalinks:\n  post: "/{year}/{slug}/"\n  redirect_old: "/posts/{slug}/"\n'
    site.write({"site.yaml": SITE_YAML + moved})
    site.build()
    assert (site.out / "2024/first/index.html").exists()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    assert _sends_to(page)[1] == ["https://example.org/letters/2024/first/"]


def test_a_redirect_over_a_real_page_is_a_located_error(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.build()
    before = (site.out / "about/index.html").read_bytes()
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Words.\n", aliases="[/about/]")})
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, (
        "content/posts/first.md:4:1: the redirect from /about/ would replace about/index.html, which the site "
        "makes (remove the redirect: the address is in use)\n"
    ))
    assert (site.out / "about/index.html").read_bytes() == before
    site.write({
        "content/posts/first.md": post("First post", "2024-01-05", "Words.\n"),
        "site.yaml": SITE_YAML + "redirects:\n  /old/: /about/\n  /posts/second: /about/\n",
    })
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, (
        "site.yaml:9:3: the redirect from /posts/second/ would replace posts/second/index.html, which the site "
        "makes (remove the redirect: the address is in use)\n"
    ))


def test_an_alias_that_is_not_an_address_of_the_site_is_located(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Words.\n", aliases="[https://x.example/]")})
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, (
        "content/posts/first.md:4:1: alias 'https://x.example/' must be an address of this site written from its "
        "root, such as /2019/old-post/\n"
    ))


def test_check_finds_a_redirect_that_leads_nowhere(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "redirects:\n  /old/: /about/\n  /gone/: /no-such-page/\n"})
    result = run_cli(site.root, "build", "--check")
    assert result.status == 1
    assert "gone/index.html: https://example.org/letters/no-such-page/: missing no-such-page/index.html" in result.out
    assert "old/index.html" not in result.out

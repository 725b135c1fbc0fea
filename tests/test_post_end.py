"""The end of a post: share links without scripts or requests to the networks, and the connect
box's one-step "Copy the note and open LinkedIn", with and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import Site, post
from htmlpage import HtmlPage

from sitegen.model.share import share_links

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TITLE = "Tom & Jerry: \u201cquotes\u201d 東京"
URL = "https://example.org/letters/posts/tom/"


def test_share_links_carry_the_title_and_the_address() -> None:
    links = {link.label: urlsplit(link.url) for link in share_links(TITLE, URL)}
    assert list(links) == ["LinkedIn", "Bluesky", "Mastodon", "X", "Email"]
    assert (links["LinkedIn"].netloc, parse_qs(links["LinkedIn"].query)) == ("www.linkedin.com", {"url": [URL]})
    assert parse_qs(links["Bluesky"].query) == {"text": [f"{TITLE} {URL}"]}
    mastodon = (links["Mastodon"].netloc, parse_qs(links["Mastodon"].query))
    assert mastodon == ("s2f.kytta.dev", {"text": [f"{TITLE} {URL}"]})
    assert parse_qs(links["X"].query) == {"text": [TITLE], "url": [URL]}
    assert (links["Email"].scheme, parse_qs(links["Email"].query)) == (
        "mailto", {"subject": [TITLE], "body": [f"{TITLE}\n\n{URL}"]}
    )


def test_a_post_page_shares_its_canonical_address(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"content/posts/cross.md": post(
        "Cross", "2025-01-01", "Words.\n", canonical_url="https://www.linkedin.com/pulse/cross-ana/"
    )})
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    shared = page.attrs("//section[@class='share']//a/@href")
    assert len(shared) == 5 and all("example.org%2Fletters%2Fposts%2Ffirst%2F" in href for href in shared)
    crossed = HtmlPage.load(site.out / "posts/cross/index.html").attrs("//section[@class='share']//a/@href")
    canonical = "https%3A%2F%2Fwww.linkedin.com%2Fpulse%2Fcross-ana%2F"
    assert f"https://www.linkedin.com/sharing/share-offsite/?url={canonical}" in crossed
    assert page.attrs("//section[@class='share']//a[not(starts-with(@href, 'mailto:'))]/@target") == ["_blank"] * 4


def test_the_connect_box_of_a_post_opens_linkedin(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    link = "//div[@data-author-id='ana']//a[@data-copy-open]"
    assert page.attrs(f"{link}/@href") == ["https://www.linkedin.com/in/ana-example/"]
    assert page.text(link) == "Open LinkedIn (Ana Example, in a new tab)"  # what it says without JavaScript
    assert page.texts("//div[@data-author-id='ana']//p[@data-note]")  # the note, as text


# --- in a browser -----------------------------------------------------------------------------


@pytest.fixture
def post_page(make_site: Callable[..., Site], browser: Browser) -> Iterator[Page]:
    from browser import server_url, static_server

    site = make_site()
    with static_server() as (server, holder):
        holder.append(site.out)
        site.build(base_url=server_url(server))
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{server_url(server)}posts/first/")
        yield page
        context.close()


def test_copy_the_note_and_open_linkedin_copies_then_opens_the_profile(post_page: Page) -> None:
    link = post_page.locator("div[data-author-id='ana'] a[data-copy-open]")
    assert link.inner_text().startswith("Copy the note and open LinkedIn")
    width = link.bounding_box()["width"]  # type: ignore[index]
    # a new tab asks for the profile (this machine has no network: the request is what counts)
    profile = "https://www.linkedin.com/in/ana-example/"
    with post_page.context.expect_event("request", lambda request: request.url == profile):
        link.click()
    note = post_page.locator("div[data-author-id='ana'] p[data-note]").inner_text()
    assert post_page.evaluate("navigator.clipboard.readText()") == note
    assert link.inner_text().startswith("Copied")
    assert link.bounding_box()["width"] == pytest.approx(width, abs=0.5)  # type: ignore[index]


def test_copy_link_copies_the_address(post_page: Page) -> None:
    button = post_page.get_by_role("button", name="Copy link")
    button.click()
    assert post_page.evaluate("navigator.clipboard.readText()").endswith("/posts/first/")


def test_related_letters_share_the_most_tags_then_are_newest(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/a.md": post("A", "2025-03-01", "A.\n", tags="[writing, Networking]"),
        "content/posts/b.md": post("B", "2025-04-01", "B.\n", tags="[writing]"),
        "content/posts/c.md": post("C", "2025-05-01", "C.\n", tags="[cooking]"),
    })
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")  # tags: writing, Networking
    assert page.texts("//section[@class='related']//a") == ["A", "B", "Second post"]
    alone = HtmlPage.load(site.out / "posts/c/index.html")
    assert alone.texts("//section[@class='related']//a") == []  # no tag in common: no section


def test_related_letters_stay_right_through_the_quick_route(make_site: Callable[..., Site]) -> None:
    from sitegen.engine.options import Route

    site = make_site()
    site.write({"content/posts/a.md": post("A", "2025-03-01", "Lead.\n\nA.\n", tags="[writing, Networking]")})
    site.build()
    site.write({"content/posts/first.md": post(
        "First post", "2024-01-05", "The *first* words.\n\nAnd more.\n", tags="[writing, Networking]"
    )})
    site.build()
    site.write({"content/posts/first.md": post(
        "First post", "2024-01-05", "The *first* words.\n\nAnd more, edited.\n", tags="[writing, Networking]"
    )})
    report = site.build()
    assert report.route is Route.TEXT_EDIT
    page = HtmlPage.load(site.out / "posts/first/index.html")
    assert page.texts("//section[@class='related']//a") == ["A", "Second post"]
    assert "And more, edited." in page.text("//div[@class='prose']")

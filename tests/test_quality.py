"""The example newsletter, looked at like a user and a validator would."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import server_url, static_server
from conftest import NOW, REPO

from sitegen.engine.builder import build
from sitegen.engine.options import BuildOptions

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
PAGE_TYPES = {
    "home": "",
    "page 2": "page/2/",
    "post": "posts/the-best-connection-request-says-why/",
    "post with table of contents": "posts/cross-posting-without-losing-yourself/",
    "post with a table and footnotes": "posts/a-year-of-writing-a-newsletter/",
    "tag": "tags/networking/",
    "tag index": "tags/",
    "archive": "archive/",
    "author": "authors/ana/",
    "page": "about/",
    "404": "404.html",
    "search": "search/?q=connection",
}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The repository's example newsletter, built and served on 127.0.0.1."""
    out = tmp_path_factory.mktemp("example") / "output"
    with static_server() as (server, holder):
        url = server_url(server)
        build(BuildOptions(root=REPO, output=out, base_url=url, now=NOW))
        holder.append(out)
        yield url, out


def test_every_page_of_the_example_site_is_valid_html(example_site: tuple[str, Path]) -> None:
    _, out = example_site
    pages = sorted(str(p) for p in out.rglob("*.html") if p.name != "email.html")  # see test_email.py
    assert len(pages) > 20
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[:3000]


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_type_has_no_accessibility_violations(
    example_site: tuple[str, Path], browser: object, name: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    url, _ = example_site
    requests: list[str] = []
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)  # type: ignore[attr-defined]
        page.on("request", lambda request: requests.append(request.url))
        page.goto(url + PAGE_TYPES[name])
        if name == "search":  # with its results shown
            page.wait_for_selector(".search-result")
        results = Axe().run(page)
        violations = [(v["id"], len(v["nodes"])) for v in results.response["violations"]]
        assert violations == [], f"{name} ({scheme}): {json.dumps(results.response['violations'], indent=1)[:2000]}"
        page.close()
    assert all(r.startswith(url) for r in requests), "no external requests"


def test_connect_note_copies_with_js_and_shows_without(example_site: tuple[str, Path], browser: object) -> None:
    url, _ = example_site
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url + "authors/ana/")
    note = page.locator("#connect").inner_text()
    assert "I just read" in note
    assert page.locator("#connect button").count() == 0 or not page.locator("#connect button").first.is_visible()
    context.close()

    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(url + PAGE_TYPES["post"])
    title = page.locator("h1").inner_text()
    page.goto(url + "authors/ana/")
    button = page.locator("#connect button").first
    button.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert title in copied, "the author page's note names the post the reader just read"
    context.close()


def test_search_finds_a_letter_by_a_word_only_it_has(example_site: tuple[str, Path], browser: object) -> None:
    """The index Pagefind made with the build, asked in Chromium through the search page: "Lagos"
    is only in the habit letter, a word of its body (not its title)."""
    url, out = example_site
    assert (out / "pagefind/pagefind.js").is_file()
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(url + "search/")
    page.fill("#search-q", "Lagos")
    page.press("#search-q", "Enter")
    page.wait_for_selector(".search-result")
    titles = page.locator(".search-result__title").all_text_contents()
    assert titles == ["A Writing Habit That Survives a Busy Week"]
    assert page.locator(".search-result__title").first.get_attribute("href") == "/posts/a-writing-habit-for-busy-weeks/"
    assert page.locator(".search-result mark").first.text_content() == "Lagos"
    assert page.locator("[data-search-status]").text_content() == "1 letter found for “Lagos”"
    assert page.url.endswith("/search/?q=Lagos")  # a search is a link
    page.fill("#search-q", "connection")
    page.press("#search-q", "Enter")
    page.wait_for_function("document.querySelectorAll('.search-result').length > 1")
    first = page.locator(".search-result__title").first.text_content()
    assert first == "The Best Connection Request Says Why"
    page.close()


def test_the_author_s_photo_is_large_on_their_page_and_small_in_a_byline(
    example_site: tuple[str, Path], browser: object
) -> None:
    """The stylesheet comes in parts: the author page's own rule must still win over the byline's."""
    url, _ = example_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    width = "(selector) => document.querySelector(selector).getBoundingClientRect().width"
    page.goto(url + "authors/ana/")
    assert page.evaluate(width, ".author-hero__photo") >= 88  # clamp(5.5rem, 18vw, 8rem)
    page.goto(url + PAGE_TYPES["post"])
    assert page.evaluate(width, ".byline .avatar") == 48
    page.close()

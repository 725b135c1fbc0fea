"""Search (search: true): a search page and a header link, an index Pagefind makes from the letters'
pages after the build (drafts and email editions left out), made again only when a letter changed."""

from __future__ import annotations

from collections.abc import Callable

from conftest import SITE_YAML, Site, post
from htmlpage import HtmlPage

from sitegen.engine.options import Route

ON = SITE_YAML + "search: true\n"


def _index_files(site: Site) -> dict[str, int]:
    files = (p for p in (site.out / "pagefind").rglob("*") if p.is_file())
    return {p.relative_to(site.out).as_posix(): p.stat().st_ino for p in files}


def test_search_makes_a_page_a_link_and_an_index_of_the_letters(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": ON, "content/posts/secret.md": post("Secret", "2025-01-01", "Hidden.\n", draft="true")})
    site.build(drafts=True)
    home = HtmlPage.load(site.out / "index.html")
    assert home.attrs("//nav[@aria-label='Main']//a[.='Search']/@href") == ["/letters/search/"]
    search = HtmlPage.load(site.out / "search/index.html")
    assert search.attrs("//form[@role='search']/@data-search") == ["/letters/pagefind/pagefind.js"]
    assert search.attrs("//label[@for='search-q']") != []
    assert (site.out / "pagefind/pagefind.js").is_file() and list((site.out / "pagefind").glob("*.pf_meta"))
    assert not list((site.out / "pagefind").glob("pagefind-ui*"))  # Pagefind's own interface is not published
    indexed = HtmlPage.load(site.out / "posts/first/index.html")
    assert indexed.attrs("//article/@data-pagefind-body") == [""]
    assert indexed.texts("//*[@data-pagefind-filter='topic']") == ["Writing", "Networking"]
    draft = HtmlPage.load(site.out / "posts/secret/index.html")
    assert draft.attrs("//*[@data-pagefind-body]") == []  # a draft is never found
    assert "data-pagefind-body" not in (site.out / "posts/first/email.html").read_text()


def test_the_index_is_made_again_only_when_a_letter_changed(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": ON})
    site.build()
    first = _index_files(site)
    site.write({"content/pages/about.md": "---\ntitle: About\n---\nAbout this newsletter, again.\n"})
    site.build()
    assert _index_files(site) == first  # a page that is not a letter: the index stands
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "The zebra words.\n", tags="[writing]")})
    report = site.build()
    assert report.route is Route.FULL  # the quick route of edited text gives way: the index changes
    again = _index_files(site)
    metas = [[name for name in files if name.endswith(".pf_meta")] for files in (first, again)]
    assert len(metas[1]) == 1 and metas[0] != metas[1]  # the index of the new words; the old one gone
    site.write({"site.yaml": SITE_YAML})
    site.build()
    assert not (site.out / "pagefind").exists() and not (site.out / "search").exists()

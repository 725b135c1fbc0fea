"""Issue numbers: `issue:` in front matter, or `numbering: auto` in site.yaml (published posts in
date order), shown on the post, in lists and the archive, in feed titles when asked; and kept right
by the build cache when a post arrives or a post's text is edited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest
from conftest import SITE_YAML, Site, post
from htmlpage import HtmlPage

from sitegen.engine.options import Route
from sitegen.errors import SiteError


def _files(folder: Path) -> dict[str, bytes]:
    """Every file a build wrote (not its marker, which names the cache that built it)."""
    found = (p for p in folder.rglob("*") if p.is_file() and p.name != ".sitegen-output")
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in found}


def _issue(site: Site, dest: str) -> list[str]:
    return HtmlPage.load(site.out / dest).texts("//article//p[@class='meta']/span[@class='issue']")


def test_auto_numbers_published_posts_in_date_order(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "numbering: auto\n",
        "content/posts/draft.md": post("Draft", "2026-05-01", "Not yet.\n", draft="true"),
    })
    site.build()
    assert [_issue(site, f"posts/{slug}/index.html") for slug in ("first", "second", "third")] == [
        ["No. 1"], ["No. 2"], ["No. 3"]
    ]
    archive = HtmlPage.load(site.out / "archive/index.html").texts("//ul[@class='archive-list']//span[@class='issue']")
    assert archive == ["No. 3", "No. 2", "No. 1"]
    site.build(drafts=True)
    assert _issue(site, "posts/draft/index.html") == []  # drafts have no number yet
    assert _issue(site, "posts/third/index.html") == ["No. 3"]


def test_a_post_s_own_issue_wins_and_feed_titles_carry_it_when_asked(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "numbering: {auto: false, in_titles: true}\n",
        "content/posts/first.md": post("First post", "2024-01-05", "Words.\n", issue="41"),
    })
    site.build()
    assert _issue(site, "posts/first/index.html") == ["No. 41"]
    assert _issue(site, "posts/second/index.html") == []  # not numbered: no auto
    titles = [entry.title for entry in feedparser.parse(site.read("feed.xml")).entries]
    assert titles == ["Third: \u201cquoted\u201d 世界", "Second post", "No. 41: First post"]


def test_without_numbering_nothing_is_numbered(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    assert _issue(site, "posts/third/index.html") == []
    assert "No. " not in site.read("archive/index.html")


@pytest.mark.parametrize(("value", "shown"), [("0", "0"), ("twelve", "'twelve'"), ("3.5", "3.5"), ("true", "True")])
def test_a_wrong_issue_is_a_located_error(make_site: Callable[..., Site], value: str, shown: str) -> None:
    site = make_site()
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Words.\n", issue=value)})
    with pytest.raises(SiteError) as raised:
        site.build()
    assert str(raised.value) == (
        f"content/posts/first.md:4:1: 'issue' must be a whole number of at least 1, such as 12, not {shown}"
    )


def test_an_older_post_renumbers_the_later_ones_as_a_clean_build_would(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "numbering: {auto: true, in_titles: true}\n"})
    site.build()
    site.write({"content/posts/zero.md": post("Zero", "2023-01-01", "The very first.\n")})
    site.build()
    assert [_issue(site, f"posts/{slug}/index.html") for slug in ("zero", "first", "third")] == [
        ["No. 1"], ["No. 2"], ["No. 4"]
    ]
    assert "No. 4: Third" in site.read("feed.xml")
    site.build(use_cache=False, output=site.root / "clean")
    assert _files(site.out) == _files(site.root / "clean")


def test_editing_the_text_of_a_numbered_post_keeps_its_number_on_the_quick_route(
    make_site: Callable[..., Site],
) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "numbering: auto\n",
        "content/posts/second.md": post("Second post", "2025-02-10 09:30", "Summary.\n\nOld words.\n", author="ben"),
    })
    site.build()
    edited = post("Second post", "2025-02-10 09:30", "Summary.\n\nNew words.\n", author="ben")
    site.write({"content/posts/second.md": edited})
    report = site.build()
    assert report.route is Route.TEXT_EDIT
    assert _issue(site, "posts/second/index.html") == ["No. 2"]
    assert "New words." in site.read("posts/second/index.html")


def test_the_dev_server_s_quick_page_keeps_the_number(make_site: Callable[..., Site]) -> None:
    """Found by the randomized cache test: the quick page wrote the edited post without the number
    numbering: auto had given it, and the full build that followed found nothing to change."""
    from conftest import NOW

    from sitegen.engine.builder import Builder
    from sitegen.engine.memory import Lifetime
    from sitegen.engine.options import BuildOptions

    site = make_site()
    site.write({"site.yaml": SITE_YAML + "numbering: auto\n"})
    builder = Builder(BuildOptions(root=site.root, now=NOW), Lifetime.LONG_LIVED)
    builder.build()
    builder.prepare_quick_page()
    path = site.root / "content/posts/second.md"
    path.write_text(post("Second post", "2025-02-10 09:30", "More words, saved again.\n", author="ben"))
    assert builder.quick_page([str(path)]) == ["posts/second/index.html"]
    assert _issue(site, "posts/second/index.html") == ["No. 2"]

"""The mistakes writers make every week get one located line that says what to do, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import AUTHOR_BEN, SITE_YAML, Run, Site, picture, post

BAD_FILES = {
    "colon in a title": (
        {"content/posts/bots.md": "---\ntitle: Here Come The Bots: AI In The Workplace\ndate: 2024-01-01\n---\nx\n"},
        "content/posts/bots.md:2:26: invalid YAML: a colon followed by a space inside a value "
        '(put the value in quotes: title: "Here Come The Bots: AI In The Workplace")',
    ),
    "tab": (
        {"content/posts/tab.md": "---\ntitle: Tab\ndate: 2024-01-01\ntags:\n\t- a\n---\nx\n"},
        "content/posts/tab.md:5:1: invalid YAML: a tab: YAML indents with spaces only",
    ),
    "key given twice": (
        {"content/posts/twice.md": "---\ntitle: One\ndate: 2024-01-01\ntitle: Two\n---\nx\n"},
        "content/posts/twice.md:4:1: 'title' is given twice (lines 2 and 4): keep one",
    ),
    "a list in a list": (
        {"content/posts/nested.md": post("Nested", "2024-01-01", tags="[[a]]")},
        "content/posts/nested.md:4:1: 'tags' must be a list of texts such as [one, two], and [a] is not a text",
    ),
    "form feed in a body": (
        {"content/posts/ff.md": post("FF", "2024-01-01", "Page one.\x0cPage two.\n")},
        "content/posts/ff.md:5:10: a control character, U+000C (form feed), which a page or feed cannot show: "
        "delete it",
    ),
    "escape in a title": (
        {"content/posts/esc.md": post("\"Bold \\e[1m title\"", "2024-01-01")},
        "content/posts/esc.md:2:8: a control character, U+001B (escape), which a page or feed cannot show: delete it",
    ),
    "two thousand tags": (
        {"content/posts/tags.md": post("Tags", "2024-01-01", tags="[" + ", ".join(f"t{n}" for n in range(2000)) + "]")},
        "content/posts/tags.md:4:1: a post may have 100 tags at most, not 2,000",
    ),
    "the year 1": (
        {"content/posts/old.md": post("Old", "0001-01-01")},
        "content/posts/old.md:3:1: 'date' is in the year 1: dates start in the year 1000",
    ),
    "a slug too long for a disk": (
        {"content/posts/long.md": post("Long", "2024-01-01", slug="a" * 300)},
        "content/posts/long.md:4:1: the slug is 300 bytes long: a name on disk may be 200 at most "
        "(give a shorter slug: (a letter of CJK text takes 3 bytes))",
    ),
    "a url with a query": (
        {"site.yaml": SITE_YAML.replace("letters/", "letters/?utm=x")},
        "site.yaml:2:1: 'url' must be the address of the home page, without ?query or #fragment: "
        "'https://example.org/letters/?utm=x'",
    ),
    "a short name for an author": (
        {"content/authors/anthony-carnevale.md": AUTHOR_BEN, "content/posts/a.md": post("A", "2024-01-01",
                                                                                        author="anthony")},
        "content/posts/a.md:4:1: unknown author 'anthony' (no content/authors/anthony.md) "
        "(did you mean 'anthony-carnevale'?)",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_a_weekly_mistake_gets_one_located_line(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], case: str
) -> None:
    files, message = BAD_FILES[case]
    site = make_site()
    site.write(files)
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, message + "\n")


def test_a_build_says_what_it_left_out(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    site.write({
        "content/posts/d1.md": post("D1", "2024-01-01", draft="true"),
        "content/posts/d2.md": post("D2", "2024-01-02", draft="true"),
        "content/posts/later.md": post("Later", "2030-01-01"),
    })
    result = run_cli(site.root, "build")
    assert "2 drafts and 1 scheduled post not published (--drafts shows them)\n" in result.out
    assert "not published" not in run_cli(site.root, "build", "--drafts").out


@pytest.mark.parametrize(
    ("make", "command", "message"),
    [
        (lambda root: (root / ".sitegen-cache").write_text("x"), ["build"],
         "error: {root}/.sitegen-cache is a file: sitegen keeps its build cache in a folder of that name; "
         "remove the file"),
        (lambda root: (root / "output").write_text("x"), ["build"],
         "error: output folder {root}/output is a file: remove it or choose another folder (--output)"),
        (lambda root: (root / "output").symlink_to(root / "content"), ["clean"],
         "error: {root}/output is a link: sitegen clean deletes folders it made, not links (delete it yourself)"),
    ],
    ids=["cache is a file", "output is a file", "clean a linked output"],
)
def test_a_sentence_where_a_traceback_was(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], make: Callable[[Path], object],
    command: list[str], message: str,
) -> None:
    site = make_site()
    make(site.root)
    result = run_cli(site.root.parent, command[0], "site")
    assert (result.status, result.err) == (1, message.format(root="site") + "\n")


def test_new_with_a_long_japanese_title_makes_a_file(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    title = "人と人をつなぐ手紙について考えたこと" * 5  # 100 characters, 300 bytes
    result = run_cli(site.root, "new", title)
    assert result.status == 0, result.err
    path = Path(result.out.strip())
    assert len(path.name.encode()) <= 123 and f"title: {title}" in path.read_text()


@pytest.mark.parametrize("author", ["No", "Yes", "Off", "Null", "1984"])
def test_init_quotes_an_author_name_yaml_would_misread(
    run_cli: Callable[..., Run], tmp_path: Path, author: str
) -> None:
    assert run_cli(tmp_path, "init", "letters", "--author", author).status == 0
    assert run_cli(tmp_path / "letters", "build").status == 0


def test_init_with_a_blank_title_names_the_site_after_its_folder(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert run_cli(tmp_path, "init", "my-letters", "--title", " ").status == 0
    assert "title: My Letters\n" in (tmp_path / "my-letters/site.yaml").read_text()
    assert run_cli(tmp_path / "my-letters", "build").status == 0


def test_init_that_cannot_make_its_folder_leaves_nothing(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    name = "x" * 300
    result = run_cli(tmp_path, "init", name)
    assert (result.status, result.err) == (1, f"error: cannot make the site in {name}: File name too long\n")
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_that_is_not_utf8_is_named(make_site: Callable[..., Site]) -> None:
    site = make_site()
    (site.root / "content/posts").joinpath(os.fsdecode(b"caf\xe9.md")).write_text(post("Café", "2024-01-01"))
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "build"], cwd=site.root, capture_output=True, text=True, timeout=60
    )
    expected = "content/posts/caf\ufffd.md: its name is not UTF-8 text: rename it\n"
    assert (result.returncode, result.stderr) == (1, expected)


def test_links_and_images_that_lead_nowhere_are_warned_of_at_their_line(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({
        "content/posts/links/index.md": post(
            "Links", "2025-05-05",
            "A [good one](../first/) and ![a photo](photo.jpg).\n\n"
            "A [bad one](../nowhere/) and a [draft](../secret/).\n",
        ),
        "content/posts/links/photo.jpg": picture(),
        "content/posts/secret.md": post("Secret", "2025-01-01", draft="true"),
    })
    result = run_cli(site.root, "build", "--quiet")
    hint = "(write the path from this post's page, such as ../other-post/)"
    assert result.err == (
        f"warning: content/posts/links/index.md:7:1: link ../nowhere/ leads to no page of the site {hint}\n"
        f"warning: content/posts/links/index.md:7:1: link ../secret/ leads to no page of the site {hint}\n"
    )
    assert run_cli(site.root, "build", "--quiet").err == result.err  # and again from the cache
    assert run_cli(site.root, "build", "--strict").status == 1


def test_an_image_or_a_cover_that_is_not_there_is_a_located_error(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.build()
    before = (site.out / "index.html").read_bytes()
    site.write({
        "content/posts/links/index.md": post(
            "Links", "2025-05-05", "A photo:\n\n![Missing](missing.png \"Gone\")\n", image="/images/gone.jpg"
        ),
    })
    result = run_cli(site.root, "build", "--quiet")
    hint = "(put the image beside the post, or in static/, and write its path from the post)"
    nowhere = "is not beside the post, nor elsewhere in the site"
    assert (result.status, result.err) == (1, (
        f"content/posts/links/index.md:4:1: the cover /images/gone.jpg {nowhere} {hint}\n"
        f"content/posts/links/index.md:8:1: image missing.png {nowhere} {hint}\n"
    ))
    assert (site.out / "index.html").read_bytes() == before  # the last good output stays

"""`sitegen import linkedin`: a LinkedIn newsletter's archive, from LinkedIn's data export, as posts."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser import server_url, static_server
from conftest import Run, Site
from htmlpage import HtmlPage
from linkedin_export import write_export, zip_export

NO_IMAGES = "https://media.licdn.com/dms/image/v2"
"""Image addresses for imports that do not fetch them."""

POST = "content/posts/2024/the-best-connection-request-says-why.md"
DRAFT = "content/posts/2024/notes-on-a-second-year.md"

EXPECTED_POST = """\
---
title: The Best Connection Request Says Why
date: 2024-03-05T04:30:00+00:00
author: ana
tags: [networking, LinkedIn, careers]
image: https://media.licdn.com/dms/image/v2/cover.jpg?e=1700000000&t=signed
image_alt: A pile of handwritten notes
canonical_url: https://www.linkedin.com/pulse/best-connection-request-says-why-ana-moreau
---
Every Monday I clear my pending invitations. The ones I remember say **why**.

## What an empty request asks

It hands all the work to the other person. As [one essay](https://example.com/essay) put it, “a note is a gift”.

![My desk, on a Monday](https://media.licdn.com/dms/image/v2/desk.jpg?e=1700000000&t=signed)

*My desk, on a Monday*

### Three things a good note does

1. It says where you met.
2. It says what you liked.
3. It asks for nothing.

- Short notes
  - under 200 characters
  - one question at most
- Real names

> The best request is the one you would send by letter.

A link with no address: see the comments. Not code: if a \\< b then \\<script> stays text.

---

連絡を取り合いましょう — let\u2019s keep in touch.
"""

REPORT = [
    "content/posts/2024/notes-on-a-second-year.md (draft)",
    "content/posts/2024/the-best-connection-request-says-why.md",
    "skipped saved-note.html: not an article LinkedIn made: no title (<h1>)",
    "imported 2 articles (1 draft), skipped 1",
    "note: 2 images are still on LinkedIn's servers, whose addresses expire: import again with "
    "--download-images --force to keep copies",
    "review the drafts in sitegen serve (it shows drafts), then delete their draft: line to publish them",
]


def test_an_export_folder_becomes_posts_that_build_and_pass_the_check(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    export = write_export(tmp_path / "export", NO_IMAGES)
    result = run_cli(site.root, "import", "linkedin", str(export))
    assert (result.status, result.out.splitlines(), result.err) == (0, REPORT, "")
    assert (site.root / POST).read_text(encoding="utf-8") == EXPECTED_POST
    assert (site.root / DRAFT).read_text(encoding="utf-8") == (
        "---\ntitle: Notes on a second year\ndate: 2024-05-02T09:18:00+00:00\nauthor: ana\n"
        "draft: true   # a draft on LinkedIn: delete this line to publish\n---\nUnfinished thoughts about year two.\n"
    )
    built = run_cli(site.root, "build", "--check")
    assert built.status == 0, built.out + built.err
    page = HtmlPage.load(site.out / "posts/the-best-connection-request-says-why/index.html")
    assert page.text("//h1") == "The Best Connection Request Says Why"
    assert page.attrs("//link[@rel='canonical']/@href") == [
        "https://www.linkedin.com/pulse/best-connection-request-says-why-ana-moreau"
    ]
    # written with its offset: the site's time zone (Toronto, where it was still the 4th) does not move it
    assert page.text("//time") == "5 March 2024"
    assert not (site.out / "posts/notes-on-a-second-year").exists()  # a draft


def test_the_zip_imports_the_same_and_a_second_run_changes_nothing(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    export = zip_export(tmp_path / "Basic_LinkedInDataExport.zip", NO_IMAGES, top="Basic_LinkedInDataExport/")
    assert run_cli(site.root, "import", "linkedin", str(export)).out.splitlines() == REPORT
    assert (site.root / POST).read_text(encoding="utf-8") == EXPECTED_POST
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (site.root / "content").rglob("*") if p.is_file()}
    again = run_cli(site.root, "import", "linkedin", str(export))
    assert again.out.splitlines() == [
        f"skipped 2024-05-02 09:18:07.0.html: {DRAFT} is already there (--force replaces it)",
        f"skipped best-connection-request-says-why.html: {POST} is already there (--force replaces it)",
        "skipped saved-note.html: not an article LinkedIn made: no title (<h1>)",
        "imported 0 articles (0 drafts), skipped 3",
    ]
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (site.root / "content").rglob("*") if p.is_file()}
    assert after == before


def test_force_no_canonical_and_another_author(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    export = zip_export(tmp_path / "export.zip", NO_IMAGES)
    run_cli(site.root, "import", "linkedin", str(export))
    (site.root / POST).write_text("edited by hand", encoding="utf-8")
    result = run_cli(site.root, "import", "linkedin", str(export), "--force", "--no-canonical", "--author", "ben")
    assert result.out.splitlines()[3] == "imported 2 articles (1 draft), skipped 1"
    text = (site.root / POST).read_text(encoding="utf-8")
    assert "author: ben\n" in text and "canonical_url" not in text
    unknown = run_cli(site.root, "import", "linkedin", str(export), "--author", "cy")
    assert (unknown.status, unknown.err) == (1, "error: no author 'cy' in content/authors/ (sitegen new --author cy)\n")


@pytest.fixture
def image_server(tmp_path: Path) -> Iterator[str]:
    """LinkedIn's image host, on 127.0.0.1: the cover is there, the desk photo has expired."""
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 a cover")
    with static_server() as (server, holder):
        holder.append(folder)
        yield server_url(server).rstrip("/")


def test_downloaded_images_go_into_the_posts_folder(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path, image_server: str
) -> None:
    site = make_site()
    export = write_export(tmp_path / "export", image_server)
    result = run_cli(site.root, "import", "linkedin", str(export), "--download-images")
    assert result.status == 0
    bundle = site.root / "content/posts/2024/the-best-connection-request-says-why"
    assert sorted(p.name for p in bundle.iterdir()) == ["cover.jpg", "index.md"]
    assert (bundle / "cover.jpg").read_bytes() == b"\xff\xd8\xff\xe0 a cover"
    text = (bundle / "index.md").read_text(encoding="utf-8")
    assert "image: cover.jpg\n" in text
    desk = f"{image_server}/desk.jpg?e=1700000000&t=signed"
    assert f"![My desk, on a Monday]({desk})" in text  # not fetched: its address is kept
    assert result.err == (
        f"warning: best-connection-request-says-why.html: image {desk} not downloaded "
        "(HTTP Error 404: File not found): its address is kept\n"
    )
    assert "note:" not in result.out
    assert run_cli(site.root, "build", "-q").status == 0
    assert (site.out / "posts/the-best-connection-request-says-why/cover.jpg").is_file()


def test_an_archive_that_is_not_linkedins_export_is_one_error_and_writes_nothing(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    before = sorted((site.root / "content").rglob("*"))
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("photos/harbour.jpg", b"\xff\xd8")
    result = run_cli(site.root, "import", "linkedin", str(other))
    assert (result.status, result.out) == (1, "")
    assert result.err == (
        f"error: {other} holds no LinkedIn article (no Articles/Articles/*.html): is it LinkedIn's data export? "
        "(request it under Settings, Data privacy, Get a copy of your data, with Articles ticked)\n"
    )
    text = tmp_path / "notes.txt"
    text.write_text("not a zip", encoding="utf-8")
    assert run_cli(site.root, "import", "linkedin", str(text)).err == (
        f"error: {text} is not a ZIP file nor a folder (give LinkedIn's data export, or the folder it unpacks to)\n"
    )
    assert sorted((site.root / "content").rglob("*")) == before

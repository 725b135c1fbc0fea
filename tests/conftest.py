"""Shared fixtures: sites written inline into tmp_path, and a CLI runner."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitegen.cli import main
from sitegen.engine.builder import build
from sitegen.engine.options import BuildOptions, BuildReport

if TYPE_CHECKING:
    from installs import Dist
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent


def picture(width: int = 32, height: int = 24, kind: str = "JPEG", colour: str = "#4a7a96") -> bytes:
    """A real image of `width` by `height` pixels (pages give its size; a fake one gets a warning)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format=kind)
    return out.getvalue()


COVER_JPEG = picture(40, 30)
"""The cover of the special post (feeds give its length)."""
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
"""The frozen clock of every test build: posts dated later are future posts."""

SITE_YAML = """\
title: Letters & Notes
url: https://example.org/letters/
description: Essays on reaching out.
timezone: America/Toronto
author: ana
paginate: 2
"""

AUTHOR_ANA = """\
---
name: Ana Example
tagline: Writer and coach
email: ana@example.com
links:
  - {label: LinkedIn, url: "https://www.linkedin.com/in/ana-example/"}
subscribe: {label: Subscribe by email, url: "https://buttondown.com/ana"}
---
Ana writes about **reaching out**.
"""

AUTHOR_BEN = """\
---
name: Ben Okafor
---
Ben writes code.
"""


def post(title: str, date: str, body: str = "Hello there.", **meta: str) -> str:
    """A post file: front matter from keyword arguments, then `body`."""
    lines = [f"title: {title}", f"date: {date}", *(f"{k}: {v}" for k, v in meta.items())]
    return "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body)


def basic_files() -> dict[str, str]:
    """A small complete site: two authors, three posts, one page."""
    return {
        "site.yaml": SITE_YAML,
        "content/authors/ana.md": AUTHOR_ANA,
        "content/authors/ben.md": AUTHOR_BEN,
        "content/posts/first.md": post(
            "First post", "2024-01-05", "The *first* words.\n", tags="[writing, Networking]"
        ),
        "content/posts/second.md": post(
            "Second post", "2025-02-10 09:30", "More words.\n", author="ben", tags="[writing]"
        ),
        "content/posts/third.md": post('"Third: “quoted” 世界"', "2026-03-01T08:00:00-05:00", "Last words.\n"),
        "content/pages/about.md": "---\ntitle: About\n---\nAbout this newsletter.\n",
    }


def newsletter_files() -> dict[str, str | bytes]:
    """basic_files() plus what feeds and link previews find hard: special characters and CJK in a
    title, a post that is only an image, a cross-posted post with canonical_url, a cover image,
    and a draft that must appear nowhere."""
    files: dict[str, str | bytes] = dict(basic_files())
    files.update({
        "site.yaml": SITE_YAML + "image: /social.png\n",
        "static/social.png": picture(120, 63, "PNG"),
        "content/posts/special/index.md": post(
            "'Tom & Jerry <script> \"quotes\" 東京の手紙'", "2026-04-02 10:00",
            "A [link](../first/) and ![a cover](cover.jpg \"Cover\").\n",
            tags="[writing, 日本語]", image="cover.jpg",
        ),
        "content/posts/special/cover.jpg": COVER_JPEG,
        "content/posts/photo/index.md": post("Harbour at dawn", "2026-04-03", "![The harbour at dawn](harbour.jpg)\n"),
        "content/posts/photo/harbour.jpg": picture(64, 48),
        "content/posts/crossposted.md": post(
            "Written for LinkedIn first", "2026-04-04", "Cross-posted words.\n",
            canonical_url="https://www.linkedin.com/pulse/written-for-linkedin-first-ana/", author="ben",
        ),
        "content/posts/secret.md": post("Secret draft", "2026-04-05", "Not yet.\n", draft="true", tags="[writing]"),
    })
    return files


@dataclass
class Site:
    """A site in tmp_path, with helpers to build it and read its output."""

    root: Path

    @property
    def out(self) -> Path:
        """The default output folder."""
        return self.root / "output"

    def write(self, files: dict[str, str | bytes]) -> None:
        """Add or replace files (text is dedented)."""
        for name, data in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(data, encoding="utf-8")

    def build(self, **options: object) -> BuildReport:
        """Build with the frozen clock."""
        return build(BuildOptions(root=self.root, now=NOW, **options))  # type: ignore[arg-type]

    def read(self, dest: str) -> str:
        """Read an output file."""
        return (self.out / dest).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, driven by Playwright (never a downloaded browser)."""
    from browser import CHROMIUM, CHROMIUM_FLAGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True, scope="session")
def user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """sitegen's own cache folder (compiled templates), kept out of the user's home by the tests."""
    folder = tmp_path_factory.mktemp("user-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """make_site(files=None) -> Site; the default is basic_files()."""

    def make(files: dict[str, str | bytes] | None = None) -> Site:
        site = Site(tmp_path / "site")
        site.root.mkdir()
        site.write(dict(basic_files()) if files is None else files)
        return site

    return make


@dataclass
class Run:
    """The result of one CLI run."""

    status: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """run_cli(cwd, *args) runs `sitegen ARGS` in-process from `cwd` with the frozen clock."""
    import sitegen.engine.options

    monkeypatch.setattr(sitegen.engine.options, "default_now", lambda: NOW)

    def run(cwd: Path, *args: str) -> Run:
        monkeypatch.chdir(cwd)
        status = main(list(args))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture(scope="session")
def release_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what a release is built from (see installs.py)."""
    from installs import copy_source

    return copy_source(tmp_path_factory.mktemp("source"))


@pytest.fixture(scope="session")
def release_dist(release_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The sdist and wheel `python -m build` makes, as the release workflow does."""
    from installs import build_dist

    return build_dist(release_source, tmp_path_factory.mktemp("dist"))

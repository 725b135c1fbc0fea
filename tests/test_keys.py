"""Every key of the build cache changes when any one of its inputs changes: an input left out of a
key is an edit that serves stale output."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType

import pytest

import sitegen.engine.keys
from sitegen.engine import keys
from sitegen.markup.rendered import Heading, Rendered
from sitegen.model.feedsets import FeedSet
from sitegen.model.site import Author, Post, TagRef
from sitegen.render.theme import load_theme
from sitegen.source.config import SiteConfig, load_config

CONFIG = SiteConfig(root=Path("/site"), title="Letters", url="https://example.org/")
AUTHOR = Author("ana", "Ana", "/authors/ana/", "content/authors/ana.md", bio=Rendered((), 3, "", key="bio-1"))
POST = Post(
    src_path="content/posts/a.md", title="A", slug="a", date=datetime(2024, 1, 1, tzinfo=UTC), url="/posts/a/",
    body=Rendered((Heading(2, "One", "one"),), 500, "First.", key="body-1"), authors=(AUTHOR,),
    tags=(TagRef("t", "t", "/tags/t/"),), subtitle="S", summary="Sum", image="/a.jpg", feed_id="tag:x",
    source_key="body-1:bio-1",
)


def _all_differ(make: Callable[[], str], changes: dict[str, Callable[[], str]]) -> None:
    """`make()` is stable, and each of `changes` (a key made with one input changed) differs from it."""
    base = make()
    assert make() == base
    same = [name for name, changed in changes.items() if changed() == base]
    assert same == [], f"the key did not change with {same}"


def test_parse_key() -> None:
    _all_differ(lambda: keys.parse_key("s", "posts", "content/posts/a.md", "d"), {
        "settings": lambda: keys.parse_key("s2", "posts", "content/posts/a.md", "d"),
        "section": lambda: keys.parse_key("s", "pages", "content/posts/a.md", "d"),
        "path": lambda: keys.parse_key("s", "posts", "content/posts/b.md", "d"),
        "bytes": lambda: keys.parse_key("s", "posts", "content/posts/a.md", "d2"),
    })


def test_parse_settings_key(monkeypatch: pytest.MonkeyPatch) -> None:
    def with_(**changed: object) -> Callable[[], str]:
        return lambda: keys.parse_settings_key(dataclasses.replace(CONFIG, **changed))  # type: ignore[arg-type]

    _all_differ(lambda: keys.parse_settings_key(CONFIG), {
        "timezone": with_(timezone="Europe/Paris"),
        "author": with_(author="ben"),
        "permalink": with_(post_permalink="/{year}/{slug}/"),
        "markdown html": with_(markdown_html=False),
        "versions": lambda: _with_versions(monkeypatch, "other", lambda: keys.parse_settings_key(CONFIG)),
    })


def _with_versions(monkeypatch: pytest.MonkeyPatch, value: str, make: Callable[[], str]) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(sitegen.engine.keys, "versions", lambda: value)
        return make()


def test_config_key_covers_every_setting() -> None:
    other: dict[type, object] = {str: "other", int: 99, bool: True}
    changes = {}
    for field in dataclasses.fields(SiteConfig):
        if field.name == "root":
            continue
        value = getattr(CONFIG, field.name)
        if field.name == "extra":
            changed: object = MappingProxyType({"x": 1})
        elif isinstance(value, bool):
            changed = not value
        else:
            changed = other.get(type(value), "other") if value is not None else "set"
        changes[field.name] = (lambda c=changed, n=field.name: keys.config_key(dataclasses.replace(CONFIG, **{n: c})))
    _all_differ(lambda: keys.config_key(CONFIG), changes)
    assert keys.config_key(dataclasses.replace(CONFIG, root=Path("/elsewhere"))) == keys.config_key(CONFIG)


def test_theme_key(tmp_path: Path) -> None:
    def site_in(folder: Path) -> SiteConfig:
        folder.mkdir()
        (folder / "site.yaml").write_text("title: T\nurl: https://example.org/\ntheme: child\n")
        for name in ("child", "parent"):
            (folder / f"themes/{name}/templates").mkdir(parents=True)
            (folder / f"themes/{name}/templates/post.html").write_text("post")
        (folder / "themes/child/theme.yaml").write_text("parent: parent\n")
        return load_config(folder)

    config = site_in(tmp_path / "site")
    themes = tmp_path / "site/themes"

    def edit(path: Path, text: str) -> Callable[[], str]:
        def make() -> str:
            before = path.read_text() if path.exists() else None
            path.write_text(text)
            try:
                return keys.theme_key(load_theme(config))
            finally:
                path.unlink() if before is None else path.write_text(before)

        return make

    _all_differ(lambda: keys.theme_key(load_theme(config)), {
        "a template": edit(themes / "child/templates/post.html", "new"),
        "a parent's template": edit(themes / "parent/templates/post.html", "new"),
        "a new file": edit(themes / "child/templates/extra.html", "x"),
    })
    elsewhere = site_in(tmp_path / "elsewhere")
    assert keys.theme_key(load_theme(elsewhere)) == keys.theme_key(load_theme(config))


def test_site_key(monkeypatch: pytest.MonkeyPatch) -> None:
    _all_differ(lambda: keys.site_key("c", "t", False), {
        "settings": lambda: keys.site_key("c2", "t", False),
        "theme": lambda: keys.site_key("c", "t2", False),
        "drafts": lambda: keys.site_key("c", "t", True),
        "versions": lambda: _with_versions(monkeypatch, "other", lambda: keys.site_key("c", "t", False)),
    })


def test_copied_files_key() -> None:
    stamps = [("static/a.css", "1:2:3"), ("content/images/b.png", "4:5:6")]
    _all_differ(lambda: keys.copied_files_key(stamps), {
        "a stamp": lambda: keys.copied_files_key([stamps[0], ("content/images/b.png", "4:5:7")]),
        "a path": lambda: keys.copied_files_key([stamps[0], ("content/images/c.png", "4:5:6")]),
        "a new file": lambda: keys.copied_files_key([*stamps, ("static/d.txt", "7:8:9")]),
        "a file gone": lambda: keys.copied_files_key(stamps[:1]),
    })


def test_inputs_key() -> None:
    files = {"content/posts/a.md": "k1", "content/posts/b.md": "k2"}
    _all_differ(lambda: keys.inputs_key("s", "c", files), {
        "site key": lambda: keys.inputs_key("s2", "c", files),
        "copied files": lambda: keys.inputs_key("s", "c2", files),
        "a file's key": lambda: keys.inputs_key("s", "c", {**files, "content/posts/b.md": "k3"}),
        "a file renamed": lambda: keys.inputs_key("s", "c", {"content/posts/a.md": "k1", "content/posts/c.md": "k2"}),
        "a new file": lambda: keys.inputs_key("s", "c", {**files, "content/posts/c.md": "k3"}),
    })
    assert keys.inputs_key("s", "c", dict(reversed(files.items()))) == keys.inputs_key("s", "c", files)


def test_feed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    other = dataclasses.replace(POST, src_path="content/posts/b.md", url="/posts/b/", source_key="body-2:bio-1")
    feed = FeedSet("Letters", "/", (POST, other))
    sizes = {"/a.jpg": 100}
    _all_differ(lambda: keys.feed_key("c", feed, sizes), {
        "settings": lambda: keys.feed_key("c2", feed, sizes),
        "title": lambda: keys.feed_key("c", dataclasses.replace(feed, title="Other"), sizes),
        "folder": lambda: keys.feed_key("c", dataclasses.replace(feed, folder="/tags/t/"), sizes),
        "a post's source": lambda: keys.feed_key(
            "c", dataclasses.replace(feed, posts=(POST, dataclasses.replace(other, source_key="body-3:bio-1"))), sizes
        ),
        "post order": lambda: keys.feed_key("c", dataclasses.replace(feed, posts=(other, POST)), sizes),
        "a post less": lambda: keys.feed_key("c", dataclasses.replace(feed, posts=(POST,)), sizes),
        "a cover's size": lambda: keys.feed_key("c", feed, {"/a.jpg": 101}),
        "versions": lambda: _with_versions(monkeypatch, "other", lambda: keys.feed_key("c", feed, sizes)),
    })


def test_meta_files_key() -> None:
    _all_differ(lambda: keys.meta_files_key("c", ["p", "g", "a"]), {
        "settings": lambda: keys.meta_files_key("c2", ["p", "g", "a"]),
        "posts": lambda: keys.meta_files_key("c", ["p2", "g", "a"]),
        "pages": lambda: keys.meta_files_key("c", ["p", "g2", "a"]),
        "authors": lambda: keys.meta_files_key("c", ["p", "g", "a2"]),
    })


def test_post_meta_key_covers_what_lists_show_and_not_the_body() -> None:
    def with_(**changed: object) -> Callable[[], str]:
        return lambda: keys.post_meta_key(dataclasses.replace(POST, **changed))  # type: ignore[arg-type]

    body = POST.body
    _all_differ(lambda: keys.post_meta_key(POST), {
        "url": with_(url="/posts/b/"),
        "title": with_(title="B"),
        "subtitle": with_(subtitle="T"),
        "date": with_(date=datetime(2024, 1, 2, tzinfo=UTC)),
        "updated": with_(updated=datetime(2024, 2, 1, tzinfo=UTC)),
        "summary": with_(summary="Other"),
        "image": with_(image="/b.jpg"),
        "canonical url": with_(canonical_url="https://elsewhere.example/"),
        "draft": with_(draft=True),
        "feed id": with_(feed_id="tag:y"),
        "toc": with_(toc_enabled=True),
        "reading time": with_(body=dataclasses.replace(body, words=5000)),
        "headings": with_(body=dataclasses.replace(body, toc=(Heading(2, "Two", "two"),))),
        "tags": with_(tags=(TagRef("u", "u", "/tags/u/"),)),
        "author's file": with_(authors=(dataclasses.replace(AUTHOR, bio=AUTHOR.bio.stored_as("bio-2")),)),
        "extra": with_(extra=MappingProxyType({"mood": "calm"})),
    })
    assert keys.post_meta_key(dataclasses.replace(POST, body=dataclasses.replace(body, key="body-2"))) == (
        keys.post_meta_key(POST)
    )


def test_page_key_parts() -> None:
    def key(*parts: object) -> Callable[[], str]:
        return lambda: keys.hash_parts(keys.page_key_parts(*parts))  # type: ignore[arg-type]

    _all_differ(key("s", "post.html", "/a/", "shows", ["g"]), {
        "site key": key("s2", "post.html", "/a/", "shows", ["g"]),
        "template": key("s", "page.html", "/a/", "shows", ["g"]),
        "url": key("s", "post.html", "/b/", "shows", ["g"]),
        "what it shows": key("s", "post.html", "/a/", "shows2", ["g"]),
        "a part of the site it read": key("s", "post.html", "/a/", "shows", ["g2"]),
        "reading one more part": key("s", "post.html", "/a/", "shows", ["g", "h"]),
    })


def test_versions_cover_sitegens_version_and_every_module(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "sitegen"
    shutil.copytree(keys.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "themes", "starter"))
    monkeypatch.setattr(sitegen.engine.keys, "PACKAGE", copy)
    before = keys.code_digest()
    deep = copy / "engine" / "routes" / "full.py"
    deep.write_text(deep.read_text() + "\n# a change deep in a subpackage\n")
    assert keys.code_digest() != before
    keys.versions.cache_clear()
    try:
        base = keys.versions()
        keys.versions.cache_clear()
        monkeypatch.setattr(sitegen.engine.keys, "__version__", "99.0")
        assert keys.versions() != base
    finally:
        keys.versions.cache_clear()


def test_file_stamp_and_digest(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("one")
    stamp, digest = keys.file_stamp(os.stat(path)), keys.file_digest(path.read_bytes())
    os.utime(path, ns=(1, 1))
    assert keys.file_stamp(os.stat(path)) != stamp
    path.write_text("two")
    assert keys.file_digest(path.read_bytes()) != digest
    assert keys.file_digest(b"one") == digest


def _hash_one_part_at_a_time(parts: list[str]) -> str:
    """The key function as it was first written: the cache's keys may not change by accident."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


@pytest.mark.parametrize("parts", [[], [""], ["", ""], ["a"], ["a", "b"], ["ab"], ["東京", "\ud800"], ["x\0y"]])
def test_the_hash_of_a_keys_parts_is_the_same_as_one_part_at_a_time(parts: list[str]) -> None:
    assert keys.hash_parts(parts) == _hash_one_part_at_a_time(parts)
    assert keys.hash_parts(iter(parts)) == _hash_one_part_at_a_time(parts)


def test_no_parts_and_one_empty_part_differ() -> None:
    assert keys.hash_parts([]) != keys.hash_parts([""])

"""The build cache: rebuilds write only what changed, and never serve stale output."""

from __future__ import annotations

import os
import pickle
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, SITE_YAML, Run, Site, post

import sitegen.engine.keys
import sitegen.engine.routes.text_edit
import sitegen.engine.store
from sitegen.engine.builder import Builder, build
from sitegen.engine.memory import Lifetime
from sitegen.engine.options import BuildOptions, BuildReport, Route
from sitegen.output.writer import MARKER

PARENT_THEME = {
    "themes/parent/templates/base.html": (
        "<!doctype html><html lang=en><title>{% block title %}{% endblock %}</title>"
        "<link rel=stylesheet href=\"{{ '/site.css' | asset }}\">"
        "<nav>{% for p in site.pages %}<a href=\"{{ p.url | url }}\">{{ p.title }}</a>{% endfor %}</nav>"
        "<main>{% block content %}{% endblock %}</main><footer>parent footer</footer></html>"
    ),
    "themes/parent/static/site.css": "body { color: black; }\n",
    "themes/child/theme.yaml": "parent: parent\n",
    "themes/child/templates/post.html": (
        "{% extends 'base.html' %}{% block content %}<h1>{{ post.title }}</h1>{{ post.html | safe }}"
        "{% if older %}<a rel=prev href=\"{{ older.url | url }}\">{{ older.title }}</a>{% endif %}{% endblock %}"
    ),
}
CHILD_TEMPLATES = ("index", "archive", "tag", "tags", "author", "page", "404")


def themed_site(make_site: Callable[..., Site]) -> Site:
    """The basic site with a two-level theme of its own, small enough to reason about."""
    site = make_site()
    files = dict(PARENT_THEME)
    for name in CHILD_TEMPLATES:
        files[f"themes/child/templates/{name}.html"] = "{% extends 'base.html' %}{% block content %}x{% endblock %}"
    files["site.yaml"] = SITE_YAML + "theme: child\n"
    site.write(files)
    return site


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file's bytes and modification time (the marker names the cache that built
    the folder, not a page of the site)."""
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def rebuild_and_compare(site: Site, tmp_path: Path) -> tuple[set[str], BuildReport]:
    """Rebuild with the cache; check the result equals a build from nothing, byte for byte, and
    that exactly the files whose bytes changed were written. Return the changed files."""
    before = snapshot(site.out)
    report = site.build()
    after = snapshot(site.out)
    fresh_out = tmp_path / "fresh"
    build(BuildOptions(root=site.root, output=fresh_out, now=NOW, use_cache=False))
    fresh = snapshot(fresh_out)
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in fresh.items()}, "stale output"
    changed_bytes = {k for k in after if k not in before or before[k][0] != after[k][0]}
    rewritten = {k for k in after if k not in before or before[k][1] != after[k][1]}
    assert rewritten == changed_bytes
    return changed_bytes | (set(before) - set(after)), report


def letter(slug: str) -> set[str]:
    """A post's page and its email edition."""
    return {f"posts/{slug}/index.html", f"posts/{slug}/email.html", f"posts/{slug}/email.txt"}


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    built = themed_site(make_site)
    built.build()
    return built


def test_a_second_build_writes_nothing_and_says_so(site: Site, run_cli: Callable[..., Run]) -> None:
    before = snapshot(site.out)
    result = run_cli(site.root, "build")
    assert result.status == 0
    assert "nothing changed: no file written in output" in result.out
    assert "(parsed 0 files, rendered 0 pages)" in result.out
    assert snapshot(site.out) == before


def test_editing_a_post_body_changes_its_page_and_the_feeds_that_carry_it(site: Site, tmp_path: Path) -> None:
    site.write({"content/posts/second.md": post(
        "Second post", "2025-02-10 09:30", "More words.\n\nA second paragraph.\n", author="ben", tags="[writing]"
    )})
    changed, report = rebuild_and_compare(site, tmp_path)
    assert report.parsed == 1
    assert report.rendered == 3  # its page and email edition: lists show titles and summaries, unchanged
    assert changed == {
        "posts/second/index.html", "posts/second/email.html", "posts/second/email.txt",
        "feed.xml", "atom.xml", "feed.json",
        "tags/writing/feed.xml", "tags/writing/atom.xml",
        "authors/ben/feed.xml", "authors/ben/atom.xml",
    }


def test_renaming_a_post_changes_its_neighbours_lists_and_sitemap(site: Site, tmp_path: Path) -> None:
    site.write({"content/posts/second.md": post(
        "Second, renamed", "2025-02-10 09:30", "More words.\n", author="ben", tags="[writing]"
    )})
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert "posts/second/index.html" in changed
    assert "posts/third/index.html" in changed  # shows its older neighbour's title
    assert "posts/first/index.html" not in changed  # shows no newer neighbour
    assert "about/index.html" not in changed


def test_editing_an_author_changes_their_pages(site: Site, tmp_path: Path) -> None:
    site.write({"content/authors/ben.md": "---\nname: Benjamin Okafor\n---\nBen writes code.\n"})
    changed, report = rebuild_and_compare(site, tmp_path)
    assert report.parsed == 1
    assert "authors/ben/feed.xml" in changed and "feed.xml" in changed  # author names are in the feeds
    assert "about/index.html" not in changed and "posts/first/index.html" not in changed


def test_a_site_yaml_key_changes_what_uses_it(site: Site, tmp_path: Path) -> None:
    site.write({"site.yaml": SITE_YAML.replace("Letters & Notes", "Letters and Notes") + "theme: child\n"})
    changed, report = rebuild_and_compare(site, tmp_path)
    assert report.parsed == 0  # the title does not change how Markdown renders
    assert {"feed.xml", "atom.xml"} <= changed


def test_a_template_change_renders_pages_again_but_no_markdown(site: Site, tmp_path: Path) -> None:
    site.write({"themes/child/templates/page.html": "{% extends 'base.html' %}{% block content %}y{% endblock %}"})
    changed, report = rebuild_and_compare(site, tmp_path)
    assert report.parsed == 0
    assert report.rendered == report.pages
    assert changed == {"about/index.html"}


def test_the_parent_theme_and_static_files_are_inputs_too(site: Site, tmp_path: Path) -> None:
    site.write({"themes/parent/static/site.css": "body { color: navy; }\n"})
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert "site.css" in changed
    assert "posts/first/index.html" in changed  # links site.css?v=<its new hash>
    site.write({"themes/parent/templates/base.html": PARENT_THEME["themes/parent/templates/base.html"].replace(
        "parent footer", "new footer"
    )})
    changed, report = rebuild_and_compare(site, tmp_path)
    assert report.parsed == 0
    assert {"posts/first/index.html", "about/index.html", "index.html"} <= changed


def test_files_copied_as_they_are_are_inputs_too(site: Site, tmp_path: Path) -> None:
    # an image beside a post and a file of static/: replaced, added and removed, nothing else
    site.write({"content/pages/photo.jpg": b"first photo", "static/robots-note.txt": b"one"})
    site.build()
    for change, expected in [
        ({"content/pages/photo.jpg": b"second photo"}, {"about/photo.jpg"}),
        ({"static/robots-note.txt": b"two"}, {"robots-note.txt"}),
        ({"static/new.txt": b"new"}, {"new.txt"}),
    ]:
        site.write(change)
        changed, report = rebuild_and_compare(site, tmp_path)
        assert changed == expected and report.parsed == 0
    (site.root / "static/new.txt").unlink()
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert changed == {"new.txt"}


@pytest.mark.parametrize(
    ("name", "value"), [("__version__", "99.0"), ("code_digest", lambda: "0" * 16)], ids=["version", "code"]
)
def test_a_new_sitegen_version_or_code_rebuilds_everything(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: object
) -> None:
    monkeypatch.setattr(sitegen.engine.keys, name, value)
    sitegen.engine.keys.versions.cache_clear()
    try:
        _, report = rebuild_and_compare(site, tmp_path)
    finally:
        sitegen.engine.keys.versions.cache_clear()
    assert report.parsed == 6 and report.rendered == report.pages
    assert report.notices == (
        "build cache .sitegen-cache/ was unusable (made by another version of sitegen or its libraries): "
        "discarded, building everything",
    )


class _RunsACommand:
    """Pickled, it runs a shell command as it loads (what a planted pickle record would do)."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (self.command,))


def test_a_cache_that_came_with_the_site_runs_no_code(site: Site, tmp_path: Path) -> None:
    """A cloned repository that force-added its .sitegen-cache/, or a CI cache restored for a
    stranger's pull request: its records are data sitegen checks, never code it runs."""
    ran = tmp_path / "ran"
    planted = pickle.dumps(_RunsACommand(f"touch {ran}"))
    with sqlite3.connect(site.root / ".sitegen-cache/cache.sqlite3") as db:
        db.execute("UPDATE parsed SET record = ?", (planted,))
        db.execute("UPDATE snapshot SET data = ?", (planted,))
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Edited.\n", tags="[writing, Networking]")})
    changed, report = rebuild_and_compare(site, tmp_path)
    assert not ran.exists()
    assert "posts/first/index.html" in changed
    assert report.notices == (
        "build cache .sitegen-cache/ was unusable (a record sitegen did not write: not JSON: UnicodeDecodeError): "
        "discarded, building everything",
    )
    assert site.build().notices == ()  # the new cache is sitegen's own


def test_a_record_of_the_wrong_shape_is_not_trusted(site: Site, tmp_path: Path) -> None:
    with sqlite3.connect(site.root / ".sitegen-cache/cache.sqlite3") as db:
        db.execute("UPDATE snapshot SET data = ?", (b'{"k": {"record": {"kind": "post", "title": 1}}}',))
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Again.\n", tags="[writing, Networking]")})
    _, report = rebuild_and_compare(site, tmp_path)
    assert report.notices == (
        "build cache .sitegen-cache/ was unusable (a record sitegen did not write: expected list, found dict): "
        "discarded, building everything",
    )


def test_compiled_templates_are_kept_outside_the_site(site: Site, user_cache: Path) -> None:
    """Compiled templates run as they load: they live in the user's own cache folder, where a
    site cannot plant one."""
    assert not (site.root / ".sitegen-cache/templates").exists()
    kept = list((user_cache / "sitegen/templates").glob("*.cache"))
    assert kept and oct((user_cache / "sitegen/templates").stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda db: db.write_bytes(db.read_bytes()[:1000]), "database disk image is malformed"),
        (lambda db: db.write_bytes(b"not a database at all" * 100), "file is not a database"),
        (lambda db: _set_format(db, "0"), f"cache format '0', expected '{sitegen.engine.store.FORMAT}'"),
    ],
    ids=["truncated", "garbage", "old format"],
)
def test_a_broken_cache_is_discarded_with_a_notice(
    site: Site, tmp_path: Path, run_cli: Callable[..., Run], damage: Callable[[Path], None], reason: str
) -> None:
    db = site.root / ".sitegen-cache" / "cache.sqlite3"
    for extra in db.parent.glob("cache.sqlite3-*"):  # the write-ahead log, if any
        extra.unlink()
    damage(db)
    result = run_cli(site.root, "build")
    assert result.status == 0
    assert result.err == (
        f"note: build cache .sitegen-cache/ was unusable ({reason}): discarded, building everything\n"
    )
    rebuild_and_compare(site, tmp_path)


_ONE_ROW = "WHERE rowid = (SELECT min(rowid) FROM folders)"


@pytest.mark.parametrize(
    ("damage", "edit", "reason"),
    [
        ("UPDATE folders SET names = x'41'", False, "an output folder that is not text"),
        (f"UPDATE folders SET folder = x'00' {_ONE_ROW}", False, "an output folder that is not text"),
        (f"UPDATE folders SET folder = folder || char(0) {_ONE_ROW}", False, "an output folder that is not text"),
        ("UPDATE outputs SET reads = 'all'", True, "an output's record that is not a key and a number"),
        ("UPDATE outputs SET key = x'00'", True, "an output's record that is not a key and a number"),
    ],
    ids=["names", "folder bytes", "folder NUL", "reads", "key"],
)
def test_an_output_record_of_the_wrong_shape_is_not_trusted(
    site: Site, tmp_path: Path, damage: str, edit: bool, reason: str
) -> None:
    """What the cache says of the output folder is checked as it is read, like its parse results:
    with nothing changed, the build reads the folders; after an edit of a letter, its outputs."""
    with sqlite3.connect(site.root / ".sitegen-cache/cache.sqlite3") as db:
        db.execute(damage)
    if edit:
        text = post("First post", "2024-01-05", "Again.\n", tags="[writing, Networking]")
        site.write({"content/posts/first.md": text})
    _, report = rebuild_and_compare(site, tmp_path)
    assert report.notices == (
        f"build cache .sitegen-cache/ was unusable (a record sitegen did not write: {reason}): "
        "discarded, building everything",
    )


@pytest.mark.parametrize("table", ["folders", "outputs", "files", "parsed", "snapshot", "info"])
def test_a_cache_without_one_of_its_tables_is_discarded(site: Site, tmp_path: Path, table: str) -> None:
    with sqlite3.connect(site.root / ".sitegen-cache/cache.sqlite3") as db:
        db.execute(f"ALTER TABLE {table} RENAME TO gone")
    _, report = rebuild_and_compare(site, tmp_path)
    assert len(report.notices) == 1
    assert report.notices[0].startswith("build cache .sitegen-cache/ was unusable (")
    assert site.build().notices == ()


def _set_format(db: Path, value: str) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE info SET value = ? WHERE name = 'format'", (value,))


def test_no_cache_and_clean(site: Site, run_cli: Callable[..., Run]) -> None:
    result = run_cli(site.root, "build", "--no-cache")
    assert "(parsed 6 files, rendered " in result.out
    assert run_cli(site.root, "clean").out == "removed output and .sitegen-cache\n"
    assert not site.out.exists() and not (site.root / ".sitegen-cache").exists()
    assert run_cli(site.root, "clean").out == "nothing to remove\n"


def test_a_no_cache_build_in_between_is_never_taken_for_the_cached_one(site: Site, tmp_path: Path) -> None:
    first = site.root / "content/posts/first.md"
    original = first.read_bytes()
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "A draft of a thought.\n")})
    site.build(use_cache=False)  # output/ now holds the edit; the cache still records the build before it
    first.write_bytes(original)
    os.utime(first, ns=(first.stat().st_mtime_ns + 10**9,) * 2)
    changed, _ = rebuild_and_compare(site, tmp_path)  # was "nothing changed", the edit still shown
    assert "posts/first/index.html" in changed


@pytest.mark.parametrize("use_cache", [True, False], ids=["after-clean", "watch-no-cache"])
def test_a_long_lived_builder_survives_a_new_cache(
    make_site: Callable[..., Site], tmp_path: Path, use_cache: bool
) -> None:
    """`sitegen serve` while `sitegen clean` runs in another terminal, or `build --watch --no-cache`:
    the parse results the builder keeps in memory have no HTML in the new cache."""
    site = make_site()
    builder = Builder(BuildOptions(root=site.root, now=NOW, use_cache=use_cache), Lifetime.LONG_LIVED)
    builder.build()
    if use_cache:
        sitegen.engine.store.discard(site.root)
    site.write({"content/posts/second.md": post("Second post", "2025-02-10 09:30", "New words.\n", author="ben")})
    builder.build([str(site.root / "content/posts/second.md")])  # was LookupError: no HTML for first.md
    fresh = tmp_path / "fresh"
    build(BuildOptions(root=site.root, output=fresh, now=NOW, use_cache=False))
    assert {k: v[0] for k, v in snapshot(site.out).items()} == {k: v[0] for k, v in snapshot(fresh).items()}


def test_clean_refuses_a_folder_sitegen_did_not_make(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({"output/mine.txt": "my notes"})
    result = run_cli(site.root, "clean")
    assert result.status == 1
    assert result.err == "error: output was not made by sitegen: not deleting it\n"
    assert (site.root / "output/mine.txt").exists()


def test_a_deleted_post_disappears_and_a_future_post_appears_when_due(site: Site, tmp_path: Path) -> None:
    (site.root / "content/posts/first.md").unlink()
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert "posts/first/index.html" in changed and not (site.out / "posts/first").exists()


def test_a_list_that_shows_whole_posts_follows_their_bodies(site: Site, tmp_path: Path) -> None:
    site.write({"themes/child/templates/index.html": (
        "{% extends 'base.html' %}{% block content %}"
        "{% for p in paginator.posts %}{{ p.html | safe }}{% endfor %}{% endblock %}"
    )})
    rebuild_and_compare(site, tmp_path)
    site.write({"content/posts/third.md": post('"Third: “quoted” 世界"', "2026-03-01T08:00:00-05:00", "New words.\n")})
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert "index.html" in changed and "New words." in site.read("index.html")


def test_a_new_base_url_reaches_every_link(site: Site, tmp_path: Path) -> None:
    site.build(base_url="https://preview.example/")
    site.build(base_url="https://example.org/elsewhere/")
    fresh = tmp_path / "fresh"
    elsewhere = "https://example.org/elsewhere/"
    build(BuildOptions(root=site.root, output=fresh, now=NOW, base_url=elsewhere, use_cache=False))
    assert {k: v[0] for k, v in snapshot(site.out).items()} == {k: v[0] for k, v in snapshot(fresh).items()}
    assert 'href="/elsewhere/site.css?v=' in site.read("posts/first/index.html")


def test_the_dev_server_rewrites_an_edited_post_first_and_the_full_rebuild_agrees(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    site = make_site()
    builder = Builder(BuildOptions(root=site.root, now=NOW))
    builder.build()
    builder.prepare_quick_page()  # as `sitegen serve` does once its first build is done
    path = site.root / "content/posts/second.md"
    site.write({"content/posts/second.md": post(
        "Second post", "2025-02-10 09:30", "Quick words.\n", author="ben", tags="[writing]"
    )})
    assert builder.quick_page([str(path)]) == ["posts/second/index.html"]
    assert "Quick words." in site.read("posts/second/index.html")
    report = builder.build([str(path)])
    assert "posts/second/index.html" not in report.changed_paths  # the same bytes
    assert "feed.xml" in report.changed_paths
    fresh = tmp_path / "fresh"
    build(BuildOptions(root=site.root, output=fresh, now=NOW, use_cache=False))
    assert {k: v[0] for k, v in snapshot(site.out).items()} == {k: v[0] for k, v in snapshot(fresh).items()}
    site.write({"content/posts/second.md": post("Second post", "2025-03-01", "Moved.\n", author="ben")})
    assert builder.quick_page([str(path)]) == []  # a new date moves it in every list: full build only


def test_the_dev_servers_first_page_after_sitegen_clean_waits_for_the_full_rebuild(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    """`sitegen clean` deletes the dev server's output with the cache: the quick page must neither
    crash on the folders it saw before nor make the folder again without the marker (every later
    build would then refuse it as 'not made by sitegen')."""
    site = make_site()
    serve_out = site.root / ".sitegen-cache/serve"
    builder = Builder(BuildOptions(root=site.root, output=serve_out, now=NOW), Lifetime.LONG_LIVED)
    builder.build()
    sitegen.engine.store.discard(site.root)
    path = site.root / "content/posts/second.md"
    site.write({"content/posts/second.md": post("Second post", "2025-02-10 09:30", "After clean.\n", author="ben")})
    assert builder.quick_page([str(path)]) == []  # was FileNotFoundError
    assert not serve_out.exists()
    builder.build([str(path)])
    fresh = tmp_path / "fresh"
    build(BuildOptions(root=site.root, output=fresh, now=NOW, use_cache=False))
    assert {k: v[0] for k, v in snapshot(serve_out).items()} == {k: v[0] for k, v in snapshot(fresh).items()}


def test_after_an_edit_the_next_unchanged_build_stops_after_looking(site: Site) -> None:
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Edited.\n", tags="[writing, Networking]")})
    assert site.build().parsed == 1
    report = site.build()
    assert not report.changed and report.route is Route.UNCHANGED  # decided from file stamps alone


def test_a_large_site_builds_the_same_on_every_core_with_or_without_the_cache(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    # enough posts and pages for the process pools (parsing and rendering) to start
    big = make_site()
    big.write({
        f"content/posts/p{n:03}.md": post(
            f"Post {n}", f"2025-{n % 12 + 1:02}-{n % 28 + 1:02}",
            f"## Part {n}\n\nWords *{n}* ~~gone~~ and `code`.[^1]\n\n[^1]: Note {n}.\n", tags=f"[t{n % 7}]"
        )
        for n in range(240)
    })
    outputs = {}
    for name, options in {
        "parallel, cached": {"workers": 2},
        "parallel, no cache": {"workers": 2, "use_cache": False},
        "one process": {"workers": 1, "use_cache": False},
    }.items():
        out = tmp_path / name
        report = big.build(output=out, **options)
        assert report.parsed == 246 and report.rendered > 240
        outputs[name] = {k: v[0] for k, v in snapshot(out).items()}
    assert outputs["parallel, cached"] == outputs["one process"]
    assert outputs["parallel, no cache"] == outputs["one process"]


def _letters(make_site: Callable[..., Site], template: str = "", text: str = "") -> Site:
    """Five posts by one author, the default theme (or a child of it with `template` replaced by
    `text`), feeds of the newest post only: the older posts show their bodies on their own pages
    alone."""
    site = make_site()
    theme = "theme: child\n" if template else ""
    site.write({
        "site.yaml": SITE_YAML + "feed: {limit: 1}\n" + theme,
        **{
            f"content/posts/p{n}.md": post(
                f"Letter {n}", f"2025-0{n}-01", f"First paragraph of {n}.\n\nSecond paragraph of {n}.\n"
            )
            for n in range(1, 6)
        },
    })
    if template:
        site.write({"themes/child/theme.yaml": "parent: default\n", f"themes/child/templates/{template}": text})
    for name in ("first", "second", "third"):
        (site.root / f"content/posts/{name}.md").unlink()
    site.build()
    return site


def _body(n: int, second: str, first: str | None = None) -> dict[str, str | bytes]:
    first = first or f"First paragraph of {n}."
    return {f"content/posts/p{n}.md": post(f"Letter {n}", f"2025-0{n}-01", f"{first}\n\n{second}\n")}


def test_editing_the_text_of_a_post_renders_its_page_alone(make_site: Callable[..., Site], tmp_path: Path) -> None:
    site = _letters(make_site)
    site.write(_body(2, "A rewritten second paragraph."))
    changed, report = rebuild_and_compare(site, tmp_path)
    assert changed == letter("p2")
    assert (report.parsed, report.rendered, report.write.written) == (1, 3, 3)
    assert report.route is Route.TEXT_EDIT  # the site was not assembled: only the post's page and email were made
    assert site.build().write.written == 0  # and the next build knows it


def test_many_edited_posts_go_to_the_full_build(
    make_site: Callable[..., Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _letters(make_site)
    monkeypatch.setattr(sitegen.engine.routes.text_edit, "QUICK_EDIT_LIMIT", 1)
    site.write({**_body(2, "New words."), **_body(3, "New words too.")})
    changed, report = rebuild_and_compare(site, tmp_path)
    assert changed == letter("p2") | letter("p3")
    assert report.route is Route.FULL  # parsed on every core, not one by one


def test_editing_the_text_of_the_newest_post_renders_its_page_and_feeds(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    site = _letters(make_site)
    site.write(_body(5, "The newest post's new text."))
    changed, report = rebuild_and_compare(site, tmp_path)
    assert changed == letter("p5") | {
        "feed.xml", "atom.xml", "feed.json",
        "authors/ana/feed.xml", "authors/ana/atom.xml",
    }
    assert "The newest post\u2019s new text." in site.read("feed.xml")  # the typographer's apostrophe
    assert report.route is Route.TEXT_EDIT
    site.write(_body(5, "Edited once more."))  # and again, from what the quick rebuild recorded
    changed, report = rebuild_and_compare(site, tmp_path)
    assert "feed.xml" in changed and report.route is Route.TEXT_EDIT


@pytest.mark.parametrize(
    ("edit", "also_changed"),
    [
        (_body(2, "Second.", first="A new first paragraph."), "page/2/index.html"),  # its summary in the list
        (_body(2, "Second. " + "word " * 700), "page/2/index.html"),  # its reading time
        ({"content/posts/p2.md": post("Letter 2, renamed", "2025-02-01", "Text.\n")}, "archive/index.html"),
    ],
    ids=["summary", "reading time", "front matter"],
)
def test_an_edit_that_shows_elsewhere_rebuilds_what_shows_it(
    make_site: Callable[..., Site], tmp_path: Path, edit: dict[str, str | bytes], also_changed: str
) -> None:
    site = _letters(make_site)
    site.write(edit)
    changed, report = rebuild_and_compare(site, tmp_path)
    assert also_changed in changed
    assert report.route is Route.FULL  # the whole site was assembled


def test_a_page_that_reads_more_of_the_site_is_never_rendered_alone(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    site = _letters(make_site, "post.html", (
        "{% extends 'base.html' %}{% block content %}{{ post.html | safe }}"
        "<p>One of {{ site.posts | length }} letters</p>{% endblock %}"
    ))
    site.write(_body(2, "New words."))
    changed, report = rebuild_and_compare(site, tmp_path)
    assert changed == letter("p2")
    assert report.route is Route.FULL  # its page reads site.posts: the whole site was assembled


def test_a_post_a_list_shows_whole_is_never_rendered_alone(make_site: Callable[..., Site], tmp_path: Path) -> None:
    site = _letters(make_site, "index.html", (
        "{% extends 'base.html' %}{% block content %}"
        "{% for p in paginator.posts %}{{ p.html | safe }}{% endfor %}{% endblock %}"
    ))
    site.write(_body(2, "Words the home page shows."))
    changed, report = rebuild_and_compare(site, tmp_path)
    assert changed == letter("p2") | {"page/2/index.html"}
    assert report.route is Route.FULL


def test_an_output_deleted_by_hand_comes_back_after_an_edit(make_site: Callable[..., Site], tmp_path: Path) -> None:
    site = _letters(make_site)
    (site.out / "posts/p3/index.html").unlink()
    site.write(_body(2, "New words."))
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert changed == letter("p2") | {"posts/p3/index.html"}


@pytest.mark.parametrize("edit", [False, True], ids=["nothing changed", "one letter edited"])
def test_an_output_deleted_after_a_build_that_looked_comes_back(
    make_site: Callable[..., Site], tmp_path: Path, edit: bool
) -> None:
    """A build that found every output in place remembers when (outputs_seen), and the next one
    lists only the folders changed since: a file deleted after that is still noticed."""
    site = _letters(make_site)
    assert site.build().route is Route.UNCHANGED  # it looked, and says when
    (site.out / "posts/p3/email.txt").unlink()
    if edit:
        site.write(_body(2, "New words."))
    report = site.build()
    assert report.route is Route.FULL
    assert (site.out / "posts/p3/email.txt").is_file()
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert changed == set()


@pytest.mark.parametrize("edit", [False, True], ids=["nothing changed", "one letter edited"])
def test_an_output_of_a_later_build_deleted_by_hand_comes_back(
    make_site: Callable[..., Site], tmp_path: Path, edit: bool
) -> None:
    """The cache knows the output folders by what each build made there: a letter added since the
    first build has its own folder, and a file deleted from it is missed like any other."""
    site = _letters(make_site)
    site.write({"content/posts/p6.md": post("Letter 6", "2025-06-01", "A sixth letter.\n")})
    assert site.build().route is Route.FULL
    assert site.build().route is Route.UNCHANGED
    (site.out / "posts/p6/email.html").unlink()
    if edit:
        site.write(_body(2, "New words."))
    assert site.build().route is Route.FULL
    assert (site.out / "posts/p6/email.html").is_file()
    changed, _ = rebuild_and_compare(site, tmp_path)
    assert changed == set()


def test_an_output_folder_given_back_its_old_times_is_still_looked_at(make_site: Callable[..., Site]) -> None:
    """A folder restored from a copy that kept its times (cp -a, rsync -a) has an old modification
    time though a file is missing from it: the check goes by the change time, which setting the
    times moved."""
    site = _letters(make_site)
    assert site.build().route is Route.UNCHANGED  # it looked, and says when
    folder = site.out / "posts/p3"
    before = folder.stat()
    (folder / "email.txt").unlink()
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert site.build().route is Route.FULL
    assert (folder / "email.txt").is_file()


def test_the_clock_file_a_killed_build_left_is_not_kept(make_site: Callable[..., Site]) -> None:
    """A build reads the output folder's clock by making and removing a file there; one left by
    a build killed in between goes at the next build, which still finds nothing changed."""
    site = _letters(make_site)
    (site.out / ".sitegen-clock").write_bytes(b"")
    report = site.build()
    assert report.route is Route.UNCHANGED and report.write.unchanged > 0
    assert not (site.out / ".sitegen-clock").exists()


def test_a_post_read_back_from_the_cache_keeps_its_issue_number_and_cover_alt(make_site: Callable[..., Site]) -> None:
    from conftest import picture
    from htmlpage import HtmlPage

    site = make_site()
    site.write({
        "content/posts/second/index.md": post(
            "Second post", "2025-02-10 09:30", "More words.\n", author="ben", issue="42", image="cover.jpg",
            image_alt='"Two hands"', image_credit='"Photo by Ana"',
        ),
        "content/posts/second/cover.jpg": picture(),
    })
    (site.root / "content/posts/second.md").unlink()
    site.build()
    site.write({"site.yaml": SITE_YAML.replace("Essays on reaching out.", "Essays on keeping in touch.")})
    report = site.build()  # every page again, every post from the cache
    assert report.rendered > 0 and report.parsed == 0
    page = HtmlPage.load(site.out / "posts/second/index.html")
    assert "No. 42" in page.text("//article")
    assert page.attrs("//figure[@class='post-cover']//img/@alt") == ["Two hands"]
    assert page.text("//figure[@class='post-cover']/figcaption") == "Photo by Ana"

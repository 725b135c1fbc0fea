"""Bad input gives one clear line `path:line:col: message`, exit status 1, no traceback."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITE_YAML, Run, Site, post

from sitegen.render.templates import CONFIG_SETTINGS, PLAIN_DATA, SiteView
from sitegen.source.config import SiteConfig


def failing_build(make_site: Callable[..., Site], run_cli: Callable[..., Run], files: dict[str, str | bytes]) -> Run:
    site = make_site()
    site.write(files)
    result = run_cli(site.root, "build")
    assert result.status == 1
    assert "Traceback" not in result.err
    return result


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"content/posts/bad.md": "---\ntitle: Bad\ndate: 2024-01-01\ntags: [a, b\n---\nBody\n"},
            "content/posts/bad.md:4:7: invalid YAML: this '[' is never closed: add ']' after its last item",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: Never closed\ndate: 2024-01-01\n\nBody\n"},
            "content/posts/bad.md:1:1: front matter is never closed: add a '---' line after it",
        ),
        (
            {"content/posts/bad.md": "---\ndate: 2024-01-01\n---\nBody\n"},
            "content/posts/bad.md:2:1: missing required field 'title' (the post's title)",
        ),
        (
            {"content/posts/bad.md": "---\ndate: 2024-01-01\ntitle: [a, list]\n---\nBody\n"},
            "content/posts/bad.md:3:1: 'title' must be text, not a list",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: No date\n---\nBody\n"},
            "content/posts/bad.md:2:1: missing required field 'date' (such as date: 2024-03-05)",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: Bad date\ndate: last tuesday\n---\nBody\n"},
            "content/posts/bad.md:3:1: 'date' is not a date: 'last tuesday' "
            "(use 2024-03-05, 2024-03-05 09:30 or 2024-03-05T09:30:00-05:00)",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: Who\ndate: 2024-01-01\nauthor: anna\n---\nBody\n"},
            "content/posts/bad.md:4:1: unknown author 'anna' (no content/authors/anna.md) (did you mean 'ana'?)",
        ),
        (
            {"content/posts/again.md": post("Again", "2024-01-01", slug="first")},
            "content/posts/first.md:1:1: URL /posts/first/ is already used by content/posts/again.md",
        ),
        (
            {"site.yaml": SITE_YAML + "titel: Oops\n"},
            "site.yaml:7:1: unknown key 'titel' (did you mean 'title'?)",
        ),
        (
            {"site.yaml": SITE_YAML + "theme: nowhere\n"},
            "site.yaml: theme 'nowhere' not found (looked in themes/nowhere/, sitegen's themes and installed ones)",
        ),
        (
            {"content/posts/bad.md": post("Climb", "2024-01-01", slug="../../etc")},
            "content/posts/bad.md:4:1: slug '../../etc' must be one path segment of letters, digits, '-', '_' or '.'",
        ),
        (
            {"site.yaml": SITE_YAML + 'permalinks: {post: "/../{slug}/"}\n'},
            "site.yaml:7:1: permalinks.post must start with '/' and stay inside the site",
        ),
        (
            {"content/posts/latin1.md": "---\ntitle: Café\ndate: 2024-01-01\n---\n".encode("latin-1")},
            "content/posts/latin1.md:2:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: Bad date\ndate: 2024-13-45\n---\nBody\n"},
            "content/posts/bad.md:3:7: 'date' is not a valid date: '2024-13-45' (month must be in 1..12)",
        ),
        (
            {"site.yaml": SITE_YAML + "extra:\n  launched: [2024-01-01, 2024-02-30]\n"},
            "site.yaml:8:26: 'extra' is not a valid date: '2024-02-30' (day is out of range for month)",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: Deep\ndate: 2024-01-01\nx: " + "[" * 65 + "]" * 65 + "\n---\n"},
            "content/posts/bad.md:4:68: invalid YAML: lists and mappings nested more than 64 deep",
        ),
        (  # libyaml recursed on the C stack and crashed Python (pure Python reads it: no position)
            {"content/posts/bad.md": "---\ntitle: Deep\ndate: 2024-01-01\nx: " + "[" * 10**5 + "]" * 10**5 + "\n---\n"},
            "content/posts/bad.md:2:1: invalid YAML: lists and mappings nested more than 64 deep",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: Deep\ndate: 2024-01-01\nx:\n"
             + "".join("  " * level + "a:\n" for level in range(1, 66)) + "  " * 66 + "1\n---\n"},
            "content/posts/bad.md:69:131: invalid YAML: lists and mappings nested more than 64 deep",
        ),
        (
            {"content/posts/bad.md": "---\ntitle: Loop\ndate: 2024-01-01\nx: &me [1, *me]\n---\n"},
            "content/posts/bad.md:4:4: invalid YAML: lists and mappings nested more than 64 deep",
        ),
        (  # nine levels of nine aliases: 387 million values, and a build that never ended
            {"site.yaml": SITE_YAML + "extra:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
             + "".join(f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))},
            "site.yaml:1:1: invalid YAML: aliases make more than 100,000 values",
        ),
    ],
    ids=[
        "malformed-yaml",
        "unclosed-front-matter",
        "missing-title",
        "title-wrong-type",
        "missing-date",
        "bad-date",
        "unknown-author",
        "duplicate-url",
        "unknown-config-key",
        "missing-theme",
        "slug-traversal",
        "permalink-traversal",
        "not-utf8",
        "impossible-date",
        "impossible-date-in-site-yaml",
        "nested-too-deep",
        "nested-far-too-deep",
        "nested-too-deep-in-blocks",
        "alias-holding-itself",
        "billion-laughs",
    ],
)
def test_bad_input_reports_one_located_line(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], files: dict[str, str | bytes], message: str
) -> None:
    result = failing_build(make_site, run_cli, files)
    assert result.err.strip() == message


def test_every_broken_file_is_reported_at_once(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    result = failing_build(
        make_site,
        run_cli,
        {
            "content/posts/a.md": "---\ndate: 2024-01-01\n---\n",
            "content/posts/b.md": "---\ntitle: B\n---\n",
        },
    )
    assert result.err.splitlines() == [
        "content/posts/a.md:2:1: missing required field 'title' (the post's title)",
        "content/posts/b.md:2:1: missing required field 'date' (such as date: 2024-03-05)",
    ]


def test_template_syntax_error_names_template_file_and_line(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: mine\n",
        "themes/mine/theme.yaml": "name: mine\nparent: default\n",
        "themes/mine/templates/post.html": (
            "{% extends 'base.html' %}\n{% block content %}\n{{ post.title \n{% endblock %}\n"
        ),
    })
    result = run_cli(site.root, "build")
    assert result.status == 1
    assert result.err == "themes/mine/templates/post.html:4:1: expected token 'end of print statement', got '{'\n"


@pytest.mark.parametrize("from_parent", [False, True], ids=["in-site", "from-parent-folder"])
def test_template_runtime_error_names_template_file_and_line(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], from_parent: bool
) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: mine\n",
        "themes/mine/theme.yaml": "parent: default\n",
        "themes/mine/templates/page.html": "<p>\n{{ page.title }}\n{{ page.no_such_field }}\n</p>\n",
    })
    # from the parent folder, the path is from there (it once named the site folder twice)
    result = run_cli(site.root.parent, "build", "site") if from_parent else run_cli(site.root, "build")
    assert result.status == 1
    assert result.err.strip() == (
        f"{'site/' if from_parent else ''}themes/mine/templates/page.html:3:1: UndefinedError: "
        "'sitegen.model.site.Page object' has no attribute 'no_such_field'"
    )


def test_missing_template_is_named(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "theme: bare\n", "themes/bare/templates/post.html": "x"})
    result = run_cli(site.root, "build")
    assert result.status == 1
    assert result.err.startswith("error: template 'index.html' not found in theme 'bare'")


def test_no_traceback_unless_verbose(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"content/posts/bad.md": "---\ntitle: x\n"})
    quiet = subprocess.run([sys.executable, "-m", "sitegen", "build"], cwd=site.root, capture_output=True, text=True)
    assert (quiet.returncode, quiet.stderr) == (
        1,
        "content/posts/bad.md:1:1: front matter is never closed: add a '---' line after it\n",
    )
    loud = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", "--verbose"], cwd=site.root, capture_output=True, text=True
    )
    assert loud.returncode == 1
    assert "Traceback" in loud.stderr


def test_errors_name_paths_from_where_the_command_runs(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({"content/posts/bad.md": "---\ntitle: x\n"})
    result = run_cli(site.root.parent, "build", "site")
    assert result.err.startswith("site/content/posts/bad.md:1:1: ")


def test_warnings_name_paths_as_errors_do(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    site.write({"content/posts/typo.md": "---\ntitle: Typo\ndate: 2024-02-02\ntittle: x\n---\nText.\n"})
    result = run_cli(site.root.parent, "build", "site", "--quiet")
    assert result.err == "warning: site/content/posts/typo.md:4:1: unknown key 'tittle' (did you mean 'title'?)\n"
    result = run_cli(site.root, "build", "--quiet")  # from inside the site, as before
    assert result.err == "warning: content/posts/typo.md:4:1: unknown key 'tittle' (did you mean 'title'?)\n"


THEME_ATTACKS = {
    "shell": (
        "{{ cycler.__init__.__globals__.os.system('touch ' ~ page.title) }}",
        "SecurityError: access to attribute '__init__' of 'type' object is unsafe.",
    ),
    "write-file": (
        "{{ site.config.root.joinpath(page.title).write_text('x') }}",
        "SecurityError: access to attribute 'root' of 'SiteConfig' object is unsafe.",
    ),
    "where-the-site-lies": (  # a CI runner's folders are nobody's business
        "{{ site.config.boundary().root }}{{ page.title }}",
        "SecurityError: access to attribute 'boundary' of 'SiteConfig' object is unsafe.",
    ),
}


@pytest.mark.parametrize("attack", THEME_ATTACKS, ids=list(THEME_ATTACKS))
def test_a_theme_cannot_run_code_or_write_files(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path, attack: str
) -> None:
    site = make_site()
    assert run_cli(site.root, "build").status == 0
    before = site.read("about/index.html")
    target = tmp_path / "written-by-a-theme"
    template, message = THEME_ATTACKS[attack]
    site.write({
        "site.yaml": SITE_YAML + "theme: downloaded\n",
        "themes/downloaded/theme.yaml": "parent: default\n",
        "themes/downloaded/templates/page.html": f"<p>\n{template}\n</p>\n",
        "content/pages/about.md": f"---\ntitle: {target}\n---\nAbout.\n",
    })
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, f"themes/downloaded/templates/page.html:2:1: {message}\n")
    assert not target.exists()
    assert site.read("about/index.html") == before


def test_what_templates_read_without_the_sandbox_checks_holds_no_path() -> None:
    """The model types read with one test (theme.PLAIN_DATA) must never hand a template a Path."""
    for cls in PLAIN_DATA - {SiteView}:
        assert not [f.name for f in dataclasses.fields(cls) if "Path" in str(f.type)], cls
    settings = {f.name: f.type for f in dataclasses.fields(SiteConfig) if f.name in CONFIG_SETTINGS}
    assert settings and not [name for name, kind in settings.items() if "Path" in str(kind)]


def test_a_symlink_planted_in_the_output_is_never_written_through(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    assert run_cli(site.root, "build").status == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    page_folder = site.out / "posts/first"
    for file in page_folder.iterdir():
        file.unlink()
    page_folder.rmdir()
    page_folder.symlink_to(elsewhere, target_is_directory=True)
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Changed words.\n")})
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (
        1, "error: refusing to write outside the output folder: 'posts/first/index.html'\n"
    )
    assert list(elsewhere.iterdir()) == []
    assert "Changed words." not in site.read("index.html")  # the last good output stays

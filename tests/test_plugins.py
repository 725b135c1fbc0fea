"""Plugins: a site names them in site.yaml; an installed package's (the worked example in
tests/plugin_example/) adds a Markdown rule, a filter, a global and an output file; its version
is in the cache's keys; a plugin in the site folder runs only when trusted."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITE_YAML, Run, Site, post
from htmlpage import HtmlPage

EXAMPLE = Path(__file__).parent / "plugin_example" / "sitegen_mark.py"
THEME = {
    "themes/mine/theme.yaml": "parent: default\n",
    "themes/mine/templates/404.html": "{% extends 'base.html' %}{% block content %}"
    "<p id='plugin'>{{ site.title | shout }} {{ plugin_greeting }}</p>{% endblock %}",
}


def _install(folder: Path, version: str = "1.0") -> None:
    """The example as pip would install it: its module and its distribution's metadata."""
    shutil.copy(EXAMPLE, folder / "sitegen_mark.py")
    info = folder / "sitegen_mark-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: sitegen-mark\nVersion: {version}\n")
    (info / "entry_points.txt").write_text("[sitegen.plugins]\nmark = sitegen_mark:register\n")


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site-packages"
    folder.mkdir()
    _install(folder)
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_an_installed_plugin_adds_markdown_filters_globals_and_files(
    make_site: Callable[..., Site], installed: Path
) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: mine\nplugins: [mark]\n",
        "content/posts/first.md": post("First post", "2024-01-05", "Some ==marked words== here.\n"),
        **THEME,
    })
    site.build()
    page = HtmlPage.load(site.out / "posts/first/index.html")
    assert page.texts("//div[@class='prose']//mark") == ["marked words"]
    assert HtmlPage.load(site.out / "404.html").text("//p[@id='plugin']") == "LETTERS & NOTES Hello from a plugin"
    assert (site.out / "humans.txt").read_text() == "Ana Example\nBen Okafor\n"


def test_a_new_version_of_a_plugin_builds_every_page_again(make_site: Callable[..., Site], installed: Path) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "plugins: [mark]\n"})
    site.build()
    assert site.build().rendered == 0
    _install(installed, "1.1")
    report = site.build()
    assert report.parsed > 0 and report.rendered > 0  # its rules may change any page


def test_a_plugin_in_the_site_folder_runs_only_when_trusted(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "plugins: [mark]\n",
        "plugins/mark.py": EXAMPLE.read_text(),
        "content/posts/first.md": post("First post", "2024-01-05", "Some ==marked words== here.\n"),
    })
    refused = run_cli(site.root, "build")
    assert (refused.status, refused.err) == (1, (
        "site.yaml:7:3: plugin 'mark' is code in the site folder (plugins/mark.py), which runs only when you "
        "trust it (build with --trust-plugins, or set SITEGEN_TRUST_PLUGINS=1)\n"
    ))
    assert run_cli(site.root, "build", "--trust-plugins").status == 0
    assert HtmlPage.load(site.out / "posts/first/index.html").texts("//mark") == ["marked words"]


@pytest.mark.parametrize(
    ("dest", "error"),
    [
        ("CNAME", None),
        ("_headers", None),
        ("/.well-known/security.txt", None),
        ("../outside.txt", "refusing to write outside the output folder: '../outside.txt'"),
        (".sitegen-output", "refusing to write outside the output folder: '.sitegen-output'"),
        ("notes/", "a plugin's output failed: ValueError: 'notes/' is not the name of a file in the output"),
    ],
)
def test_a_plugins_file_is_written_by_its_name_inside_the_output_folder(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], dest: str, error: str | None
) -> None:
    """Hosts read files without an extension (CNAME, _headers, _redirects); nothing lands outside."""
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "plugins: [host]\n",
        "plugins/host.py": f"def register(api):\n    api.output(lambda site: [({dest!r}, b'x\\n')])\n",
    })
    result = run_cli(site.root, "build", "--trust-plugins")
    if error is None:
        assert result.status == 0, result.err
        assert (site.out / dest.lstrip("/")).read_bytes() == b"x\n"
    else:
        assert (result.status, result.err) == (1, f"error: {error}\n")
        assert not (site.root / "outside.txt").exists()


def test_a_plugin_that_is_not_there_is_located(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "plugins:\n  - sitegen-nothing\n"})
    result = run_cli(site.root, "build")
    assert result.status == 1
    assert result.err.startswith("site.yaml:8:3: no plugin named 'sitegen-nothing' (installed: ")


def test_a_theme_installed_as_a_package_is_found_by_name(
    make_site: Callable[..., Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "site-packages"
    theme = folder / "quiet_theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "__init__.py").write_text('"""The Quiet theme for sitegen."""\n')
    (theme / "theme.yaml").write_text("parent: default\n")
    page = "{% extends 'base.html' %}{% block content %}<p id='quiet'>Shh.</p>{% endblock %}"
    (theme / "templates/404.html").write_text(page)
    info = folder / "quiet_theme-2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: quiet-theme\nVersion: 2.0\n")
    (info / "entry_points.txt").write_text("[sitegen.themes]\nquiet = quiet_theme\n")
    monkeypatch.syspath_prepend(str(folder))
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "theme: quiet\n"})
    site.build()
    assert HtmlPage.load(site.out / "404.html").text("//p[@id='quiet']") == "Shh."


def test_the_email_command_runs_the_sites_own_plugins_when_trusted(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "plugins: [mark]\n",
        "plugins/mark.py": EXAMPLE.read_text(),
        "content/posts/first.md": post("First post", "2024-01-05", "Some ==marked words== here.\n"),
    })
    assert run_cli(site.root, "email", "first", "--stdout", "html").status == 1
    result = run_cli(site.root, "email", "first", "--stdout", "html", "--trust-plugins")
    assert result.status == 0, result.err
    assert "<mark" in result.out and "marked words</mark>" in result.out

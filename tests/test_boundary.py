"""Nothing outside the site folder is read or published: links that lead out are refused, unless
site.yaml names the folder; /proc, /sys, /dev, FIFOs, sockets and devices are never read."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SITE_YAML, Run, Site

HINT = "(sitegen reads nothing outside the site unless site.yaml lists the folder under allow_outside:)"


def test_a_link_to_the_environment_is_never_published(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    (site.root / "content/env.txt").symlink_to("/proc/self/environ")
    result = run_cli(site.root, "build")
    target = os.path.realpath("/proc/self/environ")  # this process's: the build runs in it
    assert (result.status, result.err) == (1, f"content/env.txt: links to {target}, which sitegen never reads\n")
    assert not site.out.exists()


@pytest.mark.parametrize("where", ["content/posts/secret.txt", "static/secret.txt", "content/images"])
def test_a_link_out_of_the_site_is_refused_naming_link_and_target(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path, where: str
) -> None:
    site = make_site()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("a token")
    link = site.root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside / "secret.txt" if where.endswith(".txt") else outside)
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, f"{where}: links to {link.resolve()}, outside the site folder {HINT}\n")


def test_a_folder_site_yaml_allows_is_read(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    shared = tmp_path / "shared-images"
    shared.mkdir()
    (shared / "logo.png").write_bytes(b"\x89PNG logo")
    (site.root / "content/images").symlink_to(shared)
    site.write({"site.yaml": SITE_YAML + "allow_outside: [../shared-images]\n"})
    assert run_cli(site.root, "build").status == 0
    assert (site.out / "images/logo.png").read_bytes() == b"\x89PNG logo"


@pytest.mark.parametrize(
    ("allowed", "message"),
    [
        ("[/proc]", "site.yaml:7:1: allow_outside: /proc is /proc, which sitegen never reads"),
        ("[../nowhere]", "site.yaml:7:1: allow_outside: ../nowhere is not a folder (looked for {nowhere})"),
        ("[1]", "site.yaml:7:1: 'allow_outside' must be a list of folders, such as [../shared-images]"),
    ],
)
def test_allow_outside_names_real_folders_only(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], allowed: str, message: str
) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + f"allow_outside: {allowed}\n"})
    result = run_cli(site.root, "build")
    nowhere = os.path.realpath(site.root.parent / "nowhere")
    assert (result.status, result.err) == (1, message.format(nowhere=nowhere) + "\n")


def test_a_template_that_links_out_is_refused(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    site = make_site()
    (tmp_path / "leak.html").write_text("a private key")
    site.write({
        "site.yaml": SITE_YAML + "theme: mine\n",
        "themes/mine/theme.yaml": "parent: default\n",
        "themes/mine/templates/page.html": "{% include 'leak.html' %}",
    })
    (site.root / "themes/mine/templates/leak.html").symlink_to(tmp_path / "leak.html")
    result = run_cli(site.root, "build")
    expected = f"themes/mine/templates/leak.html: links to {tmp_path / 'leak.html'}, outside the site folder {HINT}\n"
    assert (result.status, result.err) == (1, expected)


@pytest.mark.parametrize("parent", ["/usr", "../../elsewhere", "default/../../x"])
def test_a_themes_parent_is_a_name_not_a_path(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], parent: str
) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "theme: mine\n", "themes/mine/theme.yaml": f"parent: {parent}\n"})
    result = run_cli(site.root, "build")
    assert result.status == 1
    assert result.err == (
        f"themes/mine/theme.yaml:1:1: 'parent' must be the name of a theme (a folder of themes/), not {parent!r}\n"
    )


def test_a_fifo_or_a_device_is_never_read(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    os.mkfifo(site.root / "content/pipe")
    (site.root / "static").mkdir()
    (site.root / "static/zero").symlink_to("/dev/zero")
    result = run_cli(site.root, "build")  # a FIFO read would wait forever, /dev/zero never ends
    assert result.status == 1
    assert result.err == (
        "content/pipe: is a FIFO, not a file sitegen reads\n"
        "static/zero: links to /dev/zero, which sitegen never reads\n"
    )


def test_a_link_to_nothing_is_named(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    (site.root / "content/posts/gone.jpg").symlink_to(site.root / "content/posts/moved.jpg")
    result = run_cli(site.root, "build")
    target = site.root.resolve() / "content/posts/moved.jpg"
    assert (result.status, result.err) == (1, f"content/posts/gone.jpg: links to {target}, which does not exist\n")


def test_a_link_loop_inside_the_site_is_walked_once(make_site: Callable[..., Site]) -> None:
    site = make_site()
    (site.root / "content/posts/loop").symlink_to(site.root / "content/posts", target_is_directory=True)
    report = site.build()
    assert report.posts == 3


def test_site_yaml_that_links_out_is_not_read(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "elsewhere.yaml").write_text("title: T\nurl: https://example.org/\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site/site.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    result = run_cli(tmp_path / "site", "build")
    assert (result.status, result.err) == (
        1, f"site.yaml: links to {tmp_path / 'elsewhere.yaml'}, outside the site folder {HINT}\n"
    )


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="no memory file system at /dev/shm")
def test_a_site_on_the_memory_file_system_builds(make_site: Callable[..., Site], tmp_path: Path) -> None:
    """/dev/shm holds ordinary files (benchmarks build there): only /dev's devices are refused."""
    import shutil
    import tempfile

    site = make_site()
    folder = Path(tempfile.mkdtemp(dir="/dev/shm")) / "site"
    try:
        shutil.copytree(site.root, folder)
        assert Site(folder).build().posts == 3
    finally:
        shutil.rmtree(folder.parent)

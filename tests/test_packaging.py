"""What a clean clone, an installed copy and a release hold: every file of the package, the licence,
the metadata PyPI shows, one version, and the workflow that publishes it."""

from __future__ import annotations

import email.parser
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import yaml
from conftest import REPO
from installs import Dist

import sitegen


def test_no_file_of_the_package_is_left_out_by_gitignore(tmp_path: Path) -> None:
    # .gitignore's "output/" once hid src/sitegen/output/: a clean clone could not import it.
    # The repository's own .gitignore files, read through an empty repository of the test's: the
    # same answer in a clone, a worktree or a downloaded archive with no .git (and no skip)
    subprocess.run(["git", "init", "-q", str(tmp_path / "empty")], check=True)  # ./scripts/test installs git
    found = (REPO / "src").rglob("*")
    files = [str(p.relative_to(REPO)) for p in found if p.is_file() and "__pycache__" not in p.parts]
    done = subprocess.run(
        ["git", "--git-dir", str(tmp_path / "empty/.git"), "--work-tree", str(REPO),
         "-c", "core.excludesFile=/dev/null", "check-ignore", "--no-index", "--stdin"],
        input="\n".join(files),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: nothing ignored; anything else: git failed
    assert [path for path in done.stdout.split() if "egg-info" not in path] == []


# --- the release: what PyPI gets ---------------------------------------------------------------


def test_the_version_is_written_in_one_place() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"] and pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sitegen.__version__"}
    assert metadata.version("sitegen-newsletter") == sitegen.__version__


def test_the_wheel_and_sdist_carry_the_licence_the_data_and_the_metadata(release_dist: Dist) -> None:
    with zipfile.ZipFile(release_dist.wheel) as wheel:
        names = wheel.namelist()
        info = f"sitegen_newsletter-{sitegen.__version__}.dist-info"
        fields = email.parser.Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
    assert f"{info}/licenses/LICENSE" in names
    for data in ("sitegen/source/site.schema.json", "sitegen/py.typed", "sitegen/starter/site.yaml",
                 "sitegen/starter/github/workflows/pages.yml", "sitegen/themes/default/templates/base.html",
                 "sitegen/fonts/source-serif-4-latin-normal.woff2", "sitegen/fonts/OFL.txt"):
        assert data in names, data
    assert (fields["Name"], fields["Version"], fields["License-Expression"]) == (
        "sitegen-newsletter", sitegen.__version__, "MIT"
    )
    assert sorted(url.split(",")[0] for url in fields.get_all("Project-URL")) == [
        "Changelog", "Documentation", "Homepage", "Issues"
    ]
    requires = fields.get_all("Requires-Dist")
    assert "mdit-py-plugins>=0.7.0" in requires and 'tzdata; sys_platform == "win32"' in requires
    assert fields.get_all("Provides-Extra") is None  # the test tools are a dependency group, not an extra
    with tarfile.open(release_dist.sdist) as sdist:
        top = f"sitegen_newsletter-{sitegen.__version__}"
        assert {f"{top}/LICENSE", f"{top}/CHANGELOG.md", f"{top}/README.md"} <= set(sdist.getnames())


def test_twine_accepts_the_release(release_dist: Dist) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(release_dist.sdist), str(release_dist.wheel)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_changelog_has_this_version() -> None:
    text = (REPO / "CHANGELOG.md").read_text()
    assert f"\n## {sitegen.__version__} " in text


def test_the_release_workflow_builds_tries_and_publishes_without_a_token() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text())
    assert workflow[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key "on" as true
    steps = [step.get("run", step.get("uses", "")) for job in workflow["jobs"].values() for step in job["steps"]]
    for expected in (
        "python -m build", "python -m twine check --strict dist/*", "/tmp/fresh/bin/pip install dist/*.whl",
        '/tmp/fresh/bin/sitegen init letters --author "Ana Example"', "/tmp/fresh/bin/sitegen build",
        "/tmp/fresh/bin/sitegen check", "pypa/gh-action-pypi-publish@release/v1",
    ):
        assert expected in steps, expected
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"} and workflow["permissions"] == {"contents": "read"}
    assert publish["if"] == "startsWith(github.ref, 'refs/tags/v')" and publish["needs"] == ["build", "try"]
    assert "secrets." not in (REPO / ".github/workflows/release.yml").read_text()

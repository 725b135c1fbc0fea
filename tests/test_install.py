"""Installing sitegen as a newcomer does, and the first deploy of the site it makes: the wheel built
from this repository installs in a fresh venv and runs init -> build -> check; the requirements.txt
that `sitegen init` writes installs that same sitegen (from an index, from git) or says why CI
cannot (a folder, an editable install), read from real installations' metadata in scratch venvs."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest
from conftest import Run
from installs import Dist, Venv, copy_source

import sitegen
from sitegen.create.origin import origin_of, requirement_problem

VERSION = sitegen.__version__


@pytest.fixture
def dist(release_dist: Dist) -> Dist:
    return release_dist


@pytest.fixture
def bare_venv(tmp_path: Path) -> Iterator[Venv]:
    yield Venv.make(tmp_path / "venv")


# --- where it came from, and what requirements.txt says ----------------------------------------


def test_installed_from_an_index_pins_the_version(dist: Dist, bare_venv: Venv) -> None:
    # --find-links stands for PyPI: pip records no direct URL for either
    bare_venv.pip("install", "--no-deps", "--no-index", "--find-links", str(dist.folder), "sitegen-newsletter")
    assert bare_venv.direct_url() is None
    assert bare_venv.origin() == (f"sitegen-newsletter=={VERSION}", None)


def test_installed_from_git_pins_the_commit(bare_venv: Venv, tmp_path: Path) -> None:
    repository = tmp_path / "sitegen.git"
    copy_source(repository)
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", "-C", str(repository)]
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "release"]):
        subprocess.run([*git, *args], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
    bare_venv.pip("install", "--no-deps", f"git+{repository.as_uri()}@main")
    recorded = bare_venv.direct_url()
    assert recorded is not None
    assert recorded["vcs_info"] == {"vcs": "git", "commit_id": commit, "requested_revision": "main"}
    requirement, problem = bare_venv.origin()
    assert requirement == f"sitegen-newsletter @ git+{repository.as_uri()}@{commit}"
    assert problem == f"it was installed from a repository on this machine ({repository})"
    # the line installs that very commit again, as the Pages workflow would
    (tmp_path / "requirements.txt").write_text(requirement + "\n")
    again = Venv.make(tmp_path / "again")
    again.pip("install", "--no-deps", "-r", str(tmp_path / "requirements.txt"))
    same = {"vcs": "git", "commit_id": commit, "requested_revision": commit}
    assert again.direct_url() == recorded | {"vcs_info": same}


def test_installed_from_a_folder_cannot_be_installed_by_ci(bare_venv: Venv, tmp_path: Path) -> None:
    source = copy_source(tmp_path / "sitegen")
    bare_venv.pip("install", "--no-deps", str(source))
    assert bare_venv.origin() == (
        f"sitegen-newsletter @ {source.as_uri()}", f"it was installed from the folder {source} on this machine"
    )


def test_installed_in_editable_mode_cannot_be_installed_by_ci(bare_venv: Venv, tmp_path: Path) -> None:
    source = copy_source(tmp_path / "sitegen")
    bare_venv.pip("install", "--no-deps", "-e", str(source))
    assert bare_venv.origin() == (
        f"sitegen-newsletter @ {source.as_uri()}",
        f"it was installed in editable mode from the folder {source} on this machine",
    )


def _distribution(tmp_path: Path, direct_url: dict[str, object]) -> metadata.Distribution:
    info = tmp_path / f"sitegen_newsletter-{VERSION}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.4\nName: sitegen-newsletter\nVersion: {VERSION}\n")
    (info / "direct_url.json").write_text(json.dumps(direct_url))
    return metadata.PathDistribution(info)


def test_a_github_url_keeps_no_token_and_ci_can_install_it(tmp_path: Path) -> None:
    recorded = {"url": "https://ana:ghp_secret@github.com/ana/sitegen", "vcs_info": {"vcs": "git", "commit_id": "4f2a"}}
    origin = origin_of(_distribution(tmp_path, recorded))
    expected = "sitegen-newsletter @ git+https://github.com/ana/sitegen@4f2a"
    assert (origin.requirement, origin.problem) == (expected, None)


def test_init_writes_the_line_and_warns_when_ci_cannot_install_it(
    run_cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitegen.create.origin

    folder = tmp_path / "checkout"
    editable = {"url": folder.as_uri(), "dir_info": {"editable": True}}
    real = metadata.distribution
    fake = _distribution(tmp_path, editable)
    def distribution(name: str) -> metadata.Distribution:
        return fake if name == "sitegen-newsletter" else real(name)

    monkeypatch.setattr(sitegen.create.origin.metadata, "distribution", distribution)
    result = run_cli(tmp_path, "init", "site", "-q")
    assert result.status == 0
    assert result.err == (
        "warning: requirements.txt: GitHub Pages cannot install sitegen from "
        f"'sitegen-newsletter @ {folder.as_uri()}': "
        f"it was installed in editable mode from the folder {folder} on this machine. Change that line to "
        f"sitegen-newsletter=={VERSION} (from PyPI) or to a git URL such as "
        "sitegen-newsletter @ git+https://github.com/USER/sitegen@COMMIT\n"
    )
    text = (tmp_path / "site/requirements.txt").read_text()
    assert text.splitlines()[-1] == f"sitegen-newsletter @ {folder.as_uri()}"
    assert f"# Change it to sitegen-newsletter=={VERSION} (from PyPI)" in text
    assert run_cli(tmp_path / "site", "build", "-q").status == 0
    checked = run_cli(tmp_path / "site", "check", "-q")
    assert (checked.status, checked.err) == (0, (
        f"warning: requirements.txt:5:1: GitHub Pages cannot install sitegen from {folder.as_uri()} "
        f"(a path on this machine): change the line to sitegen-newsletter=={VERSION} or to a git URL\n"
    ))


@pytest.mark.parametrize(("line", "problem"), [
    (f"sitegen-newsletter=={VERSION}", None),
    ("sitegen-newsletter @ git+https://github.com/ana/sitegen@4f2a", None),
    ("Sitegen-Newsletter @ git+file:///home/ana/sitegen@4f2a", "GitHub Pages cannot install sitegen from "
     "git+file:///home/ana/sitegen@4f2a (a path on this machine): change the line to sitegen-newsletter=={v} "
     "or to a git URL"),
    ("sitegen-newsletter==0.1.0", "the Pages workflow installs sitegen-newsletter 0.1.0, but this is {v}: change the "
     "line to sitegen-newsletter=={v} to publish with the sitegen you build with"),
    ("sitegen==0.9.2", "no sitegen-newsletter line: the Pages workflow will not install sitegen"),
])
def test_check_reads_the_sitegen_line_of_requirements_txt(line: str, problem: str | None) -> None:
    found = requirement_problem(f"# the site's\n{line}\nrequests==2.32\n")
    assert (found.message if found else None) == (problem.format(v=VERSION) if problem else None)
    if found and "no sitegen" not in found.message:
        assert found.line == 2


# --- from the wheel to a published site ----------------------------------------------------------


def test_the_wheel_installs_in_a_fresh_venv_and_makes_a_site_that_builds_and_checks(
    dist: Dist, tmp_path: Path
) -> None:
    venv = Venv.make(tmp_path / "venv", with_pip=True)
    venv.pip("install", "--find-links", str(dist.folder), "sitegen-newsletter")  # its dependencies from PyPI
    version = venv.run("sitegen", "--version")
    assert version.stdout.startswith(f"sitegen {VERSION} (sitegen-newsletter) from {venv.root}/lib/")
    made = venv.run("sitegen", "init", "letters", "--author", "Ana Example", cwd=tmp_path)
    assert (made.returncode, made.stderr) == (0, "")
    site = tmp_path / "letters"
    built = venv.run("sitegen", "build", cwd=site)
    assert (built.returncode, built.stderr) == (0, "")
    checked = venv.run("sitegen", "check", cwd=site / "content")
    assert (checked.returncode, checked.stderr) == (0, ""), checked.stdout
    assert checked.stdout.endswith(": no broken links\n")
    # the workflow's `pip install -r requirements.txt` would install this very wheel
    requirements = (site / "requirements.txt").read_text()
    assert requirements.splitlines()[-1] == f"sitegen-newsletter=={VERSION}"
    report = venv.pip(
        "install", "--dry-run", "--ignore-installed", "--no-deps", "--no-index", "--find-links", str(dist.folder),
        "-r", str(site / "requirements.txt"), "--report", "-",
    )
    installs = json.loads(report)["install"]
    assert [item["download_info"]["url"] for item in installs] == [dist.wheel.as_uri()]

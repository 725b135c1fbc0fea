"""What a clean clone and an installed copy hold: every file of the package."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import REPO


def test_no_file_of_the_package_is_left_out_by_gitignore() -> None:
    # .gitignore's "output/" once hid src/sitegen/output/: a clean clone could not import it
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    found = (REPO / "src").rglob("*")
    files = [str(p.relative_to(REPO)) for p in found if p.is_file() and "__pycache__" not in p.parts]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"],
        input="\n".join(files),
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    ).stdout.split()
    assert [path for path in ignored if "egg-info" not in path] == []

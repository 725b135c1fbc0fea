"""Real installations for the packaging tests: a copy of the source, the sdist and wheel `python -m
build` makes of it, and scratch venvs that pip installs sitegen into as a user would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO

SOURCE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "MANIFEST.in", "src")
# pip prints notes of this machine's extra indexes on stderr; quiet and without version checks
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet", "--no-input"]


def copy_source(target: Path) -> Path:
    """What a release is built from (no caches, no egg-info, no build output)."""
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    target.mkdir(parents=True, exist_ok=True)
    for name in SOURCE_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=junk)
        else:
            shutil.copy2(source, target / name)
    return target


@dataclass(frozen=True)
class Dist:
    """The sdist and the wheel of one build."""

    sdist: Path
    wheel: Path

    @property
    def folder(self) -> Path:
        return self.wheel.parent


def build_dist(source: Path, out: Path) -> Dist:
    """`python -m build`, as the release workflow runs it: the sdist, then the wheel from the sdist."""
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(source)],
        check=True, capture_output=True, text=True, timeout=600,
    )
    return Dist(next(out.glob("*.tar.gz")), next(out.glob("*.whl")))


@dataclass(frozen=True)
class Venv:
    """A scratch virtual environment."""

    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @classmethod
    def make(cls, root: Path, with_pip: bool = False) -> Venv:
        """A venv of nothing (pip runs from outside with --python), or with its own pip."""
        subprocess.run([sys.executable, "-m", "venv", *([] if with_pip else ["--without-pip"]), str(root)], check=True)
        return cls(root)

    def pip(self, *args: str, cwd: Path | None = None) -> str:
        """Run pip on this venv; return what it printed."""
        done = subprocess.run(
            [*PIP, "--python", str(self.python), *args],
            check=False, capture_output=True, text=True, cwd=cwd, timeout=900,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv's bin/ (sitegen, python) with the venv first on PATH."""
        env = dict(os.environ, PATH=f"{self.root / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(self.root))
        env.pop("PYTHONPATH", None)
        command = [str(self.root / "bin" / args[0]), *args[1:]]
        return subprocess.run(command, check=False, capture_output=True, text=True, cwd=cwd, env=env, timeout=600)

    def origin(self) -> tuple[str, str | None]:
        """(requirement, problem) of the sitegen installed here, as `sitegen init` reads it."""
        program = (
            "import json; from sitegen.create.origin import this_sitegen; o = this_sitegen(); "
            "print(json.dumps([o.requirement, o.problem]))"
        )
        done = self.run("python", "-c", program)
        assert done.returncode == 0, done.stderr
        requirement, problem = json.loads(done.stdout)
        return requirement, problem

    def direct_url(self) -> dict[str, object] | None:
        """pip's PEP 610 record of how it installed sitegen-newsletter here (None: from an index)."""
        found = list(self.root.glob("lib/python*/site-packages/sitegen_newsletter-*.dist-info/direct_url.json"))
        return json.loads(found[0].read_text()) if found else None

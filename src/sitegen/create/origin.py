"""Where this sitegen was installed from, and the requirements.txt line that installs the same one in
a site's GitHub Pages workflow.

pip records how it installed a distribution (PEP 610): no `direct_url.json` means from an index such
as PyPI, so the version pins it; a VCS URL and commit pin a git install; a local folder, an editable
install or a file on this machine cannot be installed by CI, and the writer is told which line to
change. Standard library only: it runs in any Python that has sitegen installed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .. import __version__

DISTRIBUTION = "sitegen-newsletter"
"""sitegen's name on PyPI (`sitegen` there is an unrelated package)."""
REQUIREMENTS = "requirements.txt"
RELEASED = f"{DISTRIBUTION}=={__version__}"
"""The line that installs this version from PyPI."""

# The sitegen line of a requirements.txt: `sitegen-newsletter==X` or `sitegen-newsletter @ URL`.
_LINE = re.compile(rf"^\s*{re.escape(DISTRIBUTION)}\s*(?:==\s*(?P<version>[^\s;#]+)|@\s*(?P<url>[^\s;#]+))", re.I)


@dataclass(frozen=True, slots=True)
class Origin:
    """How the running sitegen was installed, as a requirement CI can (or cannot) install."""

    requirement: str
    """The requirements.txt line that installs this very sitegen."""
    problem: str | None = None
    """Why CI cannot install it from that line (a folder or file on this machine), or None."""


def _without_password(url: str) -> str:
    """`url` with no secret in it: pip keeps a `git@` user but a token must not reach a commit."""
    parts = urlsplit(url)
    if parts.password is None and (parts.username in (None, "git")):
        return url
    host = parts.hostname or ""
    return urlunsplit(parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")))


def origin_of(distribution: metadata.Distribution) -> Origin:
    """The requirement that installs `distribution` again, read from its PEP 610 record."""
    version = distribution.version
    recorded = distribution.read_text("direct_url.json")
    if recorded is None:  # from an index: the version says it all
        return Origin(f"{DISTRIBUTION}=={version}")
    try:
        direct = json.loads(recorded)
        url = _without_password(str(direct["url"]))
    except (ValueError, KeyError, TypeError):
        return Origin(RELEASED, "pip's record of how it installed sitegen (direct_url.json) is unreadable")
    local = urlsplit(url).scheme == "file"
    where = Path(urlsplit(url).path).as_posix() if local else url
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id") or vcs.get("requested_revision") or ""
        subfolder = f"#subdirectory={direct['subdirectory']}" if direct.get("subdirectory") else ""
        requirement = f"{DISTRIBUTION} @ {vcs.get('vcs', 'git')}+{url}@{commit}{subfolder}"
        return Origin(requirement, f"it was installed from a repository on this machine ({where})" if local else None)
    if isinstance(direct.get("dir_info"), dict):
        how = "in editable mode from" if direct["dir_info"].get("editable") else "from"
        return Origin(f"{DISTRIBUTION} @ {url}", f"it was installed {how} the folder {where} on this machine")
    if local:
        return Origin(f"{DISTRIBUTION} @ {url}", f"it was installed from the file {where} on this machine")
    return Origin(f"{DISTRIBUTION} @ {url}")  # an archive on the web: CI can fetch it too


def this_sitegen() -> Origin:
    """The requirement that installs the sitegen that is running."""
    try:
        return origin_of(metadata.distribution(DISTRIBUTION))
    except metadata.PackageNotFoundError:
        return Origin(RELEASED, f"sitegen is not installed as {DISTRIBUTION} here (it runs from its source folder)")


def requirements_text(origin: Origin) -> str:
    """The site's requirements.txt, which its Pages workflow installs."""
    lines = [
        "# The sitegen that made this site: the GitHub Pages workflow installs what this file names.",
        f"# To upgrade: pip install --upgrade {DISTRIBUTION}, then write its version here.",
    ]
    if origin.problem:
        lines += [
            f"# CI cannot install the next line: {origin.problem}.",
            f"# Change it to {RELEASED} (from PyPI) or to {DISTRIBUTION} @ git+https://... (a repository).",
        ]
    return "\n".join([*lines, origin.requirement, ""])


def cannot_install(origin: Origin) -> str:
    """The warning `sitegen init` prints when CI cannot install the requirement it wrote."""
    return (
        f"{REQUIREMENTS}: GitHub Pages cannot install sitegen from {origin.requirement!r}: {origin.problem}. "
        f"Change that line to {RELEASED} (from PyPI) or to a git URL such as "
        f"{DISTRIBUTION} @ git+https://github.com/USER/sitegen@COMMIT"
    )


@dataclass(frozen=True, slots=True)
class RequirementProblem:
    """Why the sitegen line of a site's requirements.txt will not install this sitegen in CI."""

    line: int | None
    """The line of requirements.txt, or None when no line names sitegen."""
    message: str


def requirement_problem(text: str) -> RequirementProblem | None:
    """What is wrong with the sitegen line of a site's requirements.txt, for `sitegen check`."""
    for number, line in enumerate(text.splitlines(), 1):
        found = _LINE.match(line)
        if found is None:
            continue
        url = found["url"]
        if url is not None:
            url = url if url.isprintable() else ascii(url)  # a stranger's file: no terminal escapes
            scheme = urlsplit(url.partition("+")[2] if "+" in url.split(":", 1)[0] else url).scheme
            if scheme in ("file", ""):
                return RequirementProblem(
                    number,
                    f"GitHub Pages cannot install sitegen from {url} (a path on this machine): "
                    f"change the line to {RELEASED} or to a git URL",
                )
            return None
        if found["version"] != __version__:
            return RequirementProblem(
                number,
                f"the Pages workflow installs {DISTRIBUTION} {found['version']}, but this is {__version__}: "
                f"change the line to {RELEASED} to publish with the sitegen you build with",
            )
        return None
    return RequirementProblem(None, f"no {DISTRIBUTION} line: the Pages workflow will not install sitegen")

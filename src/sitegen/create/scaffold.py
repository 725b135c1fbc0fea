"""`sitegen init` and `sitegen theme eject`: copy sitegen's starter site or default theme into a
folder, never replacing a file unless told to."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import __version__
from ..errors import SiteError
from ..render.theme import PACKAGED_THEMES
from ..source.schema import SCHEMA_URL
from ..source.slugs import slugify
from ..source.yamltext import yaml_text
from .origin import REQUIREMENTS, Origin, requirements_text

STARTER = Path(__file__).parent.parent / "starter"
# Package data leaves out names starting with ".", so the starter keeps these without their dot.
DOTTED = ("gitignore", "github")
# A folder a writer just cloned from an empty GitHub repository holds only this: still "empty".
IGNORED_IN_EMPTY = (".git",)


@dataclass(frozen=True, slots=True)
class NewSite:
    """What `sitegen init` fills into the starter files."""

    title: str
    url: str
    author_name: str
    timezone: str
    now: datetime
    """The date of the welcome post (shown in `timezone`)."""
    origin: Origin
    """The sitegen making the site, which its requirements.txt installs in CI."""

    @property
    def author_id(self) -> str:
        """The author file's name: "Ana Example" -> ana-example."""
        return slugify(self.author_name) or "author"

    def fill(self, text: str) -> str:
        """Replace the starter's __MARKERS__ (YAML values quoted as YAML needs)."""
        local = self.now.astimezone(ZoneInfo(self.timezone))
        values = {
            "__TITLE_TEXT__": self.title,
            "__TITLE__": yaml_text(self.title),
            "__URL__": self.url,
            "__AUTHOR_NAME_TEXT__": self.author_name,
            "__AUTHOR_NAME__": yaml_text(self.author_name),
            "__AUTHOR_ID_YAML__": yaml_text(self.author_id),
            "__AUTHOR_ID__": self.author_id,
            "__TAGLINE__": yaml_text(f"Writer of {self.title}"),
            "__TIMEZONE__": self.timezone,
            "__DATE__": f"{local:%Y-%m-%d %H:%M}",
            "__VERSION__": __version__,
            "__SCHEMA_URL__": SCHEMA_URL,
        }
        return re.sub("|".join(map(re.escape, values)), lambda m: values[m.group(0)], text)


def default_title(folder: Path) -> str:
    """A title from the folder's name: my-letters -> My Letters."""
    name = re.sub(r"[-_]+", " ", folder.resolve().name).strip()
    return (name.title() if name == name.lower() else name) or "My Newsletter"


def default_url(folder: Path) -> str:
    """A GitHub Pages project address named after the folder (the deploy workflow uses the real one)."""
    return f"https://example.github.io/{slugify(folder.resolve().name) or 'newsletter'}/"


def local_timezone() -> str:
    """This machine's time zone name (from $TZ, /etc/localtime or /etc/timezone), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):  # not a symlink, or no such file
        candidates.append(os.readlink("/etc/localtime").partition("zoneinfo/")[2])
    with contextlib.suppress(OSError, UnicodeDecodeError):  # Debian's copy of the name
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name and "/" in name:  # an area/city name, not an abbreviation such as EST
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
            return "UTC" if name in ("Etc/UTC", "Etc/Universal", "Etc/Zulu") else name
    return "UTC"


def _starter_files(site: NewSite) -> Iterator[tuple[str, bytes]]:
    for path in sorted(STARTER.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(STARTER).as_posix()
            if rel.split("/")[0] in DOTTED:
                rel = "." + rel
            yield site.fill(rel), site.fill(path.read_text(encoding="utf-8")).encode("utf-8")


def _theme_files(name: str) -> Iterator[tuple[str, bytes]]:
    source = PACKAGED_THEMES / name
    for path in sorted(source.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield f"themes/{name}/{path.relative_to(source).as_posix()}", path.read_bytes()


def _is_empty(folder: Path) -> bool:
    return not folder.exists() or all(p.name in IGNORED_IN_EMPTY for p in folder.iterdir())


def _write_all(root: Path, files: list[tuple[str, bytes]], force: bool) -> list[Path]:
    """Write every file, or (without `force`) none when any of them exists already.

    Raises:
        SiteError: naming the first file that exists.
    """
    targets = [(root / rel, data) for rel, data in files]
    if not force:
        for target, _ in targets:
            if target.exists() or target.is_symlink():
                raise SiteError(f"{target} already exists: not replacing it (--force replaces it)")
    for target, data in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():  # replace the link itself, never the file it points to
            target.unlink()
        target.write_bytes(data)
    return [target for target, _ in targets]


def init_site(folder: Path, site: NewSite, force: bool = False, eject_theme: bool = False) -> list[Path]:
    """Write a new site into `folder` (made if missing): settings, an author, a welcome post, an
    about page, a .gitignore, the GitHub Pages workflow and the requirements.txt it installs; with
    `eject_theme`, the default theme.

    Returns:
        The files written.

    Raises:
        SiteError: when `folder` is a file, or not empty and not `force`.
    """
    made = False
    try:
        if folder.exists() and not folder.is_dir():
            raise SiteError(f"{folder} is a file, not a folder")
        if not force and not _is_empty(folder):
            raise SiteError(
                f"{folder} is not empty: sitegen init makes a site in a new or empty folder "
                "(--force writes into it, replacing files of the same names)"
            )
        files = [*_starter_files(site), (REQUIREMENTS, requirements_text(site.origin).encode("utf-8"))]
        if eject_theme:
            files += _theme_files("default")
        made = not folder.exists()
        return _write_all(folder, files, force)
    except OSError as exc:
        if made:  # leave no half-made site behind
            shutil.rmtree(folder, ignore_errors=True)
        raise SiteError(f"cannot make the site in {folder}: {exc.strerror or exc}") from None


def eject_theme(root: Path, name: str = "default", force: bool = False) -> list[Path]:
    """Copy sitegen's theme `name` into `root/themes/<name>/`, where it can be edited and is used
    instead of the packaged one.

    Raises:
        SiteError: for an unknown theme, when the copy would replace files and not `force`, or
            when themes/<name> is sitegen's own theme folder (a symlink to it).
    """
    if not (PACKAGED_THEMES / name).is_dir():
        known = ", ".join(sorted(p.name for p in PACKAGED_THEMES.iterdir() if p.is_dir()))
        raise SiteError(f"sitegen has no theme '{name}' (it has: {known})")
    target = root / "themes" / name
    if target.exists() and target.resolve() == (PACKAGED_THEMES / name).resolve():
        raise SiteError(f"{target} is sitegen's own theme folder: nothing to copy")
    if target.exists() and not force:
        raise SiteError(f"{target} already exists: not replacing it (--force replaces its files)")
    return _write_all(root, list(_theme_files(name)), force=True)

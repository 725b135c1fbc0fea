"""Find a site's theme and its parents, and list their files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from ..output.files import OutputFile
from ..source.config import SiteConfig
from ..source.textfile import read_text
from ..source.yamldoc import parse_yaml_mapping

PACKAGED_THEMES = Path(__file__).parent.parent / "themes"
THEME_KEYS = ("name", "description", "parent")


@dataclass(frozen=True)
class Theme:
    """A theme and its parents, child first."""

    name: str
    dirs: tuple[Path, ...]

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, child first."""
        return [d / "templates" for d in self.dirs]

    def static_files(self) -> Iterator[tuple[str, Path]]:
        """(dest_path, file) for every static file; a child's file hides its parent's."""
        seen: set[str] = set()
        for folder in self.dirs:
            static = folder / "static"
            for path in sorted(static.rglob("*")) if static.is_dir() else ():
                dest = path.relative_to(static).as_posix()
                if path.is_file() and dest not in seen:
                    seen.add(dest)
                    yield dest, path

    def files(self) -> Iterator[tuple[str, Path]]:
        """Every file of the theme and its parents, named by level and relative path ("0/templates/post.html"),
        so that the same theme is named the same from any folder."""
        for level, folder in enumerate(self.dirs):
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    yield f"{level}/{path.relative_to(folder).as_posix()}", path


def _theme_dir(config: SiteConfig, name: str) -> Path | None:
    for candidate in (config.root / "themes" / name, PACKAGED_THEMES / name):
        if candidate.is_dir():
            return candidate
    return None


def load_theme(config: SiteConfig) -> Theme:
    """Find `config.theme` (in the site's themes/, then sitegen's own) and its parents.

    Raises:
        SiteError: for a missing theme, a missing parent or a parent cycle.
    """
    dirs: list[Path] = []
    name: str | None = config.theme
    asked_by = Path("site.yaml")
    while name is not None:
        folder = _theme_dir(config, name)
        if folder is None:
            raise SiteError(f"theme '{name}' not found (looked in themes/{name}/ and sitegen's themes)", asked_by)
        if folder in dirs:
            raise SiteError(f"theme '{name}' is its own ancestor", asked_by)
        dirs.append(folder)
        meta = folder / "theme.yaml"
        name = None
        if meta.is_file():
            doc = parse_yaml_mapping(read_text(meta), meta)
            parent = doc.data.get("parent")
            if parent is not None and not isinstance(parent, str):
                raise doc.error("parent", "'parent' must be a theme name")
            name, asked_by = parent, meta
    return Theme(config.theme, tuple(dirs))


def static_files(theme: Theme) -> list[OutputFile]:
    """The theme's static files, to copy to the output's root."""
    return [OutputFile(dest, source=path) for dest, path in theme.static_files()]

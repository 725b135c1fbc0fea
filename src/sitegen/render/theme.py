"""Find a site's theme and its parents, and list their files."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from ..errors import SiteError, raise_collected
from ..output.files import OutputFile
from ..source.boundary import walk
from ..source.config import SiteConfig
from ..source.slugs import is_safe_slug
from ..source.textfile import read_text
from ..source.yamldoc import YamlMapping, parse_yaml_mapping
from .minify import MINIFIED_SUFFIXES, minified

PACKAGED_THEMES = Path(__file__).parent.parent / "themes"
THEME_KEYS = ("name", "description", "parent", "card")
CARD_COLOURS = ("paper", "ink", "muted", "accent", "rule")
"""What theme.yaml's `card:` may set: the colours of the link-preview cards (see cards.py)."""
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


@dataclass(frozen=True)
class Theme:
    """A theme and its parents, child first."""

    name: str
    dirs: tuple[Path, ...]
    files: tuple[tuple[str, Path], ...] = ()
    """Every file of the theme and its parents, named by level and relative path
    ("0/templates/post.html"), so that the same theme is named the same from any folder."""
    fallback_templates: tuple[tuple[str, Path], ...] = ()
    """The default theme's email templates, (name, file), for a theme made before they existed:
    its letters still get an email edition. A theme's own template hides them."""
    card_colours: tuple[tuple[str, str], ...] = ()
    """(name, "#rrggbb") from theme.yaml's `card:`, the child's over its parents'."""

    @property
    def template_dirs(self) -> list[Path]:
        """Where templates are looked up, child first."""
        return [d / "templates" for d in self.dirs]

    def static_files(self) -> Iterator[tuple[str, Path]]:
        """(dest_path, file) for every static file; a child's file hides its parent's."""
        seen: set[str] = set()
        for name, path in self.files:
            _level, folder, dest = ([*name.split("/", 2), "", ""])[:3]
            if folder == "static" and dest and dest not in seen:
                seen.add(dest)
                yield dest, path


THEME_GROUP = "sitegen.themes"
"""The entry-point group of themes installed as packages (as MkDocs has): each names a package
whose folder holds the theme (theme.yaml, templates/, static/, i18n/)."""


def _theme_dir(config: SiteConfig, name: str) -> Path | None:
    """The folder of the theme `name`: the site's themes/<name>, sitegen's own, or an installed package's."""
    for candidate in (config.root / "themes" / name, PACKAGED_THEMES / name):
        if candidate.is_dir():
            return candidate
    return installed_themes().get(name)


def installed_themes() -> dict[str, Path]:
    """The themes installed as packages, by name (see THEME_GROUP)."""
    found = {}
    for point in entry_points(group=THEME_GROUP):
        try:
            module = importlib.util.find_spec(point.value.split(":")[0])
        except (ImportError, ValueError):  # a package removed since: not a theme any more
            continue
        if module is not None and module.origin:
            found[point.name] = Path(module.origin).parent
    return found


def load_theme(config: SiteConfig) -> Theme:
    """Find `config.theme` (in the site's themes/, then sitegen's own), its parents and their files.

    Raises:
        SiteError: or SiteErrors, for a missing theme, a missing parent or a parent cycle, a
            parent named by path, or a link out of the site.
    """
    dirs: list[Path] = []
    colours: dict[str, str] = {}
    name: str | None = config.theme
    asked_by = Path("site.yaml")
    while name is not None:
        folder = _theme_dir(config, name)
        if folder is None:
            where = f"themes/{name}/, sitegen's themes and installed ones"
            raise SiteError(f"theme '{name}' not found (looked in {where})", asked_by)
        if folder in dirs:
            raise SiteError(f"theme '{name}' is its own ancestor", asked_by)
        dirs.append(folder)
        meta = folder / "theme.yaml"
        name = None
        if meta.is_file():
            doc = parse_yaml_mapping(read_text(meta), meta)
            parent = doc.data.get("parent")
            if parent is not None and (not isinstance(parent, str) or not is_safe_slug(parent)):
                raise doc.error("parent", f"'parent' must be the name of a theme (a folder of themes/), not {parent!r}")
            name, asked_by = parent, meta
            for key, value in _card_colours(doc).items():
                colours.setdefault(key, value)
    # an installed theme's folder is outside the site, and trusted as sitegen's own are
    installed = tuple(d for d in dirs if not d.is_relative_to(config.root) and not d.is_relative_to(PACKAGED_THEMES))
    files = _files(config, dirs, installed)
    fallback: tuple[tuple[str, Path], ...] = ()
    if PACKAGED_THEMES / "default" not in dirs:
        templates = PACKAGED_THEMES / "default" / "templates"
        fallback = tuple((path.name, path) for path in sorted(templates.glob("*email*")))
        files += tuple((f"fallback/templates/{name}", path) for name, path in fallback)
        # the default theme's words stand under every theme's (see strings.py): its key covers them
        words = sorted((PACKAGED_THEMES / "default" / "i18n").glob("*.yaml"))
        files += tuple((f"fallback/i18n/{path.name}", path) for path in words)
    return Theme(config.theme, tuple(dirs), files, fallback, tuple(sorted(colours.items())))


def _card_colours(doc: YamlMapping) -> dict[str, str]:
    """theme.yaml's `card:` colours, each checked.

    Raises:
        SiteError: for anything but a mapping of the known names to hex colours.
    """
    card = doc.data.get("card")
    if card is None:
        return {}
    if not isinstance(card, dict):
        raise doc.error("card", f"'card' must be a mapping of colours ({', '.join(CARD_COLOURS)}), not {card!r}")
    for key, value in card.items():
        if key not in CARD_COLOURS:
            raise doc.error_at(("card", key), f"card: unknown colour {key!r} (known: {', '.join(CARD_COLOURS)})")
        if not isinstance(value, str) or not _COLOUR.fullmatch(value):
            raise doc.error_at(("card", key), f"card: {key} must be a colour written #rrggbb or #rgb, not {value!r}")
    return dict(card)


def _files(config: SiteConfig, dirs: list[Path], installed: tuple[Path, ...]) -> tuple[tuple[str, Path], ...]:
    """Every file of the theme's folders, each checked to stay within the site (see boundary.py)."""
    boundary = config.boundary(trusted=(PACKAGED_THEMES, *installed))
    errors: list[SiteError] = []
    found = []
    for level, folder in enumerate(dirs):
        try:
            shown = folder.relative_to(config.root).as_posix()  # as the site names it, in errors
        except ValueError:
            shown = str(folder)
        try:
            boundary.check_path(folder, shown)
        except SiteError as exc:
            errors.append(exc)
            continue
        for abs_text, src_path in walk(folder, shown + "/", boundary, errors=errors):
            found.append((f"{level}/{src_path[len(shown) + 1 :]}", Path(abs_text)))
    raise_collected(errors)
    return tuple(found)


def static_files(theme: Theme) -> list[OutputFile]:
    """The theme's static files, for the output's root: stylesheets and scripts minified, the rest
    copied as they are."""
    return [
        OutputFile(dest, minified(dest, path.read_bytes()), source=path) if dest.endswith(MINIFIED_SUFFIXES)
        else OutputFile(dest, source=path)
        for dest, path in theme.static_files()
    ]

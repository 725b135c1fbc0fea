"""site.yaml -> SiteConfig: every key validated, unknown keys rejected with a hint."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import SiteError, did_you_mean
from . import fields
from .boundary import Boundary, never_read
from .newsletter import NO_EMAIL_SETTINGS, EmailSettings, Subscribe, email_settings_of, subscribe_of
from .slugs import is_safe_slug, tag_key
from .textfile import read_text
from .urls import is_safe_url, scheme_of, site_path
from .words import Text, check_text
from .yamldoc import YamlMapping, parse_yaml_mapping

CONFIG_NAME = "site.yaml"
PERMALINK_FIELDS = ("year", "month", "day", "slug")


MARKDOWN_EXTRAS = ("autolinks", "callouts", "definitions", "figures")
"""What site.yaml's `markdown:` may turn off beyond html and typographer (each on by default)."""

@dataclass(frozen=True, slots=True)
class TagSettings:
    """What site.yaml says of one tag (`tags:`)."""

    slug: str | None = None
    """Its address, /tags/<slug>/ (default: from its name)."""
    title: str | None = None
    """The name its page shows (default: the tag as written)."""
    description: str | None = None


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The validated settings of one site."""

    root: Path = field(repr=False)
    """The folder holding site.yaml (kept out of the repr: templates can print the config)."""
    title: str
    url: str
    """Absolute URL of the site's home, always ending in "/" (may carry a base path)."""
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    theme: str = "default"
    author: str | None = None
    """Default author id for posts that name none."""
    paginate: int = 10
    post_permalink: str = "/posts/{slug}/"
    old_permalinks: tuple[str, ...] = ()
    """Earlier patterns of post addresses (permalinks: {redirect_old: ...}), each answered by redirects."""
    redirects: tuple[tuple[str, str], ...] = ()
    """(old address, where it leads now), from site.yaml's `redirects:`."""
    markdown_html: bool = True
    """Raw HTML in Markdown is passed through; False escapes it."""
    markdown_typographer: bool = True
    """Curly quotes of the site's language, dashes and ellipses, in bodies, titles and summaries."""
    markdown_extras: tuple[str, ...] = MARKDOWN_EXTRAS
    """The syntax beyond CommonMark in use (see markup/markdown.py's EXTRAS): all, unless turned off."""
    feed_content: str = "full"
    feed_limit: int = 20
    connect_note: str | None = None
    """site.yaml's note; None: the theme's, in the site's language."""
    numbering_auto: bool = False
    """Number the published posts in date order (No. 1 the oldest), unless a post says `issue:`."""
    numbering_in_titles: bool = False
    """Feed titles start with the issue number ("No. 12: ...")."""
    search: bool = False
    """A search page, its index made with Pagefind after each build that changed a letter (see engine/search.py)."""
    social_cards: bool = True
    """A link-preview card for each letter without a cover (see render/cards.py)."""
    image_copies: bool = True
    """Smaller WebP copies of images wider than the theme's measure, offered in a srcset."""
    image_warn_kb: int = 1000
    """A warning names each image the site shows that is larger than this (in kilobytes)."""
    font: str = "system"
    """The text face: the reader's system serifs ("system") or the self-hosted one ("source-serif")."""
    image: str | None = None
    """Default social image (og:image) for pages without their own: site-relative or absolute URL."""
    domain: str | None = None
    """A custom domain for GitHub Pages (written to the CNAME file), such as letters.example.com."""
    allow_outside: tuple[str, ...] = ()
    """Folders outside the site that its links may lead to, as written (relative to the site)."""
    tags: tuple[tuple[str, TagSettings], ...] = ()
    """What site.yaml says of tags, by tag name (see tag_settings)."""
    subscribe: Subscribe | None = None
    """How readers subscribe to the whole site (an author's own subscribe: wins on their pages)."""
    email: EmailSettings = NO_EMAIL_SETTINGS
    """The email edition of each letter."""
    plugins: tuple[tuple[str, int], ...] = ()
    """The plugins site.yaml asks for, by name, with the line of each (see plugins.py)."""
    plugin_ids: tuple[str, ...] = ()
    """Each loaded plugin's name and version, set once they are loaded: part of every cache key."""
    strings: tuple[tuple[str, Text, int], ...] = ()
    """The theme's words site.yaml changes: (key, text or plural forms, its line)."""
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def base_path(self) -> str:
        """The path part of `url`, such as "/" or "/letters/"."""
        return urlsplit(self.url).path or "/"

    @property
    def zone(self) -> ZoneInfo:
        """The time zone for dates written without one."""
        return ZoneInfo(self.timezone)

    def tag_settings(self, name: str) -> TagSettings | None:
        """What site.yaml says of the tag `name` (written in any case)."""
        wanted = tag_key(name)
        return next((settings for tag, settings in self.tags if tag_key(tag) == wanted), None)

    def boundary(self, trusted: tuple[Path, ...] = ()) -> Boundary:
        """Where the site's files may lead (see boundary.py), with sitegen's own `trusted` folders."""
        return Boundary.of(self.root, self.allow_outside, trusted)

    @property
    def content_dir(self) -> Path:
        """The site's content/ folder."""
        return self.root / "content"


def normalize_url(url: str) -> str:
    """Return `url` with exactly one trailing slash."""
    return url.rstrip("/") + "/"


def check_url(doc: YamlMapping | None, url: str) -> str:
    """Validate an absolute http(s) site URL; return it with a trailing slash."""
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        message = f"'url' must be the address of the home page, without ?query or #fragment: {url!r}"
        if doc is None:
            raise SiteError(f"--base-url: {message}")
        raise doc.error("url", message)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        message = f"'url' must be an absolute http(s) address such as https://you.github.io/, not {url!r}"
        if doc is None:
            raise SiteError(f"--base-url: {message}")
        raise doc.error("url", message)
    return normalize_url(url)


def _permalinks(doc: YamlMapping, value: Any) -> dict[str, Any]:
    """`permalinks: {post: "/{year}/{slug}/", redirect_old: "/posts/{slug}/"}` (one old pattern or a list)."""
    section = fields.section(doc, "permalinks", value, ("post", "redirect_old"))
    pattern = _permalink(doc, "permalinks.post", section.get("post", "/posts/{slug}/"))
    old = section.get("redirect_old", [])
    olds = [old] if isinstance(old, str) else old
    if not isinstance(olds, list):
        raise doc.error("permalinks", f"permalinks.redirect_old must be a pattern or a list of them, not {old!r}")
    return {
        "post_permalink": pattern,
        "old_permalinks": tuple(_permalink(doc, "permalinks.redirect_old", o) for o in olds),
    }


def _permalink(doc: YamlMapping, name: str, value: Any) -> str:
    pattern = fields.text(doc, "permalinks", value)
    names = set(re.findall(r"{([^{}]*)}", pattern))
    unknown = sorted(names - set(PERMALINK_FIELDS))
    if unknown:
        raise doc.error(
            "permalinks",
            f"unknown placeholder '{{{unknown[0]}}}' in {name} "
            f"(use {', '.join('{' + f + '}' for f in PERMALINK_FIELDS)})",
        )
    if "slug" not in names:
        raise doc.error("permalinks", f"{name} must contain {{slug}}")
    if not pattern.startswith("/") or ".." in pattern.split("/"):
        raise doc.error("permalinks", f"{name} must start with '/' and stay inside the site")
    return pattern if pattern.endswith("/") else pattern + "/"


def _plugins(doc: YamlMapping, value: Any) -> tuple[tuple[str, int], ...]:
    """`plugins: [sitegen-mark, stamp]`: names of installed plugins or of plugins/<name>.py."""
    names = value if isinstance(value, list) else [value]
    found = []
    for index, name in enumerate(names):
        if not isinstance(name, str) or not is_safe_slug(name):
            message = f"plugins: {name!r} must be the name of a plugin, such as sitegen-mark"
            raise doc.error_at(("plugins", index), message)
        found.append((name, doc.error_at(("plugins", index), "").line or 1))
    return tuple(found)


def _strings(doc: YamlMapping, value: Any) -> tuple[tuple[str, Text, int], ...]:
    """`strings: {archive: Letters, letters: {one: 1 letter, other: "{count} letters"}}`: each
    checked for shape here, for a key the theme has when the theme is loaded."""
    if not isinstance(value, dict):
        raise doc.error("strings", "'strings' must map the theme's words to yours, such as archive: Letters")
    found = []
    for key, text in value.items():
        line = doc.error_at(("strings", key), "").line or 1
        found.append((str(key), check_text(doc, ("strings", key), text), line))
    return tuple(found)


def _redirects(doc: YamlMapping, value: Any) -> tuple[tuple[str, str], ...]:
    """`redirects: {/old/: /new/, /talk/: https://elsewhere.example/talk}`.

    Raises:
        SiteError: at the entry that is not an old address of this site and a safe link.
    """
    if not isinstance(value, dict):
        raise doc.error("redirects", "'redirects' must be a mapping of old addresses to new ones, such as /old/: /new/")
    found = []
    for old, new in value.items():
        path = site_path(old) if isinstance(old, str) else None
        if path is None:
            message = f"redirects: {old!r} must be an address of this site written from its root, such as /old-post/"
            raise doc.error_at(("redirects", old), message)
        if not isinstance(new, str) or not new.strip() or not is_safe_url(new) or scheme_of(new) == "mailto":
            message = f"redirects: {old} must lead to an address of this site (/new/) or an http(s) URL, not {new!r}"
            raise doc.error_at(("redirects", old), message)
        found.append((path, new.strip()))
    return tuple(found)


# A BCP 47 language tag: en, pt-BR, zh-Hant-TW (it names files of words: never a path)
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _language(doc: YamlMapping, value: Any) -> str:
    text = fields.text(doc, "language", value)
    if not _LANGUAGE.fullmatch(text):
        raise doc.error("language", f"'language' must be a language tag such as en, fr or pt-BR, not {text!r}")
    return text


def _markdown(doc: YamlMapping, value: Any) -> dict[str, Any]:
    section = fields.section(doc, "markdown", value, ("html", "typographer", *MARKDOWN_EXTRAS))
    extras = tuple(name for name in MARKDOWN_EXTRAS if fields.flag_value(doc, "markdown", section.get(name, True)))
    return {
        "markdown_html": fields.flag_value(doc, "markdown", section.get("html", True)),
        "markdown_typographer": fields.flag_value(doc, "markdown", section.get("typographer", True)),
        "markdown_extras": extras,
    }


def _numbering(doc: YamlMapping, value: Any) -> dict[str, Any]:
    """`numbering: auto`, or `numbering: {auto: true, in_titles: true}`."""
    if value == "auto":
        return {"numbering_auto": True}
    if value in ("off", False, None):
        return {}
    section = fields.section(doc, "numbering", value, ("auto", "in_titles"))
    return {
        "numbering_auto": fields.flag_value(doc, "numbering", section.get("auto", False)),
        "numbering_in_titles": fields.flag_value(doc, "numbering", section.get("in_titles", False)),
    }


FONTS = ("system", "source-serif")


def _font(doc: YamlMapping, value: Any) -> str:
    if value not in FONTS:
        raise doc.error("font", f"'font' must be system (the reader's own serifs) or source-serif, not {value!r}")
    return str(value)


def _timezone(doc: YamlMapping, value: Any) -> str:
    name = fields.text(doc, "timezone", value)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise doc.error("timezone", f"unknown time zone {name!r} (use a name such as Europe/Paris)") from None
    return name


def _feed(doc: YamlMapping, value: Any) -> dict[str, Any]:
    section = fields.section(doc, "feed", value, ("content", "limit"))
    content = section.get("content", "full")
    if content not in ("full", "summary"):
        raise doc.error("feed", f"feed.content must be 'full' or 'summary', not {content!r}")
    return {"feed_content": content, "feed_limit": fields.count(doc, "feed", section.get("limit", 20))}


def _images(doc: YamlMapping, value: Any) -> dict[str, Any]:
    """`images: {copies: true, warn_over_kb: 1000}`."""
    section = fields.section(doc, "images", value, ("copies", "warn_over_kb"))
    return {
        "image_copies": fields.flag_value(doc, "images", section.get("copies", True)),
        "image_warn_kb": fields.count(doc, "images", section.get("warn_over_kb", 1000)),
    }


def _connect(doc: YamlMapping, value: Any) -> dict[str, Any]:
    section = fields.section(doc, "connect", value, ("note",))
    if section.get("note") is None:
        return {}  # the theme's note, in the site's language (i18n's connect_note)
    note = fields.text(doc, "connect", section["note"])
    for name in re.findall(r"{([^{}]*)}", note):
        if name not in ("author", "title", "url"):
            message = f"unknown placeholder '{{{name}}}' in connect.note (use {{author}}, {{title}}, {{url}})"
            raise doc.error("connect", message)
    return {"connect_note": note}


# One DNS label: letters, digits and inner hyphens, at most 63 characters.
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _domain(doc: YamlMapping, value: Any) -> str:
    """A bare host name: GitHub Pages reads CNAME as one, so no scheme, port or path."""
    name = fields.text(doc, "domain", value).lower().rstrip(".")
    labels = name.split(".")
    if len(labels) < 2 or len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        example = "letters.example.com (no https://, port or path)"
        raise doc.error("domain", f"'domain' must be a bare host name such as {example}, not {value!r}")
    return name


def _allow_outside(doc: YamlMapping, root: Path, value: Any) -> tuple[str, ...]:
    """Folders outside the site its links may lead to: each one named, none of /proc, /sys, /dev."""
    folders = [value] if isinstance(value, str) else value
    if not isinstance(folders, list) or not all(isinstance(f, str) and f.strip() for f in folders):
        raise doc.error("allow_outside", "'allow_outside' must be a list of folders, such as [../shared-images]")
    for folder in folders:
        real = os.path.realpath(root / folder)
        if never_read(real):
            raise doc.error("allow_outside", f"allow_outside: {folder} is {real}, which sitegen never reads")
        if not os.path.isdir(real):
            raise doc.error("allow_outside", f"allow_outside: {folder} is not a folder (looked for {real})")
    return tuple(f.strip() for f in folders)


def _tags(doc: YamlMapping, value: Any) -> tuple[tuple[str, TagSettings], ...]:
    """Tags' slugs, titles and descriptions: {"C#": {slug: csharp, title: "C#", description: ...}}."""
    if not isinstance(value, dict):
        raise doc.error("tags", "'tags' must map tags to their settings, such as {\"C#\": {slug: csharp}}")
    found = []
    for name, settings in value.items():
        if not isinstance(name, str | int) or not str(name).strip():
            raise doc.error("tags", f"tags: {name!r} is not a tag's name")
        section = fields.section(doc, "tags", settings, ("slug", "title", "description"))
        texts = {key: fields.text(doc, "tags", section[key]) for key in section}
        slug = texts.get("slug")
        if slug is not None and not is_safe_slug(slug):
            raise doc.error("tags", f"tags: the slug of {name!r} must be one path segment of letters and digits")
        found.append((str(name).strip(), TagSettings(slug, texts.get("title"), texts.get("description"))))
    return tuple(found)


def _url(doc: YamlMapping, key: str, value: Any) -> str:
    url = fields.text(doc, key, value)
    if not is_safe_url(url):
        raise doc.error(key, fields.unsafe_url(key, url))
    return url


def _theme_name(doc: YamlMapping, key: str, value: Any) -> str:
    """A theme's name: a folder of themes/ (or one sitegen ships), never a path."""
    name = fields.text(doc, key, value)
    if not is_safe_slug(name):
        raise doc.error(key, f"'{key}' must be the name of a theme (a folder of themes/), not a path: {name!r}")
    return name


def _extra(doc: YamlMapping, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise doc.error("extra", "'extra' must be a mapping")
    return {"extra": MappingProxyType(value)}


# Each key of site.yaml maps to a function of (document, value, site folder) returning the SiteConfig
# fields it sets.
_KEYS: dict[str, Callable[[YamlMapping, Any, Path], dict[str, Any]]] = {
    "title": lambda d, v, _root: {"title": fields.text(d, "title", v)},
    "url": lambda d, v, _root: {"url": check_url(d, fields.text(d, "url", v))},
    "description": lambda d, v, _root: {"description": "" if v is None else fields.text(d, "description", v)},
    "language": lambda d, v, _root: {"language": _language(d, v)},
    "timezone": lambda d, v, _root: {"timezone": _timezone(d, v)},
    "theme": lambda d, v, _root: {"theme": _theme_name(d, "theme", v)},
    "author": lambda d, v, _root: {"author": fields.text(d, "author", v)},
    "paginate": lambda d, v, _root: {"paginate": fields.count(d, "paginate", v)},
    "permalinks": lambda d, v, _root: _permalinks(d, v),
    "redirects": lambda d, v, _root: {"redirects": _redirects(d, v)},
    "strings": lambda d, v, _root: {"strings": _strings(d, v)},
    "plugins": lambda d, v, _root: {"plugins": _plugins(d, v)},
    "markdown": lambda d, v, _root: _markdown(d, v),
    "feed": lambda d, v, _root: _feed(d, v),
    "connect": lambda d, v, _root: _connect(d, v),
    "image": lambda d, v, _root: {"image": _url(d, "image", v)},
    "font": lambda d, v, _root: {"font": _font(d, v)},
    "images": lambda d, v, _root: _images(d, v),
    "numbering": lambda d, v, _root: _numbering(d, v),
    "social_cards": lambda d, v, _root: {"social_cards": fields.flag_value(d, "social_cards", v)},
    "search": lambda d, v, _root: {"search": fields.flag_value(d, "search", v)},
    "domain": lambda d, v, _root: {"domain": _domain(d, v)},
    "extra": lambda d, v, _root: _extra(d, v),
    "allow_outside": lambda d, v, root: {"allow_outside": _allow_outside(d, root, v)},
    "tags": lambda d, v, _root: {"tags": _tags(d, v)},
    "subscribe": lambda d, v, _root: {"subscribe": subscribe_of(d, "subscribe", v)},
    "email": lambda d, v, _root: {"email": email_settings_of(d, v)},
}
KNOWN_KEYS = tuple(_KEYS)


def load_config(root: Path, base_url: str | None = None, file: Path | None = None) -> SiteConfig:
    """Read and validate `root/site.yaml` (or `file`).

    Args:
        root: the site folder.
        base_url: overrides the `url` key (for previews and project pages).
        file: the settings file named with --config, instead of root/site.yaml. The writer named
            it, so it may lie outside the site; root/site.yaml may not lead out of it.

    Raises:
        SiteError: for a missing file, invalid YAML, an unknown key or a bad value.
    """
    # absolute: errors name it as the writer can open it from where they are (a relative path
    # would be read as relative to the site folder)
    path = (file if file is not None else root / CONFIG_NAME).absolute()
    if not path.is_file():
        raise SiteError(f"no {path.name} here: is this a sitegen site? (run `sitegen init` to make one)", path)
    if file is None:
        Boundary.of(root).check_path(path, CONFIG_NAME)  # a link to a file outside is never read
    doc = parse_yaml_mapping(read_text(path), path)
    settings: dict[str, Any] = {}
    for key, value in doc.data.items():
        if key not in _KEYS:
            hint = did_you_mean(key, KNOWN_KEYS) or "free-form data goes under 'extra:'"
            raise doc.error(key, f"unknown key '{key}'", hint)
        settings.update(_KEYS[key](doc, value, root))
    if base_url is not None:
        settings["url"] = check_url(None, base_url)
    for required in ("title", "url"):
        if required not in settings:
            raise doc.error(required, f"'{required}' is required in {path.name}")
    return SiteConfig(root=root, **settings)

"""The words of a theme in the site's language: each theme may ship i18n/<language>.yaml (the
default theme ships en, fr, de, es, ja and zh), a child theme's words win over its parents', and
site.yaml's `strings:` over all. A word missing in a language is the English one."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import markupsafe

from ..errors import SiteError, did_you_mean
from ..source.textfile import read_text
from ..source.words import Text, check_text
from ..source.yamldoc import YamlMapping, parse_yaml_mapping
from .locale import plural_form


@dataclass(frozen=True, eq=False)  # by identity: its texts are remembered per object (see _plain_text)
class Strings:
    """The words of one site's theme in its language."""

    language: str
    table: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))

    def text(self, key: str, count: object = None, **values: object) -> markupsafe.Markup:
        """The words for `key`, in the plural form of `count` if given, with `values` (and
        `count`) put in its {placeholders}; escaped, but for values that are markup already.

        Raises:
            KeyError: for a key no table has (a theme's typo: the template's line is named).
        """
        if not values and (count is None or isinstance(count, int)):
            return self._remembered(key, count)  # most words: a menu's, a heading's, a count
        return self._escaped(key, count, values)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - a Strings lives as long as its renderer
    def _remembered(self, key: str, count: int | None) -> markupsafe.Markup:
        """`text` of a key with no value but its count, made once per key and count."""
        return self._escaped(key, count, {})

    def _escaped(self, key: str, count: object, values: dict[str, object]) -> markupsafe.Markup:
        found = self._form(key, count, values)
        escaped = {name: markupsafe.escape(value) for name, value in values.items()}  # markup stays as it is
        return markupsafe.Markup(fill(str(markupsafe.escape(found)), escaped))

    def plain(self, key: str, count: object = None, **values: object) -> str:
        """`text` for a plain-text page (the email edition's text): nothing escaped."""
        return fill(self._form(key, count, values), {name: str(value) for name, value in values.items()})

    def _form(self, key: str, count: object, values: dict[str, object]) -> str:
        """The text of `key` for `count` (the form CLDR gives the number; `count` may also be
        markup holding it), `count` added to `values`."""
        found = self.table[key]
        if count is not None:
            values["count"] = count
        if isinstance(found, str):
            return found
        number = count if isinstance(count, int) else _number_in(str(count))
        form = plural_form(number, self.language) if number is not None else "other"
        return found.get(form) or found["other"]

    def words(self, key: str) -> Text:
        """The text of `key` as written, {placeholders} and plural forms and all (for a script
        that fills them in: see the theme's search.js)."""
        return self.table[key]


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text: str, values: Mapping[str, object]) -> str:
    """`text` with each {name} of `values` put in; any other brace left as written. (Never
    str.format: a site's words could then reach into the values' attributes, past the sandbox.)"""
    return _PLACEHOLDER.sub(lambda found: str(values[found[1]]) if found[1] in values else found[0], text)


def i18n_dirs(theme_dirs: Iterable[Path], default: Path) -> list[Path]:
    """The folders of words, lowest first: the default theme's, then the theme's parents', then its own."""
    found = [default / "i18n"]
    for folder in reversed(list(theme_dirs)):
        if folder / "i18n" not in found:
            found.append(folder / "i18n")
    return found


def load_strings(
    folders: Iterable[Path], language: str, overrides: Iterable[tuple[str, Text, int]] = (), settings: str = "site.yaml"
) -> Strings:
    """The words of `language` (then its base language: fr-CA, fr), over English, from `folders`
    (lowest first), and `overrides` (key, text, line) from site.yaml (named `settings`) over all.

    Raises:
        SiteError: for a file of words that is not a mapping of known keys to texts, or an
            override of a key no theme has.
    """
    folders = list(folders)
    names = ["en", *_fallbacks(language)]
    table: dict[str, Text] = {}
    known: set[str] = set()
    for name in names:
        for folder in folders:
            path = folder / f"{name}.yaml"
            if path.is_file():
                words = _words(parse_yaml_mapping(read_text(path), path), known if name != "en" else None)
                if name == "en":
                    known |= set(words)
                table.update(words)
    for key, text, line in overrides:
        if key not in known:
            raise SiteError(f"strings: unknown string {key!r}", settings, line, 3, did_you_mean(key, sorted(known)))
        table[key] = text
    return Strings(language, MappingProxyType(table))


def _fallbacks(language: str) -> list[str]:
    """zh-Hant-TW -> [zh, zh-Hant, zh-Hant-TW]: the more precise, the later (it wins)."""
    parts = language.split("-")
    return [name for name in ("-".join(parts[:n]) for n in range(1, len(parts) + 1)) if name != "en"]


def _words(doc: YamlMapping, known: set[str] | None) -> dict[str, Text]:
    """The words of one file, each checked: known keys (when `known` is given), strings or plural forms."""
    found: dict[str, Text] = {}
    for key, value in doc.data.items():
        if known is not None and key not in known:
            raise doc.error(key, f"unknown string {key!r}", did_you_mean(str(key), sorted(known)))
        found[str(key)] = check_text(doc, (str(key),), value)
    return found


def _number_in(text: str) -> int | None:
    """The number in a count given as markup (<span data-note-length>142</span>), if any."""
    digits = "".join(char for char in markupsafe.Markup(text).striptags() if char.isdigit())
    return int(digits) if digits else None

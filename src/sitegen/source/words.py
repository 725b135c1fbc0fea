"""The shape of a theme's words (i18n/<language>.yaml, site.yaml's `strings:`): each key is
text, or the plural forms of a text that counts something (see render/strings.py)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .yamldoc import YamlMapping

Text = str | Mapping[str, str]
"""A string, or its plural forms ({one: "1 letter", other: "{count} letters"})."""
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories (English has one and other; Arabic all six)."""


def check_text(doc: YamlMapping, where: tuple[str, ...], value: Any) -> Text:
    """A string, or a mapping of plural forms to strings with at least `other`.

    Raises:
        SiteError: at `where` in `doc`, for anything else.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "other" in value and all(
        form in PLURAL_FORMS and isinstance(text, str) for form, text in value.items()
    ):
        return MappingProxyType(dict(value))
    message = f"{where[-1]} must be text, or plural forms such as {{one: 1 letter, other: '{{count}} letters'}}"
    raise doc.error_at(where, message)

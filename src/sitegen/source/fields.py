"""Typed reads of YAML values (site.yaml and front matter), each failure pointing at the key's line."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import did_you_mean
from .urls import is_safe_url
from .yamldoc import YamlMapping

FIRST_YEAR = 1000
"""The earliest year of a date: feeds write dates with four-digit years."""


def text(doc: YamlMapping, key: str, value: Any) -> str:
    """A non-empty text, stripped (site.yaml's settings: numbers are refused)."""
    if not isinstance(value, str) or not value.strip():
        raise doc.error(key, f"'{key}' must be a non-empty text")
    return value.strip()


def flag_value(doc: YamlMapping, key: str, value: Any) -> bool:
    """A true/false value."""
    if not isinstance(value, bool):
        raise doc.error(key, f"'{key}' must be true or false, not {value!r}")
    return value


def count(doc: YamlMapping, key: str, value: Any) -> int:
    """A whole number of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise doc.error(key, f"'{key}' must be a whole number of at least 1")
    return value


def section(doc: YamlMapping, key: str, value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
    """A nested mapping with known keys only."""
    if not isinstance(value, dict):
        raise doc.error(key, f"'{key}' must be a mapping, such as {{{allowed[0]}: ...}}")
    for sub in value:
        if sub not in allowed:
            raise doc.error(key, f"unknown key '{key}.{sub}'", did_you_mean(str(sub), allowed))
    return value


def opt_text(doc: YamlMapping, key: str) -> str | None:
    """An optional text value of front matter (numbers are accepted and turned into text)."""
    value = doc.data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise doc.error(key, f"'{key}' must be text, not {_kind(value)}")
    stripped = str(value).strip()
    return stripped or None


def unsafe_url(key: str, url: str) -> str:
    """The message for a URL of a scheme that may not reach a page."""
    return f"'{key}' must be an http, https or mailto address, or one within the site, not {url!r}"


def opt_url(doc: YamlMapping, key: str) -> str | None:
    """An optional URL: relative, or http, https or mailto (see urls.py)."""
    url = opt_text(doc, key)
    if url is not None and not is_safe_url(url):
        raise doc.error(key, unsafe_url(key, url))
    return url


def req_text(doc: YamlMapping, key: str, what: str) -> str:
    """A required, non-empty text value of front matter."""
    if key not in doc.data or doc.data[key] is None:
        raise doc.error(key, f"missing required field '{key}' ({what})")
    found = opt_text(doc, key)
    if found is None:
        raise doc.error(key, f"'{key}' must not be empty")
    return found


def flag(doc: YamlMapping, key: str, default: bool = False) -> bool:
    """A true/false value of front matter."""
    return flag_value(doc, key, doc.data.get(key, default))


def text_list(doc: YamlMapping, key: str) -> tuple[str, ...]:
    """A list of texts; a single text is a list of one."""
    value = doc.data.get(key)
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise doc.error(key, f"'{key}' must be a list such as [one, two], not {_kind(value)}")
    wrong = next((i for i in items if isinstance(i, bool) or not isinstance(i, str | int)), None)
    if wrong is not None or None in items:
        raise doc.error(key, f"'{key}' must be a list of texts such as [one, two], and {_item(wrong)} is not a text")
    return tuple(dict.fromkeys(str(i).strip() for i in items if str(i).strip()))


def moment(doc: YamlMapping, key: str, zone: ZoneInfo, required: bool) -> datetime | None:
    """A date or datetime; a value without a zone takes `zone`."""
    value = doc.data.get(key)
    if value is None:
        if required:
            raise doc.error(key, f"missing required field '{key}' (such as {key}: 2024-03-05)")
        return None
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            result = datetime.fromisoformat(value.strip())
        except ValueError:
            raise doc.error(
                key,
                f"'{key}' is not a date: {value!r} (use 2024-03-05, 2024-03-05 09:30 "
                "or 2024-03-05T09:30:00-05:00)",
            ) from None
    else:
        raise doc.error(key, f"'{key}' must be a date such as 2024-03-05, not {_kind(value)}")
    if result.year < FIRST_YEAR:  # feeds write years of four digits: the year 1 became "1"
        raise doc.error(key, f"'{key}' is in the year {result.year}: dates start in the year {FIRST_YEAR}")
    return result if result.tzinfo is not None else result.replace(tzinfo=zone)


def _item(value: Any) -> str:
    """How an item of a list is named in an error: [a] as "[a]", not "['a']"."""
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return "an empty item" if value is None else repr(value)


def _kind(value: Any) -> str:
    names = {list: "a list", dict: "a mapping", bool: "true/false", type(None): "nothing"}
    return names.get(type(value), repr(value))

"""What the site's language changes besides words: how dates are written, which plural form a
count takes, and which way the text runs. The only importer of Babel (CLDR's data)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

ENGLISH_DATE, ENGLISH_DAY = "d MMMM y", "d MMMM"
"""English as the theme has always written it (5 March 2024), not CLDR's American March 5, 2024."""


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    """The CLDR locale of a site's language (pt-BR, zh-Hant-TW...); English for one CLDR lacks."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=65536)  # each letter's date is shown on its page, in lists and feeds: made once
def long_date(moment: date, language: str) -> str:
    """5 March 2024, 5 mars 2024, 2024年3月5日."""
    locale = _locale(language)
    if locale.language == "en":
        return format_date(moment, ENGLISH_DATE, locale=locale)
    return format_date(moment, "long", locale=locale)


@lru_cache(maxsize=65536)
def day_and_month(moment: date, language: str) -> str:
    """5 March, 5 mars, 3月5日 (the archive lists each year's letters under the year)."""
    locale = _locale(language)
    if locale.language == "en":
        return format_date(moment, ENGLISH_DAY, locale=locale)
    return format_skeleton("MMMMd", moment, locale=locale)


def plural_form(count: int, language: str) -> str:
    """CLDR's plural category of `count` in `language`: one, two, few, many or other."""
    return _locale(language).plural_form(count)


def is_right_to_left(language: str) -> bool:
    """Whether `language` is written right to left (Arabic, Hebrew, Persian, Urdu...)."""
    return _locale(language).character_order == "right-to-left"

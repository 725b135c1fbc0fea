"""The Markdown rules plugins add (see source/plugins.py), kept apart from markdown.py so that a
build that parses nothing need not import markdown-it to know them."""

from __future__ import annotations

from ..source.plugins import MarkdownRule

_rules: tuple[MarkdownRule, ...] = ()


def use_markdown_rules(rules: tuple[MarkdownRule, ...]) -> None:
    """Give every parser made from now on `rules` (set before the parse workers fork: they inherit it)."""
    global _rules
    _rules = rules


def markdown_rules() -> tuple[MarkdownRule, ...]:
    """The plugins' rules in use."""
    return _rules

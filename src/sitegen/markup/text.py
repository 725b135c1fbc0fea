"""A Markdown body as plain text, for the text part of an email: made from the same tokens as its
HTML, in the same pass (reading the HTML again would cost a second parse of every letter).

Headings are underlined, paragraphs wrapped at 72 columns, lists and quotes kept (`- `, `1. `,
`> `), code indented; links and images become numbered references (`words [1]`, `[Image: alt] [2]`) whose addresses
follow the text, after a record separator, one a line (made absolute when the email is made).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..source.plaintext import columns


class Token(Protocol):
    """What this module reads of a markdown-it token (markdown.py is the one importer of markdown-it)."""

    type: str
    tag: str
    nesting: int
    content: str
    children: list[Token] | None
    meta: dict[Any, Any]

    def attrGet(self, name: str) -> Any:
        """An attribute's value."""

WIDTH = 72
REFERENCES = "\x1e"
"""Between the text and its references' addresses (a character no text file may hold)."""
_TAG = re.compile(r"<[^>]+>")


@dataclass
class _Node:
    token: Token | None
    children: list[_Node] = field(default_factory=list)


def _tree(tokens: Sequence[Token]) -> _Node:
    """The block tokens as a tree: each *_open token holds what comes before its *_close."""
    root = _Node(None)
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token)
            stack[-1].children.append(node)
            stack.append(node)
        elif token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].children.append(_Node(token))
    return root


class _Writer:
    def __init__(self) -> None:
        self.urls: list[str] = []
        self._href = ""
        """The address of the link being written."""

    def reference(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1

    def inline(self, token: Token) -> str:
        """The text of an inline token, links and images as references."""
        parts: list[str] = []
        for child in token.children or ():
            kind = child.type
            if kind in ("text", "code_inline"):
                parts.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                parts.append("\n" if kind == "hardbreak" else " ")
            elif kind == "link_close":
                parts.append(f" [{self.reference(self._href)}]")
            elif kind == "link_open":
                self._href = str(child.attrGet("href") or "")
            elif kind == "image":
                alt = "".join(c.content for c in child.children or ())
                shown = f"[Image: {alt}]" if alt else "[Image]"
                parts.append(f"{shown} [{self.reference(str(child.attrGet('src') or ''))}]")
            elif kind == "html_inline":
                parts.append(html.unescape(_TAG.sub("", child.content)))
            elif kind == "footnote_ref":
                parts.append(f"[^{child.meta.get('id', 0) + 1}]")
        return "".join(parts)

    def blocks(self, nodes: list[_Node], width: int) -> list[str]:
        """Each block of `nodes` as text no wider than `width` (what can be wrapped)."""
        found = []
        for node in nodes:
            text = self.block(node, width)
            if text.strip():
                found.append(text)
        return found

    def block(self, node: _Node, width: int) -> str:
        token = node.token
        assert token is not None
        kind = token.type
        if kind in ("paragraph_open", "inline", "figcaption_open"):
            inline = next((c.token for c in node.children if c.token and c.token.type == "inline"), token)
            # a figcaption is a quote's source (see markdown._attributed_quotes)
            return _wrap(("\u2014 " if kind == "figcaption_open" else "") + self.inline(inline), width)
        if kind == "heading_open":
            text = " ".join(" ".join(self.inline(c.token) for c in node.children if c.token).split())
            level = int(token.tag[1])
            if level <= 2:
                return f"{text}\n{'=' * min(columns(text), width)}"
            if level == 3:
                return f"{text}\n{'-' * min(columns(text), width)}"
            return f"{'#' * level} {text}"
        if kind in ("bullet_list_open", "ordered_list_open"):
            return self._list(node, width, ordered=kind == "ordered_list_open")
        if kind == "blockquote_open":
            inner = "\n\n".join(self.blocks(node.children, width - 2))
            return "\n".join(("> " + line).rstrip() for line in inner.splitlines())
        if kind in ("fence", "code_block"):
            return "\n".join(("    " + line).rstrip() for line in token.content.rstrip("\n").splitlines())
        if kind == "hr":
            return "* * *"
        if kind == "html_block":
            return _wrap(html.unescape(_TAG.sub("", token.content)), width)
        if kind == "table_open":
            return self._table(node)
        if kind == "footnote_block_open":
            notes = [f"[^{n}] " + " ".join(self.blocks(c.children, width)) for n, c in enumerate(node.children, 1)]
            return "\n".join(notes)
        return "\n\n".join(self.blocks(node.children, width))

    def _list(self, node: _Node, width: int, ordered: bool) -> str:
        start = int(node.token.attrGet("start") or 1) if node.token and ordered else 1
        items = []
        for number, item in enumerate(node.children, start):
            marker = f"{number}. " if ordered else "- "
            inner = "\n".join(self.blocks(item.children, width - len(marker)))
            lines = inner.splitlines() or [""]
            items.append("\n".join([marker + lines[0], *((" " * len(marker) + line).rstrip() for line in lines[1:])]))
        return "\n".join(items)

    def _table(self, node: _Node) -> str:
        rows = []
        for cells in _rows(node):
            rows.append(" | ".join(" ".join(self.inline(cell).split()) for cell in cells))
        return "\n".join(rows)


def _rows(node: _Node) -> list[list[Token]]:
    """The inline token of each cell, row by row."""
    found: list[list[Token]] = []
    for child in node.children:
        if child.token is not None and child.token.type == "tr_open":
            found.append([c.children[0].token for c in child.children if c.children and c.children[0].token])
        else:
            found += _rows(child)
    return found


def _wrap(text: str, width: int) -> str:
    """`text` in lines of at most `width` characters, at spaces (a longer word has a line of its
    own), its hard breaks kept. (One regular expression: textwrap took half of all text's time.)"""
    pattern = _LINES.get(width) or _LINES.setdefault(width, re.compile(rf"\S.{{0,{max(20, width) - 1}}}(?=\s|$)|\S+"))
    return "\n".join("\n".join(pattern.findall(" ".join(line.split()))) for line in text.split("\n"))


_LINES: dict[int, re.Pattern[str]] = {}


def plain_text(tokens: Sequence[Any]) -> str:
    """The body as plain text, then REFERENCES and the address of each reference, one a line.

    Args:
        tokens: markdown-it's tokens of the body (read as the Token protocol above describes them).
    """
    writer = _Writer()
    text = "\n\n".join(writer.blocks(_tree(tokens).children, WIDTH))
    return text + REFERENCES + "\n".join(writer.urls)


def with_references(stored: str, absolute: dict[str, str] | None = None) -> str:
    """The text of `plain_text` as an email shows it: its references listed at the end, each
    address as `absolute` gives it."""
    text, _, urls = stored.partition(REFERENCES)
    listed = [absolute.get(url, url) if absolute else url for url in urls.splitlines() if url]
    if not listed:
        return text
    return text + "\n\nLinks:\n" + "\n".join(f"[{n}] {url}" for n, url in enumerate(listed, 1))


def references(stored: str) -> list[str]:
    """The addresses of the references of a stored text."""
    return [url for url in stored.partition(REFERENCES)[2].splitlines() if url]

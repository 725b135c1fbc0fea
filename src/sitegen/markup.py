"""The only importer of markdown-it-py, its plugins and Pygments: Markdown body -> Rendered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from mdit_py_plugins.wordcount import wordcount_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.token import Text as TextToken
from pygments.util import ClassNotFound

from .model import Heading, Rendered
from .slugs import slugify

# Attributes a writer may set with {#id .class key=value}; anything else (style, on*) is dropped,
# because every file in a site is treated as untrusted input.
SAFE_ATTRS = ("id", "class", "width", "height", "lang", "dir", "title", "loading")
TOC_LEVELS = (2, 3)
_FORMATTER = HtmlFormatter(nowrap=True)
PYGMENTS_LIGHT = "default"
PYGMENTS_DARK = "github-dark"


def _highlight(code: str, lang: str, _attrs: Any) -> str:
    """Highlight a fenced block with Pygments; unknown languages stay plain (escaped by caller)."""
    if not lang:
        return ""
    try:
        lexer = get_lexer_by_name(lang.split()[0])
    except ClassNotFound:
        return ""
    return str(highlight(code, lexer, _FORMATTER))


@lru_cache(maxsize=2)
def markdown_parser(allow_html: bool) -> MarkdownIt:
    """Build (once per process) the configured parser.

    Args:
        allow_html: pass raw HTML through; when False it is shown as text.
    """
    md = MarkdownIt(
        "commonmark",
        {"html": allow_html, "typographer": False, "highlight": _highlight},
    )
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    md.use(tasklists_plugin, label=True)
    md.use(attrs_plugin, allowed=SAFE_ATTRS)
    md.use(attrs_block_plugin, allowed=SAFE_ATTRS)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_slug)
    md.use(wordcount_plugin, per_minute=230, count_func=count_words)
    _make_wide_blocks_scrollable(md)
    return md


def _make_wide_blocks_scrollable(md: MarkdownIt) -> None:
    """Code blocks and tables scroll sideways on narrow screens: make them keyboard-focusable
    regions (WCAG 2.1.1) in the HTML itself, so it works with JavaScript off and in feeds."""
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    default_fence = renderer.rules["fence"]
    default_code_block = renderer.rules["code_block"]

    def fence(self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return str(default_fence(tokens, idx, options, env)).replace("<pre>", '<pre tabindex="0">', 1)

    def code_block(self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return str(default_code_block(tokens, idx, options, env)).replace("<pre>", '<pre tabindex="0">', 1)

    def table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        table = self.renderToken(tokens, idx, options, env)
        return f'<div class="table-scroll" tabindex="0" role="region" aria-label="Table">\n{table}'

    def table_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        return f"{self.renderToken(tokens, idx, options, env)}</div>\n"

    md.add_render_rule("fence", fence)
    md.add_render_rule("code_block", code_block)
    md.add_render_rule("table_open", table_open)
    md.add_render_rule("table_close", table_close)


CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
WORD = re.compile(f"[^\\W\\d_{CJK}]+")
CJK_CHARACTER = re.compile(f"[{CJK}]")


def count_words(text: str) -> int:
    """Words for reading time: runs of letters, and a CJK character as half a word (written
    without spaces, a character reads about twice as fast as a word). Regular expressions keep it
    in C: the plugin's own counter was a sixth of all Markdown time."""
    return len(WORD.findall(text)) + (len(CJK_CHARACTER.findall(text)) + 1) // 2


def _heading_slug(text: str) -> str:
    return slugify(text) or "section"


def render_markdown(body: str, allow_html: bool = True) -> Rendered:
    """Render a Markdown body to HTML, with its table of contents and word count."""
    md = markdown_parser(allow_html)
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    return Rendered(
        toc=_headings(tokens),
        words=int(env.get("wordcount", {}).get("words", 0)),
        first_paragraph=_first_paragraph(tokens),
        inline_html=html,
        markdown_only=not _has_raw_html(tokens),
    )


def _has_raw_html(tokens: Sequence[Token]) -> bool:
    for token in tokens:
        if token.type in ("html_block", "html_inline"):
            return True
        if token.children and any(child.type == "html_inline" for child in token.children):
            return True
    return False


def _plain_text(inline: Token) -> str:
    """The text of an inline token without its Markdown markup."""
    # an image counts as its alt text, so a post that is only a photo still has a summary
    parts = [
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in inline.children or ()
        if child.type in ("text", "code_inline", "softbreak", "hardbreak", "image")
    ]
    return " ".join("".join(parts).split())


def _headings(tokens: Sequence[Token]) -> tuple[Heading, ...]:
    found: list[Heading] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and int(token.tag[1]) in TOC_LEVELS:
            text = _plain_text(tokens[i + 1])
            found.append(Heading(int(token.tag[1]), text, str(token.attrGet("id") or "")))
    return tuple(found)


def _first_paragraph(tokens: Sequence[Token]) -> str:
    for i, token in enumerate(tokens):
        # level 0 skips paragraphs inside quotes, lists and footnotes
        if token.type == "paragraph_open" and token.level == 0:
            text = _plain_text(tokens[i + 1])
            if text:
                return text
    return ""


def _style_css(style_name: str, indent: str = "") -> str:
    formatter = HtmlFormatter(style=style_name)
    style = formatter.style
    text_color = style.style_for_token(TextToken)["color"] or ("000000" if style_name == PYGMENTS_LIGHT else "e6edf3")
    rules = [f"pre {{ background: {style.background_color}; color: #{text_color}; }}"]
    rules += list(formatter.get_token_style_defs("pre code"))  # type: ignore[no-untyped-call]
    return "\n".join(indent + rule for rule in rules)


def pygments_css() -> str:
    """Stylesheet for code blocks, light and dark, from Pygments' styles (the theme ships it)."""
    return (
        f"/* Generated by sitegen from Pygments styles {PYGMENTS_LIGHT!r} and {PYGMENTS_DARK!r}. */\n"
        f"{_style_css(PYGMENTS_LIGHT)}\n"
        f"@media (prefers-color-scheme: dark) {{\n{_style_css(PYGMENTS_DARK, '  ')}\n}}\n"
    )

"""The only importer of markdown-it-py, its plugins and Pygments: Markdown body -> Rendered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Text as TextToken
from pygments.util import ClassNotFound

from ..source.slugs import slugify
from .rendered import BodyLink, Heading, Rendered
from .text import plain_text

# Attributes a writer may set with {#id .class key=value}; anything else (style, on*) is dropped,
# because every file in a site is treated as untrusted input.
SAFE_ATTRS = ("id", "class", "width", "height", "lang", "dir", "title", "loading")
TOC_LEVELS = (2, 3)
_FORMATTER = HtmlFormatter(nowrap=True)
PYGMENTS_LIGHT = "default"
PYGMENTS_DARK = "github-dark"


def _highlight(code: str, lang: str, _attrs: Any) -> str:
    """Highlight a fenced block with Pygments; unknown languages stay plain (escaped by caller)."""
    lexer = _lexer(lang.split()[0]) if lang else None
    return str(highlight(code, lexer, _FORMATTER)) if lexer else ""


@lru_cache(maxsize=64)
def _lexer(name: str) -> Lexer | None:
    """The Pygments lexer for a language name, made once: looking it up costs as much as
    highlighting a short block, and a lexer keeps no state between blocks."""
    try:
        return get_lexer_by_name(name)
    except ClassNotFound:
        return None


# Link destinations markdown-it's normalizeLink returns unchanged: an http(s) URL with a plain
# host, or a relative one, made only of characters its percent-encoding keeps. Most links are
# such; parsing and re-encoding each one was 5 % of all Markdown time.
_URL_TAIL = r"(?:[A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]|%[0-9A-Fa-f]{2})*"
_PLAIN_URL = re.compile(
    r"(?:https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]{1,5})?(?:[/?#]" + _URL_TAIL + r")?"
    r"|(?:/(?!/)|[?#]|\.{1,2}/|[A-Za-z0-9_.~-]+(?=[/?#]|\Z))" + _URL_TAIL + r")\Z"
)


class _Parser(MarkdownIt):
    def normalizeLink(self, url: str) -> str:
        return url if _PLAIN_URL.match(url) else super().normalizeLink(url)


_TASK_MARKER = re.compile(r"\[[ xX]\]")


@dataclass(frozen=True, slots=True)
class Syntax:
    """The optional syntax a body uses. A parser without a rule gives the same HTML as one with
    it when the body lacks the rule's marker, and is faster: strikethrough's pass over every
    delimiter was 7 % of all Markdown time on posts that never strike anything out."""

    strikethrough: bool = True
    footnotes: bool = True
    tasks: bool = True
    """`- [ ]` and `- [x]` list items."""
    attributes: bool = True
    """`{#id .class}` after a block or an inline element."""

    @classmethod
    def of(cls, body: str) -> Syntax:
        """What `body` may use, judged by the markers each rule needs. (A one-character search
        comes first: on text with non-ASCII letters, looking for "~~" took 30 times longer.)"""
        return cls(
            strikethrough="~" in body and "~~" in body,
            footnotes="^" in body and ("[^" in body or "^[" in body),
            tasks="[" in body and _TASK_MARKER.search(body) is not None,
            attributes="{" in body,
        )


@lru_cache(maxsize=64)
def markdown_parser(allow_html: bool, syntax: Syntax = Syntax()) -> MarkdownIt:
    """Build (once per process and kind of body) the configured parser.

    Args:
        allow_html: pass raw HTML through; when False it is shown as text.
        syntax: the optional rules to turn on (all, by default).
    """
    md = _Parser(
        "commonmark",
        {"html": allow_html, "typographer": False, "highlight": _highlight},
    )
    md.enable(["table", "strikethrough"] if syntax.strikethrough else ["table"])
    if syntax.footnotes:
        md.use(footnote_plugin)
    if syntax.tasks:
        md.use(tasklists_plugin, label=True)
    if syntax.attributes:
        md.use(attrs_plugin, allowed=SAFE_ATTRS)
        md.use(attrs_block_plugin, allowed=SAFE_ATTRS)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_slug)
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
CJK_CHARACTER = re.compile(f"[{CJK}]")


def count_words(text: str) -> int:
    """Words for reading time: what is written between spaces (as `wc -w` counts), and a CJK
    character as half a word (written without spaces, a character reads about twice as fast as
    a word). str.split runs in C: a regular expression for runs of letters took 11 % of all
    Markdown time."""
    cjk = len(CJK_CHARACTER.findall(text))
    return len(text.split()) + (cjk + 1) // 2 if cjk else len(text.split())


def _heading_slug(text: str) -> str:
    return slugify(text) or "section"


def render_markdown(body: str, allow_html: bool = True, with_text: bool = False) -> Rendered:
    """Render a Markdown body to HTML, with its table of contents and word count (and, with
    `with_text`, as plain text: see text.py)."""
    md = markdown_parser(allow_html, Syntax.of(body))
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    toc, words, first_paragraph, raw_html, links = _survey(tokens)
    return Rendered(
        toc=toc,
        words=words,
        first_paragraph=first_paragraph,
        inline_html=html,
        markdown_only=not raw_html,
        links=links,
        inline_text=plain_text(tokens) if with_text else None,
    )


Survey = tuple[tuple[Heading, ...], int, str, bool, tuple[BodyLink, ...]]


def _local(url: str) -> bool:
    """Whether a link leads within the site (to check that its page or image is there)."""
    return bool(url) and not url.startswith(("#", "//")) and _SCHEME.match(url) is None


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _survey(tokens: Sequence[Token]) -> Survey:
    """In one pass over the tokens: the headings of the table of contents, the word count (of
    text a reader reads, as mdit-py-plugins' wordcount does, but with one count per body rather
    than one per text token, which was 15 % of all Markdown time), the first paragraph's text,
    whether the body holds raw HTML, and its links and images within the site."""
    headings: list[Heading] = []
    texts: list[str] = []
    links: list[BodyLink] = []
    first_paragraph = ""
    raw_html = False
    for i, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            for child in token.children or ():
                if child.type == "text":
                    texts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    texts.append(" ")
                elif child.type == "html_inline":
                    raw_html = True
                elif child.type in ("link_open", "image"):
                    url = str(child.attrGet("href" if child.type == "link_open" else "src") or "")
                    if _local(url):
                        line = token.map[0] if token.map else 0
                        links.append(BodyLink(child.type == "image", url, line))
            texts.append(" ")  # the next block starts a new word
        elif kind == "heading_open" and int(token.tag[1]) in TOC_LEVELS:
            text = _plain_text(tokens[i + 1])
            headings.append(Heading(int(token.tag[1]), text, str(token.attrGet("id") or "")))
        # level 0 skips paragraphs inside quotes, lists and footnotes
        elif kind == "paragraph_open" and token.level == 0 and not first_paragraph:
            first_paragraph = _plain_text(tokens[i + 1])
        elif kind == "html_block":
            raw_html = True
    return tuple(headings), count_words("".join(texts)), first_paragraph, raw_html, tuple(links)


def _plain_text(inline: Token) -> str:
    """The text of an inline token without its Markdown markup."""
    # an image counts as its alt text, so a post that is only a photo still has a summary
    parts = [
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for child in inline.children or ()
        if child.type in ("text", "code_inline", "softbreak", "hardbreak", "image")
    ]
    return " ".join("".join(parts).split())


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


def email_code_css() -> str:
    """The code colours of the email edition (the theme ships them as templates/_email_code.css):
    Pygments' light style alone, for they are inlined into each element."""
    rules = HtmlFormatter(style=PYGMENTS_LIGHT).get_token_style_defs("pre code")  # type: ignore[no-untyped-call]
    return (
        "/* Code colours (Pygments' default style), inlined like the rest. Generated: see tests/test_email.py. */\n"
        + "\n".join(rules) + "\n"
    )

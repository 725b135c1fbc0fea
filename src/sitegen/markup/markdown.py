"""The only importer of markdown-it-py, its plugins and Pygments: Markdown body -> Rendered."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore, replace, smartquotes
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import Text as TextToken
from pygments.util import ClassNotFound

from ..errors import SiteError
from ..source.config import MARKDOWN_EXTRAS
from ..source.plugins import MarkdownRule
from ..source.slugs import slugify
from .rendered import BodyLink, Heading, Rendered
from .rules import markdown_rules
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
_DEFINITION = re.compile(r"\n {0,3}[:~][ \t]")  # after a line break: a literal start, found fast
# A URL or an address written bare: not the destination of a Markdown link ("](https://"), of an
# <autolink> or of an HTML attribute ("href=\"https://"), which the rule would leave as they are.
_URL_START = re.compile(r"https?://|www\.")
_EMAIL = re.compile(r"(?<![<\"'=:/\w.+-])[\w.+-]+@[\w-]+\.\w")


def _has_bare_link(body: str) -> bool:
    """Whether `body` may hold a bare link for GFM autolinks: their rule stops the text at every
    "w", ":" and "@", 15 % of all Markdown time, for bodies that seldom hold one. A link's
    destination ("](https://"), an <autolink> or an attribute (href="https://") is not bare."""
    for found in _URL_START.finditer(body):
        start = found.start()
        before = body[start - 1] if start else " "
        # GFM: a bare link follows the start of a line, a space, or one of * _ ~ (
        if (before.isspace() or before in "*_~(") and body[start - 2 : start] != "](":
            return True
    return "@" in body and _EMAIL.search(body) is not None
EXTRAS = frozenset(MARKDOWN_EXTRAS)
"""The syntax beyond CommonMark that site.yaml's `markdown:` may turn off, each on by default."""


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
    more: bool = True
    """`<!--more-->`, where the excerpt ends."""
    callouts: bool = True
    """`!!! note`, `??? tip` (folded) and `::: warning` blocks."""
    definitions: bool = True
    """Definition lists: a term, then `: its definition`."""
    autolinks: bool = True
    """Bare URLs (https://…, www.…) and email addresses as links, as GitHub makes them."""
    figures: bool = True
    """An image alone in its paragraph, with a title or an italic line under it, as a figure."""

    @classmethod
    def of(cls, body: str, extras: frozenset[str] = EXTRAS) -> Syntax:
        """What `body` may use, judged by the markers each rule needs, of what site.yaml allows
        (`extras`). (A one-character search comes first: on text with non-ASCII letters, looking
        for "~~" took 30 times longer.)"""
        return cls(
            strikethrough="~" in body and "~~" in body,
            footnotes="^" in body and ("[^" in body or "^[" in body),
            tasks="[" in body and _TASK_MARKER.search(body) is not None,
            attributes="{" in body,
            more="<!--" in body and MORE in body,
            callouts="callouts" in extras and ("!!!" in body or "???" in body or ":::" in body),
            definitions="definitions" in extras and _DEFINITION.search(body) is not None,
            autolinks="autolinks" in extras and _has_bare_link(body),
            figures="figures" in extras and "![" in body,
        )


# The quotation marks of each language (markdown-it's `quotes`: double open and close, single open
# and close), after the CLDR; a language not named here gets English's.
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "fr": ("\xab\xa0", "\xa0\xbb", "\u2039\xa0", "\xa0\u203a"),
    "es": ("\xab", "\xbb", "\u201c", "\u201d"),
    "it": ("\xab", "\xbb", "\u201c", "\u201d"),
    "pt": ("\xab", "\xbb", "\u201c", "\u201d"),
    "pt-br": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "nl": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "ru": ("\xab", "\xbb", "\u201e", "\u201c"),
    "uk": ("\xab", "\xbb", "\u201e", "\u201c"),
    "pl": ("\u201e", "\u201d", "\xab", "\xbb"),
    "cs": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "sv": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "fi": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "da": ("\xbb", "\xab", "\u203a", "\u2039"),
    "nb": ("\xab", "\xbb", "\u2018", "\u2019"),
    "ja": ("\u300c", "\u300d", "\u300e", "\u300f"),
    "zh": ("\u201c", "\u201d", "\u2018", "\u2019"),
}


def quotes_for(language: str) -> tuple[str, str, str, str]:
    """The quotation marks of `language` (a code such as fr, pt-BR or en-GB)."""
    code = language.lower()
    return QUOTES.get(code) or QUOTES.get(code.split("-")[0]) or QUOTES["en"]


@lru_cache(maxsize=64)
def markdown_parser(
    allow_html: bool,
    syntax: Syntax = Syntax(),
    quotes: tuple[str, str, str, str] | None = None,
    plugin_rules: tuple[MarkdownRule, ...] = (),
) -> MarkdownIt:
    """Build (once per process and kind of body) the configured parser.

    Args:
        allow_html: pass raw HTML through; when False it is shown as text.
        syntax: the optional rules to turn on (all, by default).
        quotes: with these quotation marks, the typographer: "quotes" curled, ... an ellipsis,
            -- and --- dashes; None leaves the text as written.
    """
    options: dict[str, Any] = {"html": allow_html, "typographer": quotes is not None, "highlight": _highlight}
    if quotes is not None:
        options["quotes"] = list(quotes)
    md = _Parser("commonmark", options)
    md.enable(["table", "strikethrough"] if syntax.strikethrough else ["table"])
    if quotes is not None:
        md.enable(["replacements", "smartquotes"])
    _use_rules(md, syntax, allow_html)
    for rule in plugin_rules:  # the site's plugins' (see source/plugins.py)
        try:
            rule(md)
        except Exception as exc:  # a plugin's failure: one line, not a traceback in a worker
            raise SiteError(f"a plugin's Markdown rule failed: {type(exc).__name__}: {exc}") from None
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=_heading_slug)
    md.core.ruler.push("attributed_quotes", _attributed_quotes)
    _make_wide_blocks_scrollable(md)
    return md


def _use_rules(md: MarkdownIt, syntax: Syntax, allow_html: bool) -> None:
    """Turn on the optional rules `syntax` asks for."""
    if syntax.footnotes:
        md.use(footnote_plugin)
    if syntax.tasks:
        md.use(tasklists_plugin, label=True)
    if syntax.attributes:
        md.use(attrs_plugin, allowed=SAFE_ATTRS)
        md.use(attrs_block_plugin, allowed=SAFE_ATTRS)
    if syntax.callouts:
        md.use(admon_plugin, render=_render_admonition)
        for kind in CALLOUT_KINDS:
            md.use(container_plugin, kind, render=_render_container)
    if syntax.definitions:
        md.use(deflist_plugin)
    if syntax.autolinks:
        md.use(gfm_autolink_plugin)
    if syntax.figures:
        md.core.ruler.push("figures", _figures)
    if syntax.attributes:
        md.core.ruler.after("block", "heading_ids", _heading_ids)
    if syntax.more and not allow_html:
        md.core.ruler.after("block", "more_marker", _more_marker)


MORE = "<!--more-->"
"""On a line of its own, where a post's excerpt ends (as in Hugo and Jekyll)."""


def _more_marker(state: StateCore) -> None:
    """<!--more--> written where raw HTML is shown as text (markdown: {html: false}) is still the
    excerpt's end, never shown: the paragraph holding only it becomes the marker itself."""
    tokens = state.tokens
    for index in range(len(tokens) - 2, 0, -1):
        if tokens[index].type == "inline" and tokens[index].content.strip() == MORE and tokens[index - 1].level == 0:
            marker = Token("html_block", "", 0, content=MORE + "\n", block=True)
            tokens[index - 1 : index + 2] = [marker]


# `## A heading {#its-id}`: an id of letters, digits, "-", "_", ":" and ".", starting with a letter
_HEADING_ID = re.compile(r"\s+\{#([A-Za-z][\w:.-]*)\}\s*$")


def _heading_ids(state: StateCore) -> None:
    """A heading ending in {#its-id} gets that id (as in Hugo, Jekyll and Pandoc), before the
    anchors plugin gives the others one made from their text."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and "{#" in tokens[index + 1].content:
            inline = tokens[index + 1]
            found = _HEADING_ID.search(inline.content)
            if found:
                inline.content = inline.content[: found.start()]
                token.attrSet("id", found[1])


CALLOUT_KINDS = ("note", "tip", "info", "important", "warning", "caution", "danger")
"""The callouts the default theme styles (another kind looks like a note)."""
_KIND = re.compile(r"[a-z][a-z0-9-]{0,30}")


def callout_class(kind: str) -> str:
    """The class of a callout of `kind`, as written (`!!! Warning`), kept to a safe name."""
    kind = kind.lower()
    return f"callout callout--{kind if _KIND.fullmatch(kind) else 'note'}"


def _render_admonition(self: RendererHTML, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    """`!!! note "Title"` as <div role="note">, and `??? tip` (`???+` open) as <details> whose
    <summary> is its title: a reader with a screen reader hears what kind of block it is."""
    token = tokens[idx]
    # the title's closing token has no markup of its own: its opening one, two tokens back, has
    folds = (tokens[idx - 2] if token.type == "admonition_title_close" else token).markup.startswith("?")
    if token.type == "admonition_open":
        kind = str(token.meta.get("tag", "note"))
        if folds:
            return f'<details class="{callout_class(kind)}"{" open" if token.markup.endswith("+") else ""}>\n'
        return f'<div class="{callout_class(kind)}" role="note">\n'
    if token.type == "admonition_close":
        return "</details>\n" if folds else "</div>\n"
    if token.type == "admonition_title_open":
        return '<summary class="callout__title">' if folds else '<p class="callout__title">'
    return "</summary>\n" if folds else "</p>\n"


def _render_container(self: RendererHTML, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    """`::: warning Optional title` ... `:::` as the same callout as `!!! warning`."""
    token = tokens[idx]
    if token.nesting != 1:
        return "</div>\n"
    kind, _, title = token.info.strip().partition(" ")
    title = title.strip() or kind.capitalize()
    return (
        f'<div class="{callout_class(kind)}" role="note">\n'
        f'<p class="callout__title">{html.escape(title)}</p>\n'
    )


def _figures(state: StateCore) -> None:
    """An image alone in its paragraph becomes a figure when it has a caption: its title
    (`![alt](src "caption")`) or an italic line under it (`*caption*`)."""
    tokens = state.tokens
    index = 0
    while index + 2 < len(tokens):
        opening, inline = tokens[index], tokens[index + 1]
        if opening.type != "paragraph_open" or inline.type != "inline" or not inline.children:
            index += 1
            continue
        caption = _caption(inline.children)
        if caption is None:
            index += 1
            continue
        image = inline.children[0]
        if image.attrs.get("title") and caption == image.attrs.get("title"):
            del image.attrs["title"]  # said once, under the image
        figure = [
            Token("figure_open", "figure", 1, block=True, attrs={"class": "figure"}, level=opening.level),
            Token("inline", "", 0, content=inline.content, children=[image], map=inline.map),
            *_caption_and_close(opening.level, _caption_children(inline.children, caption)),
        ]
        tokens[index : index + 3] = figure
        index += len(figure)


def _caption(children: list[Token]) -> str | None:
    """The caption of a paragraph that is an image and, perhaps, an italic line; None for any
    other paragraph, or an image with neither a title nor such a line."""
    if children[0].type != "image":
        return None
    if len(children) == 1:
        title = children[0].attrs.get("title")
        return str(title) if title else None
    rest = children[1:]
    italic = (
        len(rest) >= 4 and rest[0].type == "softbreak" and rest[1].type == "em_open" and rest[-1].type == "em_close"
        and not any(t.type in ("em_open", "em_close") for t in rest[2:-1])
    )
    return "".join(t.content for t in rest[2:-1]) if italic else None


def _caption_children(children: list[Token], caption: str) -> list[Token]:
    """The tokens of the caption: the italic line's own (links and all), or the title as text."""
    if len(children) == 1:
        return [Token("text", "", 0, content=caption)]
    return children[3:-1]


# What starts the attribution line of a quote: an em dash, a horizontal bar, or "--" (which the
# typographer has made an en dash by then), then a space.
_ATTRIBUTION = re.compile(r"^(?:\u2014|\u2015|\u2013|--)\s+")


def _attributed_quotes(state: StateCore) -> None:
    """A quote whose last line is its source (`> — C.S. Lewis`) becomes a figure:
    <figure class="quote"><blockquote>the words</blockquote><figcaption>C.S. Lewis</figcaption>."""
    tokens = state.tokens
    index = len(tokens) - 1
    while index >= 0:
        if tokens[index].type == "blockquote_close":
            start = _opening(tokens, index)
            caption = _attribution(tokens, start, index)
            if caption is not None:
                index = _as_figure(state, start, index, caption)
        index -= 1


def _opening(tokens: list[Token], close: int) -> int:
    """The index of the blockquote_open that `close` ends."""
    depth = 0
    for index in range(close, -1, -1):
        kind = tokens[index].type
        depth += kind == "blockquote_close"
        depth -= kind == "blockquote_open"
        if depth == 0:
            return index
    return 0


def _attribution(tokens: list[Token], start: int, close: int) -> list[Token] | None:
    """Take the attribution line off the end of the quote tokens[start:close]; return its inline
    tokens (None when the quote has none, or would have nothing left)."""
    last = tokens[close - 1]
    if close - start < 4 or last.type != "paragraph_close" or last.level != tokens[start].level + 1:
        return None
    inline = tokens[close - 2]
    children = inline.children or []
    breaks = [i for i, child in enumerate(children) if child.type in ("softbreak", "hardbreak")]
    first = breaks[-1] + 1 if breaks else 0
    if first >= len(children) or children[first].type != "text" or not _ATTRIBUTION.match(children[first].content):
        return None
    if first == 0 and close - 4 == start:  # the quote is nothing but the attribution
        return None
    line = children[first:]
    rest = _ATTRIBUTION.sub("", line[0].content)
    if not rest and len(line) == 1:
        return None
    line[0] = Token("text", "", 0, content=rest)
    if first == 0:  # a paragraph of its own: drop it
        del tokens[close - 3 : close]
    else:
        inline.children = children[: first - 1]
        inline.content = inline.content.rsplit("\n", 1)[0]
    return line


def _caption_and_close(level: int, caption: list[Token]) -> list[Token]:
    """The tokens that end a figure at `level`: its <figcaption> holding `caption`, and </figure>."""
    text = "".join(child.content for child in caption)
    return [
        Token("figcaption_open", "figcaption", 1, level=level + 1, block=True),
        Token("inline", "", 0, level=level + 2, children=caption, content=text),
        Token("figcaption_close", "figcaption", -1, level=level + 1, block=True),
        Token("figure_close", "figure", -1, level=level, block=True),
    ]


def _as_figure(state: StateCore, start: int, close: int, caption: list[Token]) -> int:
    """Wrap tokens[start:close] (after _attribution shortened it) in a figure with `caption`."""
    tokens = state.tokens
    close = next(i for i in range(start, len(tokens)) if tokens[i].type == "blockquote_close" and
                 tokens[i].level == tokens[start].level)
    level = tokens[start].level
    figure = Token("figure_open", "figure", 1, level=level, block=True)
    figure.attrSet("class", "quote")
    tokens[close + 1 : close + 1] = _caption_and_close(level, caption)
    tokens.insert(start, figure)
    for token in tokens[start + 1 : close + 2]:
        token.level += 1
    return start


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


def smarten(text: str, quotes: tuple[str, str, str, str]) -> str:
    """A line of plain text (a title, a summary) with the typographer's quotes, dashes and
    ellipsis, as the body gets them: markdown-it's own rules, run on the text as one token."""
    md = markdown_parser(False, Syntax(), quotes)
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)])
    state = StateCore(text, md, {})
    state.tokens = [inline]
    replace(state)
    smartquotes(state)
    return "".join(child.content for child in inline.children or ())


def render_markdown(
    body: str,
    allow_html: bool = True,
    with_text: bool = False,
    quotes: tuple[str, str, str, str] | None = None,
    extras: frozenset[str] = EXTRAS,
) -> Rendered:
    """Render a Markdown body to HTML, with its table of contents and word count (and, with
    `with_text`, as plain text: see text.py); with `quotes`, through the typographer; with the
    syntax beyond CommonMark that `extras` names (see EXTRAS)."""
    md = markdown_parser(allow_html, Syntax.of(body, extras), quotes, markdown_rules())
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
            raw_html = _survey_inline(token, texts, links) or raw_html
            texts.append(" ")  # the next block starts a new word
        elif kind == "heading_open" and int(token.tag[1]) in TOC_LEVELS:
            text = _plain_text(tokens[i + 1])
            headings.append(Heading(int(token.tag[1]), text, str(token.attrGet("id") or "")))
        # level 0 skips paragraphs inside quotes, lists and footnotes
        elif kind in ("paragraph_open", "figure_open") and token.level == 0 and not first_paragraph:
            first_paragraph = _plain_text(tokens[i + 1])
        elif kind == "html_block":
            if token.content.strip() == MORE and token.level == 0:
                first_paragraph = _excerpt(tokens[:i])
            else:
                raw_html = True
    return tuple(headings), count_words("".join(texts)), first_paragraph, raw_html, tuple(links)


def _excerpt(tokens: Sequence[Token]) -> str:
    """The text of every paragraph of `tokens` (those before <!--more-->), one a line (see
    Rendered.first_paragraph). Made only for a body that has the marker: the plain text of every
    paragraph of every body would cost a tenth of all Markdown time."""
    paragraphs = (
        _plain_text(tokens[i + 1]) for i, token in enumerate(tokens)
        if token.type in ("paragraph_open", "figure_open") and token.level == 0
    )
    return "\n".join(text for text in paragraphs if text)


def _survey_inline(token: Token, texts: list[str], links: list[BodyLink]) -> bool:
    """Add the text and the links within the site of one inline token to `texts` and `links`;
    return whether it holds raw HTML."""
    raw_html = False
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
    return raw_html


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

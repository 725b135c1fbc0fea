"""One Markdown file of content/ -> its validated record and its rendered body."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteWarning
from ..source.config import SiteConfig
from ..source.records import Record, SourcePage, SourcePost
from ..source.scan import SiteFile
from ..source.textfile import decode_text
from ..source.validate import ContentLoader
from .rendered import Rendered


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """One Markdown file, validated and rendered: what the build cache keeps per file."""

    record: Record
    """The front matter as a source record, its Markdown body dropped."""
    rendered: Rendered
    """Its body's table of contents and words, without the HTML (see `html`)."""
    html: str
    warnings: tuple[SiteWarning, ...] = ()
    text: str = ""
    """The body as plain text, for a post's email edition (see text.py); "" for others."""


def parse_source(config: SiteConfig, file: SiteFile, data: bytes) -> ParsedFile:
    """Validate one Markdown file's front matter and render its body (no other file is read).

    Raises:
        SiteError: pointing at the file, line and column of what is wrong.
    """
    loader = ContentLoader(config)
    text = decode_text(data, Path(file.src_path))
    record = loader.read(file, text)
    from .markdown import render_markdown, smarten  # here: a rebuild that parses nothing never needs it

    quotes = typographer_quotes(config)
    extras = frozenset(config.markdown_extras)
    rendered = render_markdown(record.body, config.markdown_html, isinstance(record, SourcePost), quotes, extras)
    if quotes is not None and isinstance(record, SourcePost | SourcePage):
        fields = ("title", "subtitle", "summary")
        smart: dict[str, object] = {name: smarten(value, quotes) for name in fields if (value := getattr(record, name))}
        record = dataclasses.replace(record, **smart)  # type: ignore[arg-type]
    first = text.count("\n", 0, len(text) - len(record.body)) + 1  # the file's line where the body starts
    links = tuple(link._replace(line=link.line + first) for link in rendered.links)
    light = Rendered(rendered.toc, rendered.words, rendered.first_paragraph, markdown_only=rendered.markdown_only,
                     links=links)
    if isinstance(record, SourcePost) and record.responses:
        responses = tuple(
            dataclasses.replace(r, html=render_markdown(r.text, False, quotes=quotes).html) for r in record.responses
        )
        record = dataclasses.replace(record, responses=responses)  # a reader's words: no raw HTML
    text = rendered.inline_text or ""
    return ParsedFile(dataclasses.replace(record, body=""), light, rendered.html, tuple(loader.warnings), text)


def prepare_parsing(config: SiteConfig) -> None:
    """Import the Markdown engine and make its usual parser now, not at the first file parsed: a
    build from a warm cache needs neither, and the dev server's first quick page would wait for
    them (about a tenth of a second)."""
    from .markdown import render_markdown

    sample = "A *first* [link](https://example.org/).\n"
    render_markdown(sample, config.markdown_html, quotes=typographer_quotes(config))


def typographer_quotes(config: SiteConfig) -> tuple[str, str, str, str] | None:
    """The quotation marks the typographer puts in, or None when site.yaml turns it off."""
    from .markdown import quotes_for

    return quotes_for(config.language) if config.markdown_typographer else None

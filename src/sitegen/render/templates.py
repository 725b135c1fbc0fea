"""The only importer of Jinja2: templates in a sandbox, with sitegen's filters, rendered to pages."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import jinja2
import jinja2.ext
import jinja2.sandbox
import markupsafe

from .. import __version__
from ..errors import SiteError
from ..markup.links import rebase_html
from ..markup.rendered import Heading, Rendered
from ..model.connect import Connect, connect_action
from ..model.feedsets import RSS_TYPE, FeedLink, FeedSet, site_feed_links
from ..model.share import ShareLink, share_links
from ..model.site import Author, Link, Page, Paginator, Picture, Post, Site, Tag, TagRef, Year
from ..output.files import OutputFile, dest_for_url
from ..source.config import SiteConfig
from ..source.newsletter import Response, Subscribe
from ..source.plaintext import columns, shorten
from ..source.plugins import NO_PLUGINS, Plugins
from ..source.urls import is_safe_url
from .cards import CARD_NAME, has_card
from .email import EMAIL_TEMPLATES, email_body, email_text, inline_css
from .fonts import font_css, subsets_for
from .imagetags import SIZES, srcset, with_pictures
from .locale import day_and_month, is_right_to_left, long_date
from .strings import i18n_dirs, load_strings
from .theme import PACKAGED_THEMES, Theme

# Characters left as they are in an href; everything else (spaces, CJK) is percent-encoded.
URL_SAFE = "/:@!$&'()*+,;=-._~%?#"


def template_error(exc: BaseException, theme: Theme) -> SiteError:
    """Convert a Jinja2 exception into a SiteError that names the template file and line.
    (Template files are named by absolute path: Jinja's are relative to where sitegen runs, and
    an error's path, unless absolute, is taken as relative to the site.)"""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = os.path.abspath(exc.filename) if exc.filename else exc.name or "template"
        return SiteError(exc.message or "template syntax error", path, exc.lineno, 1)
    if isinstance(exc, jinja2.TemplateNotFound):
        searched = ", ".join(str(d) for d in theme.template_dirs)
        return SiteError(f"template '{exc.name}' not found in theme '{theme.name}' (searched {searched})")
    # Jinja rewrites tracebacks so that template frames carry the template's file and line.
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(frame.filename.startswith(str(d)) for d in theme.template_dirs):
            return SiteError(f"{type(exc).__name__}: {exc}", os.path.abspath(frame.filename), frame.lineno, 1)
    return SiteError(f"template error: {type(exc).__name__}: {exc}")


def _at_render_time(func: Callable[[str], str]) -> Callable[..., str]:
    """A filter Jinja will not run at compile time on a constant (`'/style.css' | asset`): its
    result depends on this build (base URL, file hashes), and compiled templates are cached."""

    @jinja2.pass_context
    def at_render_time(_context: Any, value: str) -> str:
        return func(value)

    return at_render_time


class SiteView:
    """The site as templates see it, noting which of its parts a page reads, so that the build
    cache knows, say, that a post page showing the five newest posts depends on every post."""

    __slots__ = ("_reads", "_site")

    def __init__(self, site: Site, reads: set[str]) -> None:
        self._site = site
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        self._reads.add(name)
        return getattr(self._site, name)


PLAIN_DATA = frozenset(
    {Site, SiteView, Post, Page, Author, Tag, TagRef, Link, Heading, Rendered, Paginator, Year, Picture}
    | {FeedLink, FeedSet, Connect, Response, Subscribe, ShareLink}
)
"""sitegen's model: what it holds is text, numbers, dates and more of the model,
safe for a template to read unless its name starts with _. (SiteConfig passes the same way, for its
settings alone: CONFIG_SETTINGS.)"""


CONFIG_SETTINGS = frozenset(f.name for f in dataclasses.fields(SiteConfig)) - {"root"} | {"base_path"}
"""What a template may read of SiteConfig: site.yaml's settings, not the site's folder or methods."""


class ThemeSandbox(jinja2.sandbox.SandboxedEnvironment):
    """Jinja's sandbox, for templates are untrusted input like every file of a site: in a plain
    Environment, a theme's `{{ cycler.__init__.__globals__.os.system(...) }}` ran a shell command.
    Paths are kept from templates too, as their methods write files."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        # the model, read a few hundred times a page, passes with one test instead of the
        # sandbox's dozen (which made rendering 30 % slower)
        kind = type(obj)
        if (kind in PLAIN_DATA or (kind is SiteConfig and attribute in CONFIG_SETTINGS)) and attribute[0] != "_":
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass  # as the sandbox says it
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(value, PurePath) or isinstance(obj, PurePath):
            return False
        if isinstance(obj, SiteConfig) and attr not in CONFIG_SETTINGS:
            return False  # its methods and paths: boundary() would tell where the site lies on disk
        return bool(super().is_safe_attribute(obj, attr, value))


def _fallback_loader(files: dict[str, Path]) -> Callable[[str], tuple[str, str, Callable[[], bool]] | None]:
    """Loads the default theme's templates named in `files` (see Theme.fallback_templates)."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        path = files.get(name)
        if path is None:
            return None
        return path.read_text(encoding="utf-8"), str(path), lambda: True

    return load


def has_style_parts(files: Mapping[str, Path]) -> bool:
    """Whether the theme's stylesheet, among its static `files`, comes in the default theme's parts
    (style.css and letter.css from one theme folder): a child theme that replaced style.css alone
    keeps its whole style there."""
    style, letter = files.get("style.css"), files.get("letter.css")
    return style is not None and letter is not None and style.parent == letter.parent


_INDENT = re.compile(r"(%\}\n)?^[ \t]+", re.MULTILINE)
_JINJA_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
_SPACE_KEEPING = re.compile(r"<(?:pre|textarea)\b", re.IGNORECASE)


@functools.cache
def _compiler_digest() -> str:
    """A hash of this module, part of the compiled templates' cache key (see Renderer)."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


class Unindented(jinja2.ext.Extension):
    """A template's indentation is for its reader, not the page's: the lines of an HTML template
    lose their leading spaces as it compiles (no cost per page; about 0.7 KB off a letter). A line
    after a block tag keeps one space, since trim_blocks takes that line's end and the indentation
    was all that parted two elements. A template with a <pre> or <textarea> tag, whose spaces show,
    is left as it is."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None or not name.endswith(".html") or _SPACE_KEEPING.search(_JINJA_CODE.sub("", source)):
            return source
        return _INDENT.sub(lambda match: match[1] + " " if match[1] else "", source)


class Renderer:
    """Renders the pages of one Site with one theme; templates compile once per Renderer."""

    def __init__(
        self, site: Site, theme: Theme, bytecode_dir: Path | None = None, plugins: Plugins = NO_PLUGINS
    ) -> None:
        self.site = site
        self.theme = theme
        self.config = site.config
        self.env = ThemeSandbox(
            loader=jinja2.ChoiceLoader([
                jinja2.FileSystemLoader(theme.template_dirs),
                jinja2.FunctionLoader(_fallback_loader(dict(theme.fallback_templates))),
            ]),
            # HTML and XML escaped; the plain-text edition of a letter (email.txt) is not HTML
            autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default_for_string=True, default=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
            extensions=[Unindented],
        )
        self._asset_hashes: dict[str, str] = {}
        self._urls: dict[str, str] = {}
        self._script_words: dict[tuple[str, ...], markupsafe.Markup] = {}
        parts = urlsplit(self.config.url)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self.site_feeds = site_feed_links(site)
        self.strings = load_strings(
            i18n_dirs(theme.dirs, PACKAGED_THEMES / "default"), self.config.language, self.config.strings
        )
        """The theme's words in the site's language (see strings.py)."""
        self.env.filters.update(self._filters())
        self.env.filters.update(plugins.api.filters)  # the site's plugins' (see source/plugins.py)
        if bytecode_dir is not None:
            # Compiled templates are kept between builds, keyed by each template's source; the
            # file name also carries how our filters are called, which compiled code depends on.
            calls = sorted(f"{name}:{getattr(f, 'jinja_pass_arg', '')}" for name, f in self.env.filters.items())
            calls.append(type(self.env).__name__)  # sandboxed code differs: never load another's
            calls.append(_compiler_digest())  # this module sets how templates compile (Unindented, options)
            signature = hashlib.sha256("|".join(calls).encode()).hexdigest()[:12]
            self.env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir), f"{signature}-%s.cache")
        self.reads: set[str] = set()
        """What the page being rendered read of the site (see SiteView)."""
        self.env.globals.update(
            feeds=self.site_feeds,  # a page's <link rel="alternate">: tag and author pages add their own
            site_feeds=self.site_feeds,
            site_rss=next((f for f in self.site_feeds if f.type == RSS_TYPE), None),
            connect=self.connect,
            share_links=self.share_links,
            font_faces=self.font_faces,
            social_card=self.social_card,
            cover=self.cover,
            sitegen_version=__version__,
            t=self.words_of,
            words=lambda key: _plain(self.strings.words(key)),
            script_words=self.script_words,
            picture_sizes=SIZES,
            style_parts=has_style_parts(self._static_files),
            text_direction="rtl" if is_right_to_left(self.config.language) else "ltr",
            email_body=lambda post: markupsafe.Markup(email_body(post, self.absolute_url)),
            email_text=lambda post: email_text(post, self.absolute_url),
        )
        self.env.globals.update(plugins.api.template_globals)

    def _filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "url": _at_render_time(self.url),
            "absolute_url": _at_render_time(self.absolute_url),
            "asset": _at_render_time(self.asset),
            "date": lambda moment: long_date(moment, self.config.language),
            "day_month": lambda moment: day_and_month(moment, self.config.language),
            "isodate": lambda d: d.isoformat(),
            "shorten": shorten,
            "columns": columns,
            "with_pictures": self.with_pictures,
            "srcset": lambda picture, src: srcset(src, picture),
        }

    def url(self, site_url: str) -> str:
        """A site-relative URL as an href under the base path, percent-encoded."""
        found = self._urls.get(site_url)  # the same few hundred URLs on every page: quote each once
        if found is None:
            if not is_safe_url(site_url):
                # raised as a plain error, so that the template's file and line are named
                raise ValueError(f"unsafe link {site_url!r}: only http, https, mailto and relative links")
            if "://" in site_url or site_url.startswith(("mailto:", "#", "//")):
                found = site_url
            else:
                found = quote(self.config.base_path + site_url.lstrip("/"), safe=URL_SAFE)
            self._urls[site_url] = found
        return found

    def absolute_url(self, site_url: str) -> str:
        """A site-relative URL made absolute against the site's url."""
        path = self.url(site_url)
        if path.startswith("/") and not path.startswith("//"):
            return self._origin + path
        return urljoin(self.config.url, path)

    @functools.cached_property
    def _static_files(self) -> dict[str, Path]:
        """The theme's static files by their path in the output (see Theme.static_files)."""
        return dict(self.theme.static_files())

    def asset(self, path: str) -> str:
        """The URL of a theme static file with a content hash, so browsers never keep a stale one."""
        dest = path.lstrip("/")
        if dest not in self._asset_hashes:
            if dest not in self._static_files:
                raise SiteError(f"asset '{path}' is not in the theme's static/ folder")
            self._asset_hashes[dest] = hashlib.sha256(self._static_files[dest].read_bytes()).hexdigest()[:10]
        return f"{self.url(dest)}?v={self._asset_hashes[dest]}"

    def connect(self, author: Author, post: Post | None = None) -> Connect:
        """The connect call-to-action of `author`, naming `post` (else their newest post)."""
        if post is None:
            self.reads.add("posts")
            post = next((p for p in self.site.posts if author in p.authors), None)
        title = post.title if post else self.site.title
        url = self.absolute_url(post.url if post else "/")
        words = self.strings.words
        note = self.config.connect_note or str(words("connect_note"))
        return connect_action(note, author, title, url, str(words("email_subject")), str(words("email_hello")))

    @functools.cached_property
    def _font_faces(self) -> markupsafe.Markup:
        css = font_css(subsets_for(self.config.language), self.url("/fonts/"))
        return markupsafe.Markup(css.replace("</", "<\\/"))

    def font_faces(self) -> markupsafe.Markup:
        """The @font-face rules of the self-hosted face (see fonts.py), with URLs under the base
        path: the same on every page, made once."""
        return self._font_faces

    def social_card(self, post: Post) -> str | None:
        """The site URL of `post`'s link-preview card, when it gets one (no cover of its own)."""
        if not self.config.social_cards or not has_card(post, self.site.title):
            return None
        return post.url + CARD_NAME

    def script_words(self, *keys: str) -> markupsafe.Markup:
        """The theme's words named by `keys`, as JSON a script reads from an attribute (see connect.js)."""
        if keys not in self._script_words:  # the same few on every page
            words = {key: _plain(self.strings.words(key)) for key in keys}
            self._script_words[keys] = jinja2.utils.htmlsafe_json_dumps(words)
        return self._script_words[keys]

    @jinja2.pass_eval_context
    def words_of(self, context: jinja2.nodes.EvalContext, key: str, count: object = None, **values: object) -> object:
        """The theme's words for `key` (see strings.py): escaped in HTML, as they are in plain text."""
        if context.autoescape:
            return self.strings.text(key, count, **values)
        return self.strings.plain(key, count, **values)

    def cover(self, post: Post) -> Picture | None:
        """The size and WebP copies of a post's cover, when the site has it."""
        return self.site.picture(post.url, post.image)

    def with_pictures(self, body: str, item: Post | Page | Author) -> markupsafe.Markup:
        """A body's HTML as its page shows it: each of its images sized, lazy and offered as WebP
        copies (see imagetags.py), the first loaded at once when nothing comes before it (no
        cover); and its links written from the site's root under the base path."""
        if self.site.pictures:
            eager = not (isinstance(item, Post) and item.image)
            body = with_pictures(body, functools.partial(self.site.picture, item.url), eager)
        markdown_only = item.body.markdown_only if isinstance(item, Post | Page) else item.bio.markdown_only
        return markupsafe.Markup(rebase_html(body, self.config.base_path, markdown_only))

    def share_links(self, post: Post) -> tuple[ShareLink, ...]:
        """Where a reader can share `post`, at its canonical address."""
        return share_links(post.title, post.canonical_url or self.absolute_url(post.url))

    def render(self, template: str, url: str, context: Mapping[str, object]) -> OutputFile:
        """Render `template` for the page at site-relative `url` with `context` (see context.py);
        `self.reads` says what of the site it read."""
        self.reads = set()
        view = SiteView(self.site, self.reads)
        try:
            html = self.env.get_template(template).render(context, page_url=url, site=view)
        except SiteError:
            raise
        except Exception as exc:  # any template failure becomes a located SiteError
            raise template_error(exc, self.theme) from exc
        if template == "email.html":
            html = inline_css(html)
        return OutputFile(dest_for_url(url), html.encode("utf-8"))

    def check_templates(self, names: tuple[str, ...]) -> None:
        """Compile every template up front so a syntax error is found before any page renders."""
        for name in names:
            try:
                self.env.get_template(name)
            except Exception as exc:
                raise template_error(exc, self.theme) from exc


def _plain(text: object) -> object:
    """A text or its plural forms as plain data (tojson cannot write a read-only mapping)."""
    return text if isinstance(text, str) else dict(text)  # type: ignore[call-overload]


TEMPLATES = (
    "post.html", "index.html", "archive.html", "tag.html", "tags.html", "author.html", "page.html", "404.html",
    *EMAIL_TEMPLATES,
)



"""The only importer of css-inline: the email edition of a letter as mail clients need it.

Mail clients drop <style> and external stylesheets, so the theme's email.html is written with a
<style> of its own and every rule is moved into the style attribute of the elements it applies to;
only a <style data-css-inline="keep"> stays as written (dark mode's media query, which cannot be
inlined, and which clients that keep <style> apply). Its body is the post's HTML
with every address made absolute, and its plain-text twin is made from the post's text (see
markup.text) with numbered references.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

import css_inline

from ..markup.links import absolutize_html, for_elsewhere
from ..markup.text import references, with_references
from ..model.site import Post

EMAIL_TEMPLATES = ("email.html", "email.txt")
"""The theme's templates of a letter's email edition, beside its page."""
CLIPPED_BYTES = 102_000
"""Gmail shows a link instead of the rest of a message longer than this (HTML, as sent)."""

_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, resolve_css_variables=True)


def inline_css(html: str) -> str:
    """`html` with the rules of its <style> elements moved into style attributes."""
    inlined = str(_INLINER.inline(html))
    return inlined if inlined.endswith("\n") else inlined + "\n"


def email_body(post: Post, absolute: Callable[[str], str]) -> str:
    """The post's HTML for an email: every address absolute, without the page's own markup."""
    return for_elsewhere(absolutize_html(post.html, absolute(post.url), post.body.markdown_only, absolute("/")))


def email_text(post: Post, absolute: Callable[[str], str]) -> str:
    """The post as plain text, its references' addresses absolute."""
    base = absolute(post.url)
    stored = post.body.text
    return with_references(stored, {url: urljoin(base, url) for url in references(stored)})

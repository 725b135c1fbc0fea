"""`sitegen new`: a post, page or author file with its front matter filled in, never replacing one."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..errors import SiteError
from ..source.config import SiteConfig
from ..source.slugs import is_safe_slug, slugify
from ..source.yamltext import yaml_text

FILE_NAME_BYTES = 120
"""Longest file name made from a title (file systems allow 255 bytes, and a Japanese character
takes three): a long title keeps its first words, and all of it stays in the front matter."""


def slug_for(title: str) -> str:
    """A file name for a post titled `title`, short enough for any file system.

    Raises:
        SiteError: when the title has no letter or digit to make one from.
    """
    slug = slugify(title)
    if not slug:
        raise SiteError(f"cannot make a file name from the title {title!r}: give it some letters or digits")
    while len(slug.encode("utf-8")) > FILE_NAME_BYTES:
        shorter = slug.rsplit("-", 1)[0]
        slug = shorter if shorter != slug else slug[:-1]
    return slug


def create_file(config: SiteConfig, rel: str, text: str) -> Path:
    """Write `text` to the new file `rel` (relative to the site folder) and return its path.

    Raises:
        SiteError: when the file exists.
    """
    path = config.root / rel
    if path.exists() or path.is_symlink():
        raise SiteError(f"{path} already exists: not overwriting it")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as file:  # "x": never replace a file made meanwhile
            file.write(text)
    except OSError as exc:
        raise SiteError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def new_post(config: SiteConfig, title: str, now: datetime) -> Path:
    """content/posts/<slug>.md: a draft dated `now` in the site's time zone, by the site's author."""
    local = now.astimezone(config.zone)
    lines = ["---", f"title: {yaml_text(title)}", f"date: {local:%Y-%m-%d %H:%M}"]
    if config.author:
        lines.append(f"author: {config.author}")
    else:
        lines.append("author: # the id of a file in content/authors/")
    lines += [
        "tags: []",
        "# summary: One paragraph for lists, feeds and link previews (default: the first paragraph).",
        "# image: cover.jpg",
        "draft: true   # delete this line to publish",
        "---",
        "Start writing here.",
        "",
    ]
    return create_file(config, f"content/posts/{slug_for(title)}.md", "\n".join(lines))


def new_page(config: SiteConfig, title: str) -> Path:
    """content/pages/<slug>.md, published at /<slug>/."""
    text = f"---\ntitle: {yaml_text(title)}\n---\nStart writing here.\n"
    return create_file(config, f"content/pages/{slug_for(title)}.md", text)


def new_author(config: SiteConfig, author_id: str, name: str | None = None) -> Path:
    """content/authors/<id>.md; the name defaults to the id in words (ben-okafor -> Ben Okafor)."""
    if not is_safe_slug(author_id) or "." in author_id:
        raise SiteError(f"author id {author_id!r} must be letters, digits, '-' or '_' (such as ana or ben-okafor)")
    shown = name or author_id.replace("-", " ").replace("_", " ").title()
    lines = [
        "---",
        f"name: {yaml_text(shown)}",
        "# tagline: Writer, coach, collector of good questions",
        f"# photo: {author_id}.jpg   # a square photo beside this file, named after it",
        "# email: you@example.com",
        "# links:             # the ways to connect, in this order",
        '#   - {label: LinkedIn, url: "https://www.linkedin.com/in/your-profile/"}',
        '# subscribe: {label: Subscribe by email, url: "https://buttondown.com/you"}',
        "---",
        f"A few lines about {shown}.",
        "",
    ]
    return create_file(config, f"content/authors/{author_id}.md", "\n".join(lines))
